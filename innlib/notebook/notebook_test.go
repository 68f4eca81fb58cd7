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

// writeResults writes a results.json with the given number of training runs.
func writeResults(t *testing.T, dir string, trainRuns int) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "results.json")
	res := &pipeline.Results{Schema: pipeline.ResultsSchema, Settings: pipeline.Settings{TrainRuns: trainRuns}}
	if err := pipeline.WriteResults(path, res); err != nil {
		t.Fatal(err)
	}
	return path
}

// The notebooks read the main job's folder when it has results, and
// otherwise their own folder, never the other way round.
func TestOutDir(t *testing.T) {
	root := t.TempDir()
	t.Setenv("GONB_DIR", filepath.Join(root, "notebooks"))
	main, own := filepath.Join(root, "out", "ozark"), filepath.Join(root, "out", "notebooks", "ozark")
	if MainDir() != main || OwnDir() != own {
		t.Fatalf("MainDir %q, OwnDir %q", MainDir(), OwnDir())
	}
	if got := OutDir(); got != own {
		t.Errorf("without the main job's results OutDir() = %q, want %q", got, own)
	}
	writeResults(t, main, 1)
	if got := OutDir(); got != main {
		t.Errorf("with the main job's results OutDir() = %q, want %q", got, main)
	}
}

// With the main job's results present, the experiment is read, not rerun,
// and the main job's results.json is left byte for byte as it was.
func TestExperimentReadsMainJob(t *testing.T) {
	root := t.TempDir()
	t.Setenv("GONB_DIR", filepath.Join(root, "notebooks"))
	main, own := filepath.Join(root, "out", "ozark"), filepath.Join(root, "out", "notebooks", "ozark")
	path := writeResults(t, main, 800)
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ran := false
	res, where, err := experiment(main, own, func(pipeline.Config) (*pipeline.Results, error) {
		ran = true
		return nil, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if ran || res.Settings.TrainRuns != 800 || !strings.Contains(where, "read from out/ozark.") {
		t.Errorf("ran %v, %d training runs, %q: want the main job's results read", ran, res.Settings.TrainRuns, where)
	}
	after, err := os.ReadFile(path)
	if err != nil || string(after) != string(before) {
		t.Errorf("the main job's results.json changed (%v)", err)
	}
	if _, err := os.Stat(own); !os.IsNotExist(err) {
		t.Errorf("the notebooks' own folder was created: %v", err)
	}
}

// Without them, the experiment runs into the notebooks' own folder.
func TestExperimentRunsIntoOwnFolder(t *testing.T) {
	root := t.TempDir()
	t.Setenv("GONB_DIR", filepath.Join(root, "notebooks"))
	main, own := filepath.Join(root, "out", "ozark"), filepath.Join(root, "out", "notebooks", "ozark")
	var got string
	res, where, err := experiment(main, own, func(cfg pipeline.Config) (*pipeline.Results, error) {
		got = cfg.OutDir
		return &pipeline.Results{Settings: pipeline.Settings{TrainRuns: 5}}, nil
	})
	if err != nil || res.Settings.TrainRuns != 5 {
		t.Fatal(res, err)
	}
	if got != own || !strings.Contains(where, "own folder out/notebooks/ozark.") {
		t.Errorf("ran into %q (%q), want %q", got, where, own)
	}
	if _, err := os.Stat(main); !os.IsNotExist(err) {
		t.Errorf("the main job's folder was created: %v", err)
	}
}

// Output opens the results.json found from GONB_DIR, as a cell does.
func TestOutput(t *testing.T) {
	root := t.TempDir()
	t.Setenv("GONB_DIR", filepath.Join(root, "notebooks"))
	dir := filepath.Join(root, "out", "ozark")
	writeResults(t, dir, 37)
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
	if got := Status(res); !strings.Contains(got, "models trained in the run that wrote these results") || !strings.HasSuffix(got, "[1 2]") {
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
