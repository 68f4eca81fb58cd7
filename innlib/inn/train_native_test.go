package inn

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/ml/context"

	"github.com/ozarkinn/inn/innlib/dense"
	"github.com/ozarkinn/inn/innlib/flow"
	"github.com/ozarkinn/inn/innlib/internal/tensorutil"
)

// newTestTrainer builds a model and trainer on the Ozark-shaped test data
// without training, with random weights everywhere (a fresh flow's heads are
// zero, which would leave most gradient paths untested).
func newTestTrainer(t *testing.T, c Config, rows int) *trainer {
	t.Helper()
	x, y, lo, hi := paperData(rows, 2)
	c.Lo, c.Hi = lo, hi
	m := untrainedModel(t, c, x, y)
	rng := rand.New(rand.NewPCG(5, 5))
	for _, v := range m.net.Variables() {
		vals := make([]float64, v.Shape().Size())
		for i := range vals {
			vals[i] = 0.15 * rng.NormFloat64()
		}
		if err := v.SetValue(tensorutil.FromFloat64(m.dtype, vals, v.Shape().Dimensions...)); err != nil {
			t.Fatal(err)
		}
	}
	n := rows * 4 / 5
	return newTrainer(m, x[:n], y[:n], x[n:], y[n:])
}

// TestNativeGradientMatchesGoMLX checks the hand-derived loss terms and the
// combined gradient of the native engine against GoMLX's autodiff of the
// graph version, on the same weights and batch, for each recipe and the
// options that change the gradient (padding on both sides, modelled
// observation noise, reconstruction, surgery).
func TestNativeGradientMatchesGoMLX(t *testing.T) {
	sub := flow.Config{Blocks: 3, Subnet: dense.MLPConfig{Layers: 3, Width: 24}}
	siluSub := sub
	siluSub.Subnet.Activation = "silu"
	weights := LossConfig{Fit: 1, LatentMMD: 0.7, BackwardMMD: 1.3, Padding: 0.5}
	cases := []struct {
		name string
		cfg  Config
	}{
		{"bidirectional, padded, project", Config{Width: 12, Flow: sub, Loss: weights}},
		{"bidirectional, noise inputs, reconstruction, sum", Config{ObsNoise: []float64{1.5}, Width: 16, Flow: sub,
			Loss: LossConfig{Fit: 1, LatentMMD: 0.7, BackwardMMD: 1.3, Padding: 0.5, Reconstruction: 0.4, Surgery: "sum"}}},
		{"bidirectional, noise inputs, project", Config{ObsNoise: []float64{1.5}, Flow: sub, Loss: weights}},
		// The Ozark INN's subnetworks: the native SiLU keeps σ on the tape.
		{"bidirectional, noise inputs, project, SiLU", Config{ObsNoise: []float64{1.5}, Flow: siluSub, Loss: weights}},
		{"conditional, padded", Config{Recipe: Conditional, Width: 10, ObsNoise: []float64{1}, Flow: sub}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.cfg.Train = TrainConfig{Engine: EngineGraph, BatchSize: 16, Seed: 3}
			tr := newTestTrainer(t, tc.cfg, 60)
			b := tr.drawBatch(tr.xs, tr.ys, seq(16), rand.New(rand.NewPCG(7, 7)))
			w, wArgs := tr.weightArgs(0)
			names := tr.termOrder()

			// GoMLX: the step's terms and gradient, before clipping.
			numData := tr.numDataInputs()
			exec, err := context.NewExec(tr.m.backend, tr.m.ctx, func(ctx *context.Context, in []*graph.Node) []*graph.Node {
				tm := tr.termsGraph(in[:numData])
				total, grads := tr.gradientGraph(ctx, tm, in[numData:])
				outs := []*graph.Node{total}
				for _, name := range names {
					outs = append(outs, tm[name])
				}
				return append(outs, grads...)
			})
			if err != nil {
				t.Fatal(err)
			}
			res, err := exec.Exec(append(tr.graphArgs(b), wArgs...)...)
			if err != nil {
				t.Fatal(err)
			}
			var want []float64 // gradients in Variables() order (creation order, as GoMLX enumerates them)
			for _, r := range res[1+len(names):] {
				want = append(want, tensorutil.ToFloat64(r)...)
			}

			nat, err := newNative(tr.m)
			if err != nil {
				t.Fatal(err)
			}
			tr.nat = nat
			terms := tr.nativeTerms(b, w, true)
			got := tr.nativeGradient()

			for i, name := range names {
				g, n := tensorutil.Scalar(res[1+i]), terms[name]
				if math.Abs(g-n) > 1e-4*math.Max(1, math.Abs(g)) {
					t.Errorf("term %s: native %.6g, GoMLX %.6g", name, n, g)
				}
			}
			if len(got) != len(want) {
				t.Fatalf("native gradient has %d values, GoMLX %d", len(got), len(want))
			}
			scale, worst, at := 0.0, 0.0, 0
			for _, v := range want {
				scale = math.Max(scale, math.Abs(v))
			}
			for i := range want {
				if d := math.Abs(float64(got[i]) - want[i]); d > worst {
					worst, at = d, i
				}
			}
			// float32 sums in different orders differ by ~1e-6 relative; a
			// wrong or missing term is off by far more than 1e-3.
			if scale == 0 || worst > 1e-3*scale {
				t.Errorf("gradient differs by %.3g at %d (native %.6g, GoMLX %.6g; largest |g| %.3g)", worst, at, got[at], want[at], scale)
			}
			t.Logf("largest |g| %.3g, largest difference %.2g", scale, worst)
		})
	}
}

// TestEnginesTrainAlike trains the same small model with both engines: the
// gradients agree, so the validation losses should end close (not equal:
// float32 rounding differs and training amplifies it).
func TestEnginesTrainAlike(t *testing.T) {
	if testing.Short() {
		t.Skip("trains two models")
	}
	x, y, lo, hi := paperData(300, 4)
	final := map[string]float64{}
	for _, engine := range []string{EngineNative, EngineGraph} {
		c := Config{Lo: lo, Hi: hi, Flow: flow.Config{Subnet: dense.MLPConfig{Width: 32}},
			Train: TrainConfig{Epochs: 15, BatchSize: 32, Seed: 9, Engine: engine}}
		m, err := Train(x, y, c)
		if err != nil {
			t.Fatal(err)
		}
		h := m.History()
		final[engine] = h.Epochs[h.BestEpoch].Val[TermFit]
	}
	n, g := final[EngineNative], final[EngineGraph]
	t.Logf("best validation fit: native %.4g, graph %.4g", n, g)
	if n > 1.1*g || g > 1.1*n {
		t.Errorf("validation fit differs between engines: native %.4g, graph %.4g", n, g)
	}
}
