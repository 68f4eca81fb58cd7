package notebook

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/ozarkinn/inn/innlib/ozark"
	"github.com/ozarkinn/inn/innlib/pipeline"
	"github.com/ozarkinn/inn/innlib/report"
)

// MainDir is the main job's output folder: out/ozark at the repository
// root, which `go run ./scripts/ozark` writes. Notebooks only read it. It is
// found from $GONB_DIR, the folder of the notebook (GoNB sets it), one
// level below the root; without it, from the working directory.
func MainDir() string {
	return filepath.Join(os.Getenv("GONB_DIR"), "..", "out", "ozark")
}

// OwnDir is the notebooks' own output folder, out/notebooks/ozark: where
// Experiment runs the experiment when the main job has not, so that a
// notebook never writes into the main job's folder (its results.json holds
// the main job's timings and provenance).
func OwnDir() string {
	return filepath.Join(os.Getenv("GONB_DIR"), "..", "out", "notebooks", "ozark")
}

// OutDir is the folder the notebooks read: MainDir when the main job's
// results.json is there, else OwnDir.
func OutDir() string {
	if _, err := os.Stat(filepath.Join(MainDir(), "results.json")); err == nil {
		return MainDir()
	}
	return OwnDir()
}

// Inputs returns the Ozark experiment's inputs (ozark.Inputs with the
// default options: the paper's split, cases and observation).
func Inputs() pipeline.Inputs {
	return Must(ozark.Inputs(ozark.Options{}))
}

// Experiment returns the Ozark experiment's results and prints where they
// come from and Status. When the main job has written its results
// (MainDir), they are read, not recomputed: the notebooks show the numbers
// the main job reported, and never write into its folder. Otherwise the
// experiment runs with the default configuration into OwnDir, reusing the
// models saved there by an earlier notebook run (seconds instead of
// minutes).
func Experiment() *pipeline.Results {
	res, where, err := experiment(MainDir(), OwnDir(), func(cfg pipeline.Config) (*pipeline.Results, error) {
		res, _, err := ozark.RunOrReuse(Inputs(), cfg)
		return res, err
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(where)
	fmt.Println(Status(res))
	return res
}

// experiment is Experiment with the folders and the runner passed in (for
// tests): it reads main's results when they exist, else runs into own.
func experiment(main, own string, run func(pipeline.Config) (*pipeline.Results, error)) (*pipeline.Results, string, error) {
	if _, err := os.Stat(filepath.Join(main, "results.json")); err == nil {
		o, err := report.Open(main)
		if err != nil {
			return nil, "", err
		}
		return o.Results, fmt.Sprintf("Results of the main job (go run ./scripts/ozark), read from %s.", display(main)), nil
	}
	cfg := pipeline.DefaultConfig()
	cfg.OutDir = own
	res, err := run(cfg)
	if err != nil {
		return nil, "", err
	}
	return res, fmt.Sprintf("No results of the main job in %s: ran the experiment into the notebooks' own folder %s.", display(main), display(own)), nil
}

// display names a folder relative to the repository root (out/ozark), so
// that executed notebooks do not carry the machine's paths.
func display(dir string) string {
	if g := os.Getenv("GONB_DIR"); g != "" {
		if r, err := filepath.Rel(filepath.Join(g, ".."), dir); err == nil && !strings.HasPrefix(r, "..") {
			return filepath.ToSlash(r)
		}
	}
	return dir
}

// Status says in one line what an experiment used: the runs, whether the
// models were trained or reused, and the observation noise.
func Status(res *pipeline.Results) string {
	s := res.Settings
	models := "trained in the run that wrote these results"
	if s.Reused {
		models = "reused from disk"
	}
	line := fmt.Sprintf("%d training and %d validation runs; models %s; observation noise sd %v", s.TrainRuns, s.ValRuns, models, s.ObsNoise)
	if u := (&report.Output{Results: res}).Unit(); u != "" {
		line += " " + u
	}
	return line
}

// Output opens the experiment's results in OutDir (report.Open).
func Output() *report.Output {
	return Must(report.Open(OutDir()))
}

// Must returns v, or panics with err.
func Must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// Must2 returns a and b, or panics with err.
func Must2[A, B any](a A, b B, err error) (A, B) {
	if err != nil {
		panic(err)
	}
	return a, b
}
