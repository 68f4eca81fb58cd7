package pipeline

import (
	"testing"

	"github.com/ozarkinn/inn/innlib/metrics"
)

// The refinement round moves the conditional flow's posterior for an
// observation nearer the MCMC reference: on the toy experiment (30 epochs on
// 240 runs, so the amortized flow is rough) the classifier two-sample test
// tells the refined draws from MCMC's less well than the amortized ones, for
// every case. Both C2STs use the same MCMC draws, classifier and seed; the
// margin 0.02 is about twice the C2ST's spread over classifier seeds here.
func TestRefineNearerMCMC(t *testing.T) {
	x := toyExperiment(t, "mcmc")
	cfg := metrics.C2STConfig{Folds: 2, MaxEpochs: 50, Seed: 3}
	for i, c := range x.in.Cases {
		p := x.res.Cases[i].Posteriors[1]
		if p.Recipe != RecipeCINN || p.Refined == nil {
			t.Fatalf("case %s: posterior %s refined %v", c.Name, p.Recipe, p.Refined)
		}
		if r := p.Refined; r.Runs != 8000 || !(r.Acceptance > 0 && r.Acceptance < 1) || r.Proposed < r.Runs {
			t.Errorf("case %s: refinement %+v", c.Name, *r)
		}
		amortized, err := x.models.CINN.Posterior(c.Obs, 1000, x.cfg.Seed+100)
		if err != nil {
			t.Fatal(err)
		}
		ref := subsample(x.draws[RecipeMCMC][i], 1000, 9)
		a, err := metrics.C2ST(amortized, ref, cfg)
		if err != nil {
			t.Fatal(err)
		}
		r, err := metrics.C2ST(x.draws[RecipeCINN][i], ref, cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("case %s: C2ST against MCMC amortized %.3f, refined %.3f; %+v", c.Name, a.Accuracy, r.Accuracy, *p.Refined)
		if r.Accuracy > a.Accuracy-0.02 {
			t.Errorf("case %s: refined C2ST %.3f, amortized %.3f: no nearer MCMC", c.Name, r.Accuracy, a.Accuracy)
		}
	}
}

// Without refinement the conditional flow is sampled as trained.
func TestRefineOff(t *testing.T) {
	x := toyExperiment(t, "forward")
	x.cfg.Refine.Skip = true
	if err := x.invert(); err != nil {
		t.Fatal(err)
	}
	for _, c := range x.res.Cases {
		if c.Posteriors[1].Refined != nil {
			t.Errorf("case %s refined with Skip set", c.Name)
		}
	}
}

// A round that fails does not stop the run: the case is sampled from the
// amortized flow and the failure is reported. Here the truncation keeps
// almost nothing (Mass 1e-6), so the proposals run out.
func TestRefineFallback(t *testing.T) {
	x := toyExperiment(t, "forward")
	x.cfg.Refine = RefineConfig{Runs: 10, Mass: 1e-6}
	if err := x.invert(); err != nil {
		t.Fatal(err)
	}
	for i, c := range x.res.Cases {
		r := c.Posteriors[1].Refined
		if r == nil || r.Error == "" {
			t.Errorf("case %s: refinement %+v, want a reported failure", c.Name, r)
			continue
		}
		if x.refined[i] != x.models.CINN || len(x.draws[RecipeCINN][i]) != x.cfg.Samples {
			t.Errorf("case %s: not sampled from the amortized flow", c.Name)
		}
	}
}

// A rerun on the same models and settings (-reuse) reads each case's
// fine-tuned flow back from OutDir/cache instead of fine-tuning again, and
// samples the same draws; a changed setting misses the cache.
func TestRefineCached(t *testing.T) {
	x := toyExperiment(t, "forward")
	x.cfg.Refine = RefineConfig{Runs: 400, Epochs: 2}
	if err := x.invert(); err != nil {
		t.Fatal(err)
	}
	rerun := func(cfg RefineConfig) *experiment {
		y := toyExperiment(t, "train")
		y.cfg.OutDir, y.cfg.Refine = x.cfg.OutDir, cfg
		if err := y.forward(); err != nil {
			t.Fatal(err)
		}
		if err := y.invert(); err != nil {
			t.Fatal(err)
		}
		return y
	}
	y := rerun(x.cfg.Refine)
	for i, c := range x.res.Cases {
		first, again := c.Posteriors[1].Refined, y.res.Cases[i].Posteriors[1].Refined
		if first == nil || first.Error != "" || first.Cached {
			t.Fatalf("case %s: first round %+v", c.Name, first)
		}
		if again == nil || !again.Cached || again.Runs != first.Runs || again.Acceptance != first.Acceptance {
			t.Errorf("case %s: rerun %+v, want the first round's %+v read back", c.Name, again, first)
		}
		if digest(x.draws[RecipeCINN][i]) != digest(y.draws[RecipeCINN][i]) {
			t.Errorf("case %s: the cached flow samples other draws than the fine-tuned one", c.Name)
		}
	}
	z := rerun(RefineConfig{Runs: 400, Epochs: 3})
	for i, c := range z.res.Cases {
		if r := c.Posteriors[1].Refined; r == nil || r.Cached || r.Epochs != 3 {
			t.Errorf("case %d: with other settings %+v, want a new round", i, r)
		}
	}
}
