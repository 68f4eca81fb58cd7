package pipeline

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ozarkinn/inn/innlib/emulator"
)

// TestSurrogateProbe checks the MCMC cache's probe of the emulator: the same
// after a save and load (so -reuse finds the cached chains), different for an
// emulator that computes another function.
func TestSurrogateProbe(t *testing.T) {
	x := make([][]float64, 41) // 41 rows in calls of 8: a short last call.
	y := make([][]float64, 41)
	for i := range x {
		a, b := float64(i%7)/7, float64(i%5)/5
		x[i], y[i] = []float64{a, b}, []float64{a + b, a * b}
	}
	train := func(seed uint64) *emulator.MLP {
		m, err := emulator.Train(x[:30], y[:30], x[30:], y[30:], emulator.Config{Layers: 2, Width: 8, Epochs: 3, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	m := train(1)
	p1, err := surrogateProbe(m, x, 8)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "mlp.ckpt")
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	loaded, err := emulator.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if p2, err := surrogateProbe(loaded, x, 8); err != nil || p2 != p1 {
		t.Errorf("probe after save and load %s (%v), before %s", p2, err, p1)
	}
	if p3, err := surrogateProbe(train(2), x, 8); err != nil || p3 == p1 {
		t.Errorf("another emulator gave the same probe %s (%v)", p3, err)
	}
	// The probe hashes outputs, not weights: the same emulator at other
	// points, or without the last point, gives another probe.
	if p4, err := surrogateProbe(m, x[:40], 8); err != nil || p4 == p1 {
		t.Errorf("probe without the last row %s (%v), with it %s", p4, err, p1)
	}
	// The batch size does not change the outputs.
	if p5, err := surrogateProbe(m, x, 7); err != nil || p5 != p1 {
		t.Errorf("probe in calls of 7 rows %s (%v), of 8 rows %s", p5, err, p1)
	}
}

// TestMCMCStage runs the samplers on the toy cases and checks the runs, the
// MCMC posterior (it must cover the synthetic truths: the emulator is close
// to the simulator and the chains are long for three parameters), and that a
// rerun reads the runs back from the cache unless the observation noise
// changed.
func TestMCMCStage(t *testing.T) {
	x := toyExperiment(t, "invert")
	if err := x.mcmc(); err != nil {
		t.Fatal(err)
	}
	for i, c := range x.res.Cases {
		if len(c.MCMC) != 3 || c.MCMC[0].Name != "paper" || c.MCMC[1].Name != "reference" || c.MCMC[2].Name != ReferenceINNSurrogate || c.MCMC[2].Surrogate != "inn" {
			t.Fatalf("case %s: MCMC runs %+v", c.Name, c.MCMC)
		}
		ref := c.MCMC[1]
		if want := 16 * (6000 - 3000) / 10; ref.Samples != want || len(x.draws[RecipeMCMC][i]) != want {
			t.Errorf("case %s: %d reference samples, want %d", c.Name, ref.Samples, want)
		}
		if len(ref.Tau) != 3 || len(ref.RHat) != 3 || !(ref.MeanAcceptance > 0.1 && ref.MeanAcceptance < 0.9) {
			t.Errorf("case %s: reference diagnostics τ %v, R-hat %v, acceptance %g", c.Name, ref.Tau, ref.RHat, ref.MeanAcceptance)
		}
		if _, err := os.Stat(filepath.Join(x.cfg.OutDir, ref.SamplesFile)); err != nil {
			t.Error(err)
		}
		p := c.Posteriors[len(c.Posteriors)-1]
		if len(c.Posteriors) != 3 || p.Recipe != RecipeMCMC || p.Seconds != ref.Seconds || p.Samples != ref.Samples {
			t.Fatalf("case %s: posteriors %d, last %s (%g s, %d samples)", c.Name, len(c.Posteriors), p.Recipe, p.Seconds, p.Samples)
		}
		if c.Truth != nil && !*p.TruthInside95 {
			t.Errorf("case %s: truth %v outside the MCMC posterior's 95%% intervals %+v", c.Name, c.Truth, p.Params)
		}
	}
	// The same inputs again: every run comes from the cache, timings included.
	y := toyExperiment(t, "invert")
	y.cfg.OutDir = x.cfg.OutDir
	if err := y.mcmc(); err != nil {
		t.Fatal(err)
	}
	if a, b := x.res.Cases[1].MCMC[1], y.res.Cases[1].MCMC[1]; a.Seconds != b.Seconds || a.MeanAcceptance != b.MeanAcceptance {
		t.Errorf("rerun not read from the cache: %g s vs %g s", a.Seconds, b.Seconds)
	}
	// Another noise level is another posterior.
	z := toyExperiment(t, "invert")
	z.cfg.OutDir, z.cfg.ObsNoise = x.cfg.OutDir, []float64{0.2}
	if err := z.mcmc(); err != nil {
		t.Fatal(err)
	}
	if a, b := x.res.Cases[1].Posteriors[2], z.res.Cases[1].Posteriors[2]; !(b.Params[2].SD > 1.3*a.Params[2].SD) {
		t.Errorf("noise 0.2: posterior sd of c %g, with noise 0.1 %g; want it wider", b.Params[2].SD, a.Params[2].SD)
	}
}
