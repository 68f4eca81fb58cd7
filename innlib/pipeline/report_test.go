package pipeline

import (
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
