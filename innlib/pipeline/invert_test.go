package pipeline

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/ozarkinn/inn/innlib/dataset"
)

// TestInvertStage checks the posteriors of every case: both recipes in
// order, the draws on disk match the summaries, truths only for synthetic
// cases, MAPs and best-fit starts inside the box, and the same draws again
// for the same seed.
func TestInvertStage(t *testing.T) {
	x := toyExperiment(t, "forward")
	if err := x.invert(); err != nil {
		t.Fatal(err)
	}
	if len(x.res.Cases) != 3 {
		t.Fatalf("%d cases, want 3", len(x.res.Cases))
	}
	for i, c := range x.res.Cases {
		if c.Name != x.in.Cases[i].Name || len(c.Posteriors) != 2 || c.Posteriors[0].Recipe != RecipeINN || c.Posteriors[1].Recipe != RecipeCINN {
			t.Fatalf("case %d: %s with %d posteriors", i, c.Name, len(c.Posteriors))
		}
		if len(x.bestStarts(i)) < 2 {
			t.Errorf("case %s: %d best-fit starts", c.Name, len(x.bestStarts(i)))
		}
		for _, s := range x.bestStarts(i) {
			checkInBox(t, c.Name+" start", s, x.in.Train)
		}
		for k, p := range c.Posteriors {
			if p.Samples != 1000 || len(x.draws[p.Recipe][i]) != 1000 {
				t.Errorf("case %s %s: %d samples", c.Name, p.Recipe, p.Samples)
			}
			checkInBox(t, c.Name+" "+p.Recipe+" MAP", p.MAP, x.in.Train)
			if (c.Truth != nil) != (p.TruthInside95 != nil) || (c.Truth != nil) != (p.Params[0].Truth != nil) {
				t.Errorf("case %s %s: truth scores present %v for truth %v", c.Name, p.Recipe, p.TruthInside95 != nil, c.Truth)
			}
			tab, err := dataset.ReadCSV(filepath.Join(x.cfg.OutDir, p.SamplesFile))
			if err != nil {
				t.Fatal(err)
			}
			rows, err := tab.Floats("a", "b", "c")
			if err != nil || len(rows) != 1000 {
				t.Fatalf("%s: %d rows (%v)", p.SamplesFile, len(rows), err)
			}
			for j, q := range p.Params {
				var m float64
				for _, r := range rows {
					m += r[j] / float64(len(rows))
				}
				if math.Abs(m-q.Mean) > 1e-6*(1+math.Abs(q.Mean)) {
					t.Errorf("case %s %s %s: mean %g, the file's %g", c.Name, p.Recipe, q.Name, q.Mean, m)
				}
			}
			if pred, err := dataset.ReadCSV(filepath.Join(x.cfg.OutDir, p.PredictiveFile)); err != nil || pred.Len() != 1000 {
				t.Errorf("%s: %v", p.PredictiveFile, err)
			}
			if k == 1 && p.MAPMethod == x.res.Cases[i].Posteriors[0].MAPMethod {
				t.Errorf("case %s: the conditional flow's MAP found like the INN's (%s)", c.Name, p.MAPMethod)
			}
		}
	}
	// The same seed gives the same draws.
	y := toyExperiment(t, "forward")
	if err := y.invert(); err != nil {
		t.Fatal(err)
	}
	if a, b := x.draws[RecipeCINN][2][500], y.draws[RecipeCINN][2][500]; a[1] != b[1] {
		t.Errorf("draw 500 of the observed case: %v, then %v", a, b)
	}
}

func checkInBox(t *testing.T, what string, p []float64, e *dataset.Ensemble) {
	t.Helper()
	for j, v := range p {
		if v < e.Lo[j] || v > e.Hi[j] {
			t.Errorf("%s %v: parameter %s outside [%g, %g]", what, p, e.ParamNames[j], e.Lo[j], e.Hi[j])
		}
	}
}
