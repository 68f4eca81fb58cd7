package pipeline

import (
	"slices"
	"testing"

	"github.com/ozarkinn/inn/innlib/calib"
)

// TestCalibrateStage checks that both recipes are checked with the
// experiment's noise, sizes and one set of simulated bounds, and that a
// check that cannot be computed is reported, not returned.
func TestCalibrateStage(t *testing.T) {
	x := toyExperiment(t, "train")
	x.cfg.Calibration.Runs = 1000 // More than the 60 validation runs: all are used.
	if err := x.calibrate(); err != nil {
		t.Fatal(err)
	}
	cal := x.res.Calibration
	if len(cal) != 2 || cal[0].Recipe != RecipeINN || cal[1].Recipe != RecipeCINN {
		t.Fatalf("calibration entries %+v", cal)
	}
	for _, rc := range cal {
		if rc.Error != "" || rc.Runs != 60 || rc.Draws != 100 || !slices.Equal(rc.Noise, []float64{toyNoise}) || len(rc.Params) != 3 || rc.Params[2].Name != "c" {
			t.Errorf("%s: error %q, %d runs × %d draws, noise %v, %d parameters", rc.Recipe, rc.Error, rc.Runs, rc.Draws, rc.Noise, len(rc.Params))
		}
	}
	if cal[0].Bounds.MaxError != cal[1].Bounds.MaxError || cal[0].Bounds.Sims != cal[1].Bounds.Sims || !(cal[0].Bounds.MaxError > 0) {
		t.Errorf("bounds not shared: %+v and %+v", cal[0].Bounds, cal[1].Bounds)
	}
	// Every draw on one point: the ranks are undefined and the check says so.
	constant := func(obs [][]float64, n int, seed uint64) ([][][]float64, error) {
		out := make([][][]float64, len(obs))
		for i := range out {
			for range n {
				out[i] = append(out[i], []float64{1, 2, 0})
			}
		}
		return out, nil
	}
	rc := calibrateRecipe("constant", constant, x.in.Val, calib.Config{Draws: 20, Noise: []float64{toyNoise}, Seed: 1})
	if rc.Error == "" || rc.Recipe != "constant" {
		t.Errorf("constant posterior: error %q", rc.Error)
	}
}
