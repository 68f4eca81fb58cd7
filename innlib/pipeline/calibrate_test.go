package pipeline

import (
	"encoding/json"
	"os"
	"path/filepath"
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

// A rerun on the same models and settings reads each recipe's calibration
// back from OutDir/cache: the same report, and a record a test marks is what
// comes back; other settings miss the cache.
func TestCalibrateCached(t *testing.T) {
	x := toyExperiment(t, "train")
	if err := x.calibrate(); err != nil {
		t.Fatal(err)
	}
	first := x.res.Calibration
	again := func(draws int) []RecipeCalibration {
		y := toyExperiment(t, "train")
		y.cfg.OutDir, y.cfg.Calibration.Draws = x.cfg.OutDir, draws
		if err := y.calibrate(); err != nil {
			t.Fatal(err)
		}
		return y.res.Calibration
	}
	second := again(x.cfg.Calibration.Draws)
	for i := range first {
		a, _ := json.Marshal(first[i])
		b, _ := json.Marshal(second[i])
		if string(a) != string(b) {
			t.Errorf("%s: the rerun's calibration differs from the first", first[i].Recipe)
		}
	}
	// Mark the stored record: a rerun must return it rather than recompute.
	path := filepath.Join(x.cfg.OutDir, "cache", "calibration_"+RecipeINN+".json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var e memoEntry[RecipeCalibration]
	if err := json.Unmarshal(data, &e); err != nil {
		t.Fatal(err)
	}
	e.Value.Error = "marked"
	if err := memoWrite(path, e.Key, e.Value); err != nil {
		t.Fatal(err)
	}
	if got := again(x.cfg.Calibration.Draws); got[0].Error != "marked" {
		t.Errorf("the rerun did not read the stored calibration back (error %q)", got[0].Error)
	}
	if got := again(x.cfg.Calibration.Draws + 10); got[0].Error != "" || got[0].Draws != x.cfg.Calibration.Draws+10 {
		t.Errorf("with other settings: error %q, %d draws; want a new check", got[0].Error, got[0].Draws)
	}
}
