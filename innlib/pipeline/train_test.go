package pipeline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTrainStage trains the toy models, saves them, and checks that Reuse
// loads networks that compute the same functions, that the settings describe
// what ran, and that bad settings or mismatched saved models fail clearly.
func TestTrainStage(t *testing.T) {
	x := toyExperiment(t, "")
	if err := x.train(); err != nil {
		t.Fatal(err)
	}
	ms := x.res.Settings.Models
	if len(ms) != 3 || ms[0].Name != RecipeINN || ms[1].Name != RecipeCINN || ms[2].Name != "mlp" {
		t.Fatalf("models described: %+v", ms)
	}
	for _, m := range ms {
		if _, err := os.Stat(filepath.Join(x.cfg.OutDir, m.File)); err != nil {
			t.Errorf("%s not saved: %v", m.Name, err)
		}
		want := map[string]int{RecipeINN: 30, RecipeCINN: 30, "mlp": 300}[m.Name]
		if m.Epochs != want || m.BestEpoch < 0 || m.BestEpoch >= m.Epochs {
			t.Errorf("%s: %d epochs (best %d), want %d", m.Name, m.Epochs, m.BestEpoch, want)
		}
		for k, v := range m.History.Train {
			if len(v) != m.Epochs {
				t.Errorf("%s: %d values of %s for %d epochs", m.Name, len(v), k, m.Epochs)
			}
		}
	}

	// Reuse loads the same functions, once the run is committed.
	commitRun(t, x)
	cfg := x.cfg
	cfg.OutDir, cfg.Reuse = x.folder.dir, true
	y, err := newExperiment(x.in, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := y.train(); err != nil {
		t.Fatal(err)
	}
	probe := x.in.Val.X[:5]
	for _, f := range []struct {
		name string
		a, b func([][]float64) ([][]float64, error)
	}{{"inn", x.models.INN.Forward, y.models.INN.Forward}, {"mlp", x.models.MLP.Predict, y.models.MLP.Predict}} {
		pa, err1 := f.a(probe)
		pb, err2 := f.b(probe)
		if err1 != nil || err2 != nil || pa[4][2] != pb[4][2] {
			t.Errorf("%s after reuse: %v vs %v (%v, %v)", f.name, pb[4], pa[4], err1, err2)
		}
	}
	if !y.res.Settings.Reused || y.res.Settings.Models[0].TrainSecs != 0 {
		t.Errorf("reused models: reused %v, training time %g", y.res.Settings.Reused, y.res.Settings.Models[0].TrainSecs)
	}
	y.folder.close()

	// Models trained with another noise are refused, naming it.
	cfg.ObsNoise = []float64{0.3}
	if _, err := newExperiment(x.in, cfg); err == nil || !strings.Contains(err.Error(), "saved models were trained with noise sd 0.1, this run asks for 0.3") {
		t.Errorf("reuse with another noise: %v", err)
	}
	cfg.ObsNoise = x.cfg.ObsNoise

	// Saved models of another shape are refused.
	in := x.in
	drop := func(rows [][]float64) [][]float64 {
		out := make([][]float64, len(rows))
		for i, r := range rows {
			out[i] = r[:3]
		}
		return out
	}
	tr, va := *in.Train, *in.Val
	tr.Y, va.Y, tr.OutputNames = drop(tr.Y), drop(va.Y), tr.OutputNames[:3]
	va.OutputNames = tr.OutputNames
	in.Train, in.Val = &tr, &va
	in.Cases = append([]Case(nil), in.Cases...)
	for i := range in.Cases {
		in.Cases[i].Obs = in.Cases[i].Obs[:3]
	}
	if _, err := newExperiment(in, cfg); err == nil || !strings.Contains(err.Error(), "saved models have the outputs y1,y2,y3,y4, this run y1,y2,y3") {
		t.Errorf("reuse of models for 4 outputs on data with 3: %v", err)
	}
	cfg.ReuseAnyway = true // Then the checkpoints' own shapes still refuse.
	z, err := newExperiment(in, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(z.res.Warnings) == 0 || !strings.Contains(strings.Join(z.res.Warnings, "\n"), "reused anyway: saved models have the outputs") {
		t.Errorf("reuse anyway: warnings %q", z.res.Warnings)
	}
	if err := z.train(); err == nil || !strings.Contains(err.Error(), "saved inn model has 3 parameters and 4 outputs, the data 3 and 3") {
		t.Errorf("reuse of models for 4 outputs on data with 3: %v", err)
	}
	z.folder.close()

	// A flow too narrow for the INN fails before anything trains.
	cfg = toyConfig(t.TempDir())
	cfg.INN.Width = 4 // 3 parameters + 4 noise inputs do not fit.
	w, err := newExperiment(x.in, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.train(); err == nil || !strings.Contains(err.Error(), "inn settings") {
		t.Errorf("INN width 4: %v", err)
	}
	if _, err := os.Stat(filepath.Join(cfg.OutDir, "models", "mlp.ckpt")); err == nil {
		t.Error("the emulator trained although the INN's settings were bad")
	}
}
