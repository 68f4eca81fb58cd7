package emulator

import (
	"fmt"
	"math"

	"github.com/ozarkinn/inn/innlib/flow/flowgrad"
	"github.com/ozarkinn/inn/innlib/internal/optim"
)

// bestFitLR is BestFit's Adam step size on the logit scale t: about 1/20 of
// the box's central width per step at first.
const bestFitLR = 0.05

// Fit is the result of BestFit.
type Fit struct {
	X    []float64 // Best parameter vector found, inside the box.
	Y    []float64 // Emulated outputs at X.
	RMSE float64   // Root mean squared misfit to the observation, original units.
}

// BestFit searches the prior box for the parameters whose emulated outputs
// are closest to obs (least squares), starting from each row of starts (which
// must lie in the box). It runs Adam on an unconstrained reparametrisation
// x = lo + (hi − lo)·sigmoid(t), so every iterate stays inside the box, on all
// starts at once, and returns the best end point.
func (e *MLP) BestFit(obs []float64, starts [][]float64, steps int) (Fit, error) {
	if e.cfg.Lo == nil {
		return Fit{}, fmt.Errorf("emulator: BestFit needs the emulator to have a prior box")
	}
	if len(obs) != e.m {
		return Fit{}, fmt.Errorf("emulator: observation has %d values, want %d", len(obs), e.m)
	}
	if err := checkRows("BestFit starts", starts, e.n); err != nil {
		return Fit{}, err
	}
	if steps < 1 {
		return Fit{}, fmt.Errorf("emulator: BestFit needs at least one step, got %d", steps)
	}
	k, n := len(starts), e.n
	t := make([]float64, k*n)
	for i, s := range starts {
		for j, v := range s {
			u := (v - e.cfg.Lo[j]) / (e.cfg.Hi[j] - e.cfg.Lo[j])
			if u < 0 || u > 1 {
				return Fit{}, fmt.Errorf("emulator: BestFit start %d, column %d is %g, outside the box [%g, %g]", i, j, v, e.cfg.Lo[j], e.cfg.Hi[j])
			}
			u = math.Min(math.Max(u, 1e-6), 1-1e-6)
			t[i*n+j] = math.Log(u / (1 - u))
		}
	}
	ys := make([]float64, e.m)
	for j := range ys {
		ys[j] = (obs[j] - e.yMean[j]) / e.yStd[j]
	}
	// Inputs scale to [0, 1] by the box, so the network input is sigmoid(t).
	grad, err := e.misfitGrad(k)
	if err != nil {
		return Fit{}, err
	}
	// Adam on t, in float64; the network runs in float32 (misfitGrad).
	adam := optim.NewAdam[float64](len(t), optim.AdamConfig{LearningRate: bestFitLR, Beta1: 0.9, Beta2: 0.999, Epsilon: 1e-8})
	bestT, bestSSE := make([]float64, n), math.Inf(1)
	dt := make([]float64, len(t))
	for s := 0; s <= steps; s++ {
		sse := grad(dt, t, ys)
		for i, v := range sse {
			if v < bestSSE {
				bestSSE = v
				copy(bestT, t[i*n:(i+1)*n])
			}
		}
		if s == steps {
			break
		}
		adam.Update(t, dt, 1)
	}
	x := make([]float64, n)
	for j, v := range bestT {
		x[j] = e.cfg.Lo[j] + (e.cfg.Hi[j]-e.cfg.Lo[j])/(1+math.Exp(-v))
	}
	pred, err := e.Predict([][]float64{x})
	if err != nil {
		return Fit{}, err
	}
	var sse float64
	for j, v := range pred[0] {
		sse += (v - obs[j]) * (v - obs[j])
	}
	return Fit{X: x, Y: pred[0], RMSE: math.Sqrt(sse / float64(e.m))}, nil
}

// misfitGrad returns a function of rows of logits t ([rows×n]) and a
// standardised observation ys that returns each row's squared misfit in
// original units, Σ_j ((f(σ(t))_j − ys_j)·yStd_j)², and writes its gradient
// with respect to t into dt: the network and its input gradient in plain Go
// (flowgrad.MLP, as the native training engine), float32 inside.
func (e *MLP) misfitGrad(rows int) (func(dt, t, ys []float64) []float64, error) {
	net, p, err := e.nativeNet()
	if err != nil {
		return nil, err
	}
	g := make([]float32, len(p))
	u := make([]float32, rows*e.n)
	sig := make([]float64, rows*e.n)
	d := make([]float32, rows*e.m)
	du := make([]float32, rows*e.n)
	sse := make([]float64, rows)
	var tape flowgrad.MLPTape
	return func(dt, t, ys []float64) []float64 {
		for i, v := range t {
			sig[i] = 1 / (1 + math.Exp(-v))
			u[i] = float32(sig[i])
		}
		out := net.Forward(p, &tape, u, rows)[0]
		for r := range rows {
			sse[r] = 0
			for j := range e.m {
				diff := (float64(out[r*e.m+j]) - ys[j]) * e.yStd[j]
				sse[r] += diff * diff
				d[r*e.m+j] = float32(2 * diff * e.yStd[j])
			}
		}
		clear(g) // The weights' gradient is not used.
		net.Backward(p, g, &tape, [][]float32{d}, du, rows)
		for i, v := range du {
			dt[i] = float64(v) * sig[i] * (1 - sig[i])
		}
		return sse
	}, nil
}
