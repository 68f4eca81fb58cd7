package dataset

import (
	"context"
	"math"
	"testing"
)

// The real data, from a local mirror; skipped when none is present.
func TestOzarkRealData(t *testing.T) {
	mirror := sharedMirror(t)
	oz, err := (&Fetcher{Mirror: mirror, BaseURL: "http://127.0.0.1:1"}).LoadOzark(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if oz.Len() != 1000 || oz.NumParams() != 8 || oz.NumOutputs() != 5 {
		t.Fatalf("shape %d x (%d, %d)", oz.Len(), oz.NumParams(), oz.NumOutputs())
	}
	for i := range oz.X {
		if len(oz.X[i]) != 8 || len(oz.Y[i]) != 5 {
			t.Fatalf("row %d widths %d, %d", i, len(oz.X[i]), len(oz.Y[i]))
		}
	}
	if oz.ParamUnits[6] != "s" || oz.OutputUnits[0] != "W m-2" {
		t.Errorf("units %v %v", oz.ParamUnits, oz.OutputUnits)
	}

	// Every sample inside the manifest box, and the box tight: each bound
	// within 1% of the width of the nearest sample, so it is the box that was
	// sampled and not the wider one in the paper's text.
	for j := range 8 {
		lo, hi := math.Inf(1), math.Inf(-1)
		for i := range oz.X {
			v := oz.X[i][j]
			if v < oz.Lo[j] || v > oz.Hi[j] {
				t.Errorf("row %d %s = %g outside [%g, %g]", i, oz.ParamNames[j], v, oz.Lo[j], oz.Hi[j])
			}
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		w := oz.Hi[j] - oz.Lo[j]
		if lo-oz.Lo[j] > 0.01*w || oz.Hi[j]-hi > 0.01*w {
			t.Errorf("%s: samples span [%g, %g], box [%g, %g] is not tight", oz.ParamNames[j], lo, hi, oz.Lo[j], oz.Hi[j])
		}
	}
	// LH ranges stated in NOTES.md.
	ranges := [][2]float64{{42.3, 64.5}, {37.2, 61.1}, {40.2, 75.2}, {39.4, 75.6}, {45.7, 87.0}}
	for j, r := range ranges {
		lo, hi := math.Inf(1), math.Inf(-1)
		for i := range oz.Y {
			lo, hi = math.Min(lo, oz.Y[i][j]), math.Max(hi, oz.Y[i][j])
		}
		if math.Abs(lo-r[0]) > 0.06 || math.Abs(hi-r[1]) > 0.06 {
			t.Errorf("%s spans [%.2f, %.2f], want about %v", oz.OutputNames[j], lo, hi, r)
		}
	}

	// Synthetic cases, against the values in the paper notes, which are
	// rounded to 3-4 significant digits: 5e-3 relative covers that.
	close := func(got, want []float64, rel float64) bool {
		for i := range want {
			if math.Abs(got[i]-want[i]) > rel*math.Abs(want[i]) {
				return false
			}
		}
		return true
	}
	c1, err := oz.SyntheticCase(1)
	if err != nil {
		t.Fatal(err)
	}
	if c1.Row != 974 ||
		!close(c1.X, []float64{1.072, 0.0316, 0.161, 47.95, 1.213, 2.79e-6, 40790, 674.6}, 5e-3) ||
		!close(c1.Y, []float64{57.64, 53.29, 54.44, 53.65, 63.15}, 2e-4) {
		t.Errorf("case 1: %+v", c1)
	}
	c2, err := oz.SyntheticCase(2)
	if err != nil {
		t.Fatal(err)
	}
	if c2.Row != 988 || !close(c2.X, []float64{1.868, 0.0319, 0.211, 28.6, 0.865, 2.90e-6, 42490, 921}, 5e-3) {
		t.Errorf("case 2: %+v", c2)
	}
	if _, err := oz.SyntheticCase(3); err == nil {
		t.Error("case 3 exists")
	}

	train, val, err := oz.DefaultSplit()
	if err != nil {
		t.Fatal(err)
	}
	if train.Len() != 800 || val.Len() != 200 {
		t.Errorf("split %d / %d", train.Len(), val.Len())
	}
	// Both cases are validation runs: row r is validation row r-800.
	if val.X[974-800][6] != c1.X[6] || val.Y[988-800][0] != c2.Y[0] {
		t.Error("synthetic cases are not in the validation part at the expected rows")
	}

	obs, err := oz.Observed()
	if err != nil {
		t.Fatal(err)
	}
	if err := obs.Check(&oz.Ensemble); err != nil {
		t.Error(err)
	}
	if obs.Values[0][0] != 46.8 || obs.Values[0][4] != 56.5 || obs.Units[0] != "W m-2" {
		t.Errorf("observed %+v", obs)
	}
}

// LoadOzark with the environment variables only, as CI runs it.
func TestLoadOzarkFromEnv(t *testing.T) {
	mirror := sharedMirror(t)
	cache := t.TempDir()
	t.Setenv(EnvMirror, mirror)
	t.Setenv(EnvCache, cache)
	oz, err := LoadOzark(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if oz.Len() != 1000 {
		t.Errorf("%d runs", oz.Len())
	}
	for name, p := range oz.Paths {
		if want := cache + "/elm-usmoz/" + name; p != want {
			t.Errorf("%s cached at %s, want %s", name, p, want)
		}
	}
}
