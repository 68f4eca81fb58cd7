package notebook

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/janpfeifer/gonb/gonbui/protocol"
	"github.com/ozarkinn/inn/innlib/pipeline"
	"github.com/ozarkinn/inn/innlib/report"
)

func TestOutDir(t *testing.T) {
	t.Setenv("GONB_DIR", "/repo/notebooks")
	if got, want := OutDir(), filepath.FromSlash("/repo/out/ozark"); got != want {
		t.Errorf("OutDir() = %q, want %q", got, want)
	}
}

// Output opens the results.json found from GONB_DIR, as a cell does.
func TestOutput(t *testing.T) {
	root := t.TempDir()
	t.Setenv("GONB_DIR", filepath.Join(root, "notebooks"))
	dir := filepath.Join(root, "out", "ozark")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	res := &pipeline.Results{Schema: pipeline.ResultsSchema, Settings: pipeline.Settings{TrainRuns: 37}}
	if err := pipeline.WriteResults(filepath.Join(dir, "results.json"), res); err != nil {
		t.Fatal(err)
	}
	o := Output()
	if o.Dir != dir || o.Results.Settings.TrainRuns != 37 {
		t.Errorf("Output() read %s with %d training runs", o.Dir, o.Results.Settings.TrainRuns)
	}
}

func TestOutputMissing(t *testing.T) {
	t.Setenv("GONB_DIR", filepath.Join(t.TempDir(), "notebooks"))
	defer func() {
		if r := recover(); r == nil || !strings.Contains(strings.ToLower(r.(error).Error()), "results.json") {
			t.Errorf("recovered %v, want an error naming results.json", r)
		}
	}()
	Output()
}

func TestStatus(t *testing.T) {
	res := &pipeline.Results{Settings: pipeline.Settings{TrainRuns: 800, ValRuns: 200, Reused: true, ObsNoise: []float64{1, 2},
		OutputUnits: []string{"W m-2", "W m-2"}}}
	if got, want := Status(res), "800 training and 200 validation runs; models reused from disk; observation noise sd [1 2] W m-2"; got != want {
		t.Errorf("Status = %q, want %q", got, want)
	}
	res.Settings.Reused, res.Settings.OutputUnits = false, nil
	if got := Status(res); !strings.Contains(got, "models trained now") || !strings.HasSuffix(got, "[1 2]") {
		t.Errorf("Status = %q", got)
	}
}

func TestMust(t *testing.T) {
	if Must(3, nil) != 3 {
		t.Error("Must changed its value")
	}
	if a, b := Must2("x", 2, nil); a != "x" || b != 2 {
		t.Error("Must2 changed its values")
	}
	defer func() {
		if r := recover(); r != os.ErrNotExist {
			t.Errorf("recovered %v, want the error", r)
		}
	}()
	Must(0, os.ErrNotExist)
}

// The bundle carries the table as HTML (escaped) and as the same text
// WriteText prints, for front ends without HTML.
func TestDisplayData(t *testing.T) {
	tab := &report.Table{Header: []string{"parameter", "mean"}, Rows: [][]string{{"a<b", "1.5"}}}
	d, err := displayData(tab)
	if err != nil {
		t.Fatal(err)
	}
	h, _ := d.Data[protocol.MIMETextHTML].(string)
	txt, _ := d.Data[protocol.MIMETextPlain].(string)
	if !strings.Contains(h, "<td") || !strings.Contains(h, "a&lt;b") || strings.Contains(h, "a<b") {
		t.Errorf("HTML part:\n%s", h)
	}
	if want, _ := tab.Text(); txt != want || !strings.Contains(txt, "a<b") {
		t.Errorf("text part %q, want %q", txt, want)
	}
	if _, err := displayData(&report.Table{Header: []string{"a"}, Rows: [][]string{{"1", "2"}}}); err == nil {
		t.Error("a ragged table gave no error")
	}
}

func TestShowPanicsOnError(t *testing.T) {
	defer func() {
		if r := recover(); r != os.ErrInvalid {
			t.Errorf("recovered %v, want the builder's error", r)
		}
	}()
	Show(nil, os.ErrInvalid)
}
