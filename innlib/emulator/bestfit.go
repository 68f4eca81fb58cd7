package emulator

import (
	"fmt"
	"math"

	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/ml/context"

	"github.com/ozarkinn/inn/innlib/internal/optim"
	"github.com/ozarkinn/inn/innlib/internal/tensorutil"
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
	g := func(ctx *context.Context, tt, y *graph.Node) []*graph.Node {
		u := graph.Sigmoid(tt)
		diff := graph.Mul(graph.Sub(e.net.Apply(u)[0], y), graph.Const(tt.Graph(), tensorutil.FromFloat64(dtypes.Float32, e.yStd, 1, e.m)))
		perRow := graph.ReduceSum(graph.Square(diff), 1) // Squared misfit in original units.
		grad := graph.Gradient(graph.ReduceAllSum(perRow), tt)[0]
		return []*graph.Node{perRow, grad}
	}
	ex, err := context.NewExec(e.backend, e.ctx, g)
	if err != nil {
		return Fit{}, fmt.Errorf("emulator: %w", err)
	}
	yT := tensorutil.FromFloat64(dtypes.Float32, ys, 1, e.m)
	// Adam on t, in Go (the graph only gives values and gradients).
	adam := optim.NewAdam[float64](len(t), optim.AdamConfig{LearningRate: bestFitLR, Beta1: 0.9, Beta2: 0.999, Epsilon: 1e-8})
	bestT, bestSSE := make([]float64, n), math.Inf(1)
	for s := 0; s <= steps; s++ {
		res, err := ex.Exec(tensorutil.FromFloat64(dtypes.Float32, t, k, n), yT)
		if err != nil {
			return Fit{}, fmt.Errorf("emulator: BestFit: %w", err)
		}
		sse, grad := tensorutil.ToFloat64(res[0]), tensorutil.ToFloat64(res[1])
		for i, v := range sse {
			if v < bestSSE {
				bestSSE = v
				copy(bestT, t[i*n:(i+1)*n])
			}
		}
		if s == steps {
			break
		}
		adam.Update(t, grad, 1)
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
