package emulator

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/ml/context"

	"github.com/ozarkinn/inn/innlib/internal/tensorutil"
)

// TestEnginesAgree: the GoMLX graph (autodiff, optimizers.Adam) is the
// native engine's oracle. From the same weights, both give the same
// outputs, loss and gradient, and one Adam step moves the weights alike,
// for every activation.
//
// Tolerances (float32 throughout): outputs and losses agree to 1e-5
// relative (sums of ≤ 32 products in different orders differ by ~1e-7); the
// gradient to 1e-4 of its largest element (a wrong or missing term is off by
// far more); after one step every weight moves by the same amount to 1e-3·lr
// except where the gradient is so small that float32 noise flips its sign
// (Adam's first step is ±lr wherever |g| ≫ ε), at most 1% of them.
func TestEnginesAgree(t *testing.T) {
	for _, act := range []string{"silu", "tanh", "relu", "leaky_relu"} {
		t.Run(act, func(t *testing.T) {
			x, y, lo, hi := smoothData(40, 5)
			cfg := Config{Lo: lo, Hi: hi, Layers: 3, Width: 32, Activation: act, Seed: 4, WeightDecay: 0.01}.withDefaults()
			e, err := newMLP(cfg, 3, 2)
			if err != nil {
				t.Fatal(err)
			}
			if err := e.setScaling(x, y); err != nil {
				t.Fatal(err)
			}
			xs, ys := e.scaleX(x), e.scaleY(y)
			rows := len(x)
			ge, err := newGraphEngine(e)
			if err != nil {
				t.Fatal(err)
			}
			ne, err := newNativeEngine(e)
			if err != nil {
				t.Fatal(err)
			}
			start := ne.snapshot()
			assertClose(t, "initial weights", flat(start), flat(ge.snapshot()), 0)

			// GoMLX: outputs, loss and the gradient of every variable.
			exec, err := context.NewExec(e.backend, e.ctx, func(ctx *context.Context, xb, yb *graph.Node) []*graph.Node {
				out := e.net.Apply(xb)[0]
				loss := graph.ReduceAllMean(graph.Square(graph.Sub(out, yb)))
				return append([]*graph.Node{out, loss}, ctx.BuildTrainableVariablesGradientsGraph(loss)...)
			})
			if err != nil {
				t.Fatal(err)
			}
			res, err := exec.Exec(tensorutil.FromFloat64(float32DType, xs, rows, 3), tensorutil.FromFloat64(float32DType, ys, rows, 2))
			if err != nil {
				t.Fatal(err)
			}
			var wantG []float64 // In Variables() order (creation order, as GoMLX enumerates them).
			for _, r := range res[2:] {
				wantG = append(wantG, tensorutil.ToFloat64(r)...)
			}
			out, loss := ne.forward(xs, ys, rows, true)
			clear(ne.g)
			ne.net.Backward(ne.p, ne.g, &ne.tape, [][]float32{ne.d}, nil, rows)

			assertClose(t, "outputs", f64(out), tensorutil.ToFloat64(res[0]), 1e-5)
			assertClose(t, "loss", []float64{loss}, []float64{tensorutil.Scalar(res[1])}, 1e-5)
			assertClose(t, "gradient", f64(ne.g), wantG, 1e-4)

			gv, err := ge.validate(xs, ys, rows)
			if err != nil {
				t.Fatal(err)
			}
			nv, _ := ne.validate(xs, ys, rows)
			assertClose(t, "validate", []float64{nv}, []float64{gv}, 1e-5)

			// One step, with a learning rate large enough to see Adam's step.
			const lr = 1e-2
			for _, en := range []engine{ge, ne} {
				if err := en.setLearningRate(lr); err != nil {
					t.Fatal(err)
				}
			}
			lg, err := ge.step(xs, ys, rows)
			if err != nil {
				t.Fatal(err)
			}
			ln, _ := ne.step(xs, ys, rows)
			assertClose(t, "step loss", []float64{ln}, []float64{lg}, 1e-5)
			after, gAfter := flat(ne.snapshot()), flat(ge.snapshot())
			s := flat(start)
			off, sq := 0, 0.0
			for i := range s {
				dn, dg := after[i]-s[i], gAfter[i]-s[i]
				sq += (dn - dg) * (dn - dg)
				if math.Abs(dn-dg) > 1e-3*lr {
					off++
				}
			}
			rms := math.Sqrt(sq/float64(len(s))) / lr
			t.Logf("after one step: %d of %d weights moved differently by > 1e-3·lr; RMS difference %.2g·lr", off, len(s), rms)
			if off > len(s)/100 || rms > 0.02 {
				t.Errorf("after one step, %d of %d weights moved differently by > 1e-3·lr (RMS difference %.2g·lr)", off, len(s), rms)
			}
		})
	}
}

// TestEnginesTrainAlike: the whole recipe (batches, schedule, validation,
// best weights) on either engine reaches the same validation error; float32
// rounding makes the weights drift apart, so only the errors are compared:
// to 10% over a short run (a wrong learning rate, decay or schedule is off
// by far more).
func TestEnginesTrainAlike(t *testing.T) {
	x, y, lo, hi := smoothData(600, 1)
	xv, yv, _, _ := smoothData(200, 2)
	val := map[string]float64{}
	for _, eng := range []string{EngineGraph, EngineNative} {
		m, err := Train(x, y, xv, yv, Config{Lo: lo, Hi: hi, Width: 32, Epochs: 30, Seed: 1, Engine: eng})
		if err != nil {
			t.Fatal(err)
		}
		best := math.Inf(1)
		for _, ep := range m.History() {
			best = math.Min(best, ep.ValMSE)
		}
		val[eng] = best
		// The kept weights are those of the best epoch.
		pred, err := m.Predict(xv)
		if err != nil {
			t.Fatal(err)
		}
		mse := 0.0
		for i := range yv {
			for j := range yv[i] {
				d := (pred[i][j] - yv[i][j]) / m.yStd[j]
				mse += d * d
			}
		}
		mse /= float64(len(yv) * len(yv[0]))
		if math.Abs(mse-best) > 1e-4*best+1e-7 {
			t.Errorf("%s: prediction MSE %.6g with the kept weights, best validation MSE %.6g", eng, mse, best)
		}
	}
	t.Logf("best validation MSE (standardised): graph %.4g, native %.4g", val[EngineGraph], val[EngineNative])
	if r := val[EngineNative] / val[EngineGraph]; r < 0.9 || r > 1.1 {
		t.Errorf("best validation MSE: native %.4g, graph %.4g; want within 10%%", val[EngineNative], val[EngineGraph])
	}
}

func TestEngineNameChecked(t *testing.T) {
	x, y, lo, hi := smoothData(20, 1)
	_, err := Train(x, y, x, y, Config{Lo: lo, Hi: hi, Epochs: 1, Engine: "xla"})
	if err == nil {
		t.Fatal("want an error for an unknown engine")
	}
}

const float32DType = dtypes.Float32

func flat(w [][]float64) []float64 {
	var out []float64
	for _, v := range w {
		out = append(out, v...)
	}
	return out
}

func f64(v []float32) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}

// assertClose fails unless got and want have the same length and differ
// by at most rel times want's largest magnitude everywhere.
func assertClose(t *testing.T, what string, got, want []float64, rel float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	scale, worst, at := 0.0, 0.0, 0
	for _, v := range want {
		scale = math.Max(scale, math.Abs(v))
	}
	for i := range want {
		if d := math.Abs(got[i] - want[i]); d > worst || math.IsNaN(d) {
			worst, at = d, i
		}
	}
	if !(worst <= rel*scale) {
		t.Errorf("%s differ by %.3g at %d (native %.7g, GoMLX %.7g; largest magnitude %.3g)", what, worst, at, got[at], want[at], scale)
	}
}

// TestBestFitGradientMatchesGraph: BestFit's misfit and its gradient with
// respect to the logits, in plain Go, against GoMLX's graph and autodiff on
// the same weights (float32 inside both; tolerances as TestEnginesAgree).
func TestBestFitGradientMatchesGraph(t *testing.T) {
	x, y, lo, hi := smoothData(40, 5)
	e, err := newMLP(Config{Lo: lo, Hi: hi, Width: 32, Seed: 4}.withDefaults(), 3, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.setScaling(x, y); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(8, 8))
	const rows = 7
	tt := make([]float64, rows*3)
	for i := range tt {
		tt[i] = 2 * rng.NormFloat64()
	}
	ys := []float64{0.3, -0.4}
	ex, err := context.NewExec(e.backend, e.ctx, func(ctx *context.Context, tn, yn *graph.Node) []*graph.Node {
		u := graph.Sigmoid(tn)
		diff := graph.Mul(graph.Sub(e.net.Apply(u)[0], yn), graph.Const(tn.Graph(), tensorutil.FromFloat64(float32DType, e.yStd, 1, e.m)))
		perRow := graph.ReduceSum(graph.Square(diff), 1)
		return []*graph.Node{perRow, graph.Gradient(graph.ReduceAllSum(perRow), tn)[0]}
	})
	if err != nil {
		t.Fatal(err)
	}
	res, err := ex.Exec(tensorutil.FromFloat64(float32DType, tt, rows, 3), tensorutil.FromFloat64(float32DType, ys, 1, 2))
	if err != nil {
		t.Fatal(err)
	}
	f, err := e.misfitGrad(rows)
	if err != nil {
		t.Fatal(err)
	}
	dt := make([]float64, len(tt))
	sse := f(dt, tt, ys)
	assertClose(t, "misfit", sse, tensorutil.ToFloat64(res[0]), 1e-5)
	assertClose(t, "misfit gradient", dt, tensorutil.ToFloat64(res[1]), 1e-4)
}
