package notebook

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/ozarkinn/inn/innlib/ozark"
	"github.com/ozarkinn/inn/innlib/pipeline"
	"github.com/ozarkinn/inn/innlib/report"
)

// OutDir is where the Ozark experiment keeps its models and results:
// out/ozark at the repository root, the folder `go run ./scripts/ozark`
// writes. It is found from $GONB_DIR, the folder of the notebook (GoNB sets
// it), one level below the root; without it, from the working directory.
func OutDir() string {
	return filepath.Join(os.Getenv("GONB_DIR"), "..", "out", "ozark")
}

// Inputs returns the Ozark experiment's inputs (ozark.Inputs with the
// default options: the paper's split, cases and observation).
func Inputs() pipeline.Inputs {
	return Must(ozark.Inputs(ozark.Options{}))
}

// Experiment runs the Ozark experiment with the default configuration into
// OutDir, or reuses the models saved there (seconds instead of minutes),
// prints Status and returns the results.
func Experiment() *pipeline.Results {
	cfg := pipeline.DefaultConfig()
	cfg.OutDir = OutDir()
	res, _, err := ozark.RunOrReuse(Inputs(), cfg)
	if err != nil {
		panic(err)
	}
	fmt.Println(Status(res))
	return res
}

// Status says in one line what an experiment used: the runs, whether the
// models were trained or reused, and the observation noise.
func Status(res *pipeline.Results) string {
	s := res.Settings
	models := "trained now"
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
