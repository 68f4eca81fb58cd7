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

// TestEnginesAgree checks the two engines against each other on the same
// weights and batch, for each recipe and the options that change the loss or
// its gradient (padding on both sides, modelled observation noise,
// reconstruction, surgery, SiLU): the loss terms and the combined gradient
// before clipping (the native engine's hand-derived one against GoMLX's
// autodiff), validation through the engine interface, and one optimiser step
// (total, gradient norm, and the weights after Adam: optim.Adam against
// GoMLX's optimizers.Adam).
func TestEnginesAgree(t *testing.T) {
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
			w := tr.weightsFor(0, true)
			names := termNames(tr.terms)
			ge, err := newGraphEngine(tr.m)
			if err != nil {
				t.Fatal(err)
			}
			ne, err := newNativeEngine(tr.m)
			if err != nil {
				t.Fatal(err)
			}
			start := ne.snapshot()
			assertSameSnapshot(t, "initial weights, native vs graph", start, ge.snapshot(), 0)

			// GoMLX: the terms and the gradient the step uses, before clipping.
			wArgs := make([]any, len(names))
			for i, name := range names {
				wArgs[i] = ge.scalar(w[name])
			}
			numData := ge.numDataInputs()
			exec, err := context.NewExec(tr.m.backend, tr.m.ctx, func(ctx *context.Context, in []*graph.Node) []*graph.Node {
				tm := ge.termsGraph(in[:numData])
				total, grads := ge.gradientGraph(ctx, tm, in[numData:])
				outs := []*graph.Node{total}
				for _, name := range names {
					outs = append(outs, tm[name])
				}
				return append(outs, grads...)
			})
			if err != nil {
				t.Fatal(err)
			}
			res, err := exec.Exec(append(ge.graphArgs(b), wArgs...)...)
			if err != nil {
				t.Fatal(err)
			}
			var want []float64 // gradients in Variables() order (creation order, as GoMLX enumerates them)
			for _, r := range res[1+len(names):] {
				want = append(want, tensorutil.ToFloat64(r)...)
			}

			terms := ne.termValues(b, w, true)
			got, _ := ne.gradient()

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

			// Validation through the interface.
			gv, err := ge.validate(b)
			if err != nil {
				t.Fatal(err)
			}
			nv, err := ne.validate(b)
			if err != nil {
				t.Fatal(err)
			}
			for i, name := range names {
				if math.Abs(gv[i]-nv[i]) > 1e-4*math.Max(1, math.Abs(gv[i])) {
					t.Errorf("validate %s: native %.6g, graph %.6g", name, nv[i], gv[i])
				}
			}

			// One step, with a learning rate large enough to see Adam's step.
			const lr = 1e-2
			for _, e := range []engine{ge, ne} {
				if err := e.setSchedule(lr, w); err != nil {
					t.Fatal(err)
				}
			}
			rg, err := ge.step(b)
			if err != nil {
				t.Fatal(err)
			}
			rn, err := ne.step(b)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(rg.total-rn.total) > 1e-4*math.Max(1, math.Abs(rg.total)) {
				t.Errorf("step total: native %.6g, graph %.6g", rn.total, rg.total)
			}
			if math.Abs(rg.gradNorm-rn.gradNorm) > 1e-3*rg.gradNorm {
				t.Errorf("step gradient norm: native %.6g, graph %.6g", rn.gradNorm, rg.gradNorm)
			}
			// Adam's first step is about lr·sign(g) wherever |g| ≫ ε, so the
			// weights move alike except where the gradient is tiny and its
			// float32 noise flips the sign; a wrong step size, bias correction
			// or decay moves every weight differently.
			after, gAfter := ne.snapshot(), ge.snapshot()
			var n, off int
			var sq float64
			for i := range after {
				for j := range after[i] {
					dn, dg := after[i][j]-start[i][j], gAfter[i][j]-start[i][j]
					sq += (dn - dg) * (dn - dg)
					if math.Abs(dn-dg) > 1e-3*lr {
						off++
					}
					n++
				}
			}
			rms := math.Sqrt(sq/float64(n)) / lr
			t.Logf("after one step: %d of %d weights moved differently by > 1e-3·lr; RMS difference %.2g·lr", off, n, rms)
			if off > n/100 || rms > 0.02 {
				t.Errorf("after one step, %d of %d weights moved differently by > 1e-3·lr (RMS difference %.2g·lr)", off, n, rms)
			}
		})
	}
}

// TestEngineSnapshotRestore: restore brings back a snapshot's weights, in
// the engine (the next snapshot) and in the model's variables.
func TestEngineSnapshotRestore(t *testing.T) {
	for _, engineName := range []string{EngineNative, EngineGraph} {
		t.Run(engineName, func(t *testing.T) {
			cfg := Config{Flow: flow.Config{Blocks: 2, Subnet: dense.MLPConfig{Layers: 2, Width: 8}},
				Train: TrainConfig{Engine: engineName, BatchSize: 8, Seed: 4}}
			tr := newTestTrainer(t, cfg, 40)
			if err := tr.prepare(); err != nil {
				t.Fatal(err)
			}
			if err := tr.eng.setSchedule(1e-2, tr.weightsFor(0, true)); err != nil {
				t.Fatal(err)
			}
			before := tr.eng.snapshot()
			if _, err := tr.step(seq(8)); err != nil {
				t.Fatal(err)
			}
			moved := tr.eng.snapshot()
			if snapshotsEqual(before, moved) {
				t.Fatal("a step left the weights unchanged")
			}
			if err := tr.eng.restore(before); err != nil {
				t.Fatal(err)
			}
			assertSameSnapshot(t, "engine after restore", tr.eng.snapshot(), before, 0)
			vars := tr.m.net.Variables()
			model := make(snapshot, len(vars))
			for i, v := range vars {
				model[i] = tensorutil.ToFloat64(v.MustValue())
			}
			assertSameSnapshot(t, "model variables after restore", model, before, 0)
			if err := tr.eng.restore(before[:1]); err == nil {
				t.Error("restoring a snapshot of another size succeeded")
			}
		})
	}
}

func snapshotsEqual(a, b snapshot) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if a[i][j] != b[i][j] {
				return false
			}
		}
	}
	return true
}

func assertSameSnapshot(t *testing.T, what string, got, want snapshot, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d variables, want %d", what, len(got), len(want))
	}
	for i := range got {
		if len(got[i]) != len(want[i]) {
			t.Fatalf("%s: variable %d has %d values, want %d", what, i, len(got[i]), len(want[i]))
		}
		for j := range got[i] {
			if math.Abs(got[i][j]-want[i][j]) > tol {
				t.Fatalf("%s: variable %d value %d is %.9g, want %.9g", what, i, j, got[i][j], want[i][j])
			}
		}
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
