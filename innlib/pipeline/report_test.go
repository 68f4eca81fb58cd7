package pipeline

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReportStage writes the results of the whole toy experiment and reads
// them back, and refuses a results file of another schema.
func TestReportStage(t *testing.T) {
	x := toyExperiment(t, "calibrate")
	if err := x.report(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(x.cfg.OutDir, "results.json")
	r, err := ReadResults(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Cases) != 3 || len(r.Cases[0].Posteriors) != 3 || len(r.Calibration) != 2 || r.Cases[2].BestFit == nil || !(r.Timing.Total > 0) {
		t.Fatalf("results read back: %d cases, %d posteriors, %d calibrations, total %g s", len(r.Cases), len(r.Cases[0].Posteriors), len(r.Calibration), r.Timing.Total)
	}
	if got, want := r.Cases[1].Posteriors[2].Params[1].Q975, x.res.Cases[1].Posteriors[2].Params[1].Q975; got != want {
		t.Errorf("a quantile read back as %v, computed %v", got, want)
	}
	if !strings.HasPrefix(r.Notes[0], "observed: made up for the test") {
		t.Errorf("first note %q, want the observed case's", r.Notes[0])
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	old := filepath.Join(t.TempDir(), "results.json")
	if err := os.WriteFile(old, []byte(strings.Replace(string(data), ResultsSchema, "innlib-results/1", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadResults(old); err == nil || !strings.Contains(err.Error(), `schema "innlib-results/1"`) {
		t.Errorf("results of schema 1: %v", err)
	}
}

// TestInputErrors checks that inputs and settings that do not fit together
// fail before anything runs, saying what is wrong.
func TestInputErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		edit func(*Inputs, *Config)
		want string
	}{
		{"noise", func(in *Inputs, c *Config) { c.ObsNoise = []float64{0.1, 0.1} }, "2 observation-noise sds for 4 outputs"},
		{"case name", func(in *Inputs, c *Config) { in.Cases[2].Name = "my/case" }, `case name "my/case"`},
		{"repeated case", func(in *Inputs, c *Config) { in.Cases[2].Name = "synthetic-1" }, `unique and non-empty (got "synthetic-1")`},
		{"short observation", func(in *Inputs, c *Config) { in.Cases[1].Obs = in.Cases[1].Obs[:3] }, `case "synthetic-2" has 3 observed values for 4 outputs`},
		{"samples", func(in *Inputs, c *Config) { c.Samples = 1 }, "samples 1"},
		{"NaN observation", func(in *Inputs, c *Config) { in.Cases[2].Obs[1] = math.NaN() }, `case "observed": observed y2 is NaN: want a finite value`},
		{"infinite observation", func(in *Inputs, c *Config) { in.Cases[2].Obs[0] = math.Inf(1) }, `observed y1 is +Inf`},
		{"NaN truth", func(in *Inputs, c *Config) { in.Cases[0].Truth[2] = math.NaN() }, `case "synthetic-1": true c is NaN`},
		{"three noise sds", func(in *Inputs, c *Config) { c.ObsNoise = []float64{1, 1, 1} }, "3 observation-noise sds for 4 outputs"},
		{"zero noise", func(in *Inputs, c *Config) { c.ObsNoise = []float64{0} }, "observation-noise sd 0: want a finite value above 0"},
		{"negative noise", func(in *Inputs, c *Config) { c.ObsNoise = []float64{0.1, -1, 0.1, 0.1} }, "observation-noise sd -1"},
		{"NaN noise", func(in *Inputs, c *Config) { c.ObsNoise = []float64{math.NaN()} }, "observation-noise sd NaN"},
		{"empty noise", func(in *Inputs, c *Config) { c.ObsNoise = []float64{} }, "Config.ObsNoise is empty"},
		{"no folder", func(in *Inputs, c *Config) { c.OutDir = "" }, "no output folder"},
		{"reuse without models", func(in *Inputs, c *Config) { c.Reuse = true }, "-reuse: pipeline: "},
	} {
		in, cfg := toyInputs(t), toyConfig(t.TempDir())
		c.edit(&in, &cfg)
		if _, err := newExperiment(in, cfg); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error containing %q", c.name, err, c.want)
		}
	}
}
