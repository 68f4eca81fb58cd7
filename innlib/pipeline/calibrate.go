package pipeline

import (
	"errors"
	"path/filepath"

	"github.com/ozarkinn/inn/innlib/calib"
	"github.com/ozarkinn/inn/innlib/dataset"
	"github.com/ozarkinn/inn/innlib/inn"
	"github.com/ozarkinn/inn/innlib/metrics"
)

// CalibrationConfig controls calibration over many synthetic observations.
type CalibrationConfig struct {
	Skip  bool
	Runs  int // Validation runs used as synthetic observations (0 = all).
	Draws int // Posterior draws per run.
}

// RecipeCalibration is the calibration of one recipe over the validation
// runs used as synthetic observations (calib.Report, with the recipe's name).
type RecipeCalibration struct {
	Recipe string `json:"recipe"`
	calib.Report
	Error string `json:"error,omitempty"` // Why the diagnostics could not be computed.
}

// calibrate checks both recipes' calibration over the validation runs
// (package calib): each run's observation is its outputs plus a fresh draw of
// the observation noise. The pass bounds are simulated once and shared, as
// both checks have the same size.
func (x *experiment) calibrate() error { return x.runStage("calibrate") }

// planCalibrate adds a job per recipe, and one before them that simulates
// the pass bounds they share (they depend only on the check's size), so
// that the conditional flow's check need not wait for the INN.
func (x *experiment) planCalibrate(g *graph) error {
	val := x.in.Val
	cc := calib.Config{Runs: min(x.cfg.Calibration.Runs, val.Len()), Draws: x.cfg.Calibration.Draws, Noise: x.cfg.ObsNoise,
		Seed: x.cfg.Seed + 200, Lo: val.Lo, Hi: val.Hi}
	x.calibration = make([]RecipeCalibration, 2)
	var shared *metrics.CalibrationBounds
	bounds := g.add("calibration pass bounds", "calibrate", nil, func() error {
		b, err := calibBoundsCached(x.cfg.OutDir, x.folder.dir, val.Len(), len(val.ParamNames), cc)
		var bad errBoundSettings
		if errors.As(err, &bad) {
			// Each check then simulates them itself and records the
			// error in its report, as a check with bad settings does.
			return nil
		}
		shared = &b
		return err
	})
	check := func(i int, name string, model func() *inn.Model, needs ...*job) *job {
		return g.add("calibration of "+name, "calibrate", needs, func() (err error) {
			c := cc
			c.Bounds = shared
			x.calibration[i], err = calibrateCached(x.cfg.OutDir, x.folder.dir, name, model(), val, c)
			return err
		}, spanCalibration)
	}
	check(0, RecipeINN, func() *inn.Model { return x.models.INN }, x.ready.inn, bounds)
	check(1, RecipeCINN, func() *inn.Model { return x.models.CINN }, x.ready.cinn, bounds)
	return nil
}

// recordCalibrate adds both checks to the results.
func (x *experiment) recordCalibrate() {
	x.res.Calibration = append(x.res.Calibration, x.calibration...)
}

// calibrateCached returns a recipe's calibration from OutDir/cache (or the
// previous results' cache, through memo) when a
// previous run checked the same model (identified by its posterior draws
// for the first validation runs, which depend on all its weights) on the
// same runs with the same settings (the check is deterministic given
// them), and runs the check otherwise.
func calibrateCached(outDir, prevDir, name string, model *inn.Model, val *dataset.Ensemble, cc calib.Config) (RecipeCalibration, error) {
	probe, err := model.PosteriorBatch(val.Y[:min(2, val.Len())], 100, cc.Seed)
	if err != nil {
		return RecipeCalibration{}, err
	}
	var flat [][]float64
	for _, d := range probe {
		flat = append(flat, d...)
	}
	key := struct {
		Recipe, Model, X, Y string
		Cfg                 calib.Config
		Version             int // Bumped when the check's arithmetic changes.
	}{name, digest(flat), digest(val.X), digest(val.Y), withoutBounds(cc), 1}
	file := filepath.Join("cache", "calibration_"+name+".json")
	return memo(filepath.Join(outDir, file), filepath.Join(prevDir, file), key, func() (RecipeCalibration, error) {
		return calibrateRecipe(name, model.PosteriorBatch, val, cc), nil
	})
}

// calibBoundsCached simulates the calibration checks' pass bounds
// (calib.Bounds), or reads them back from OutDir/cache.
// Settings that calib.Bounds refuses give an errBoundSettings.
func calibBoundsCached(outDir, prevDir string, available, params int, cc calib.Config) (metrics.CalibrationBounds, error) {
	key := struct {
		Available, Runs, Params, Draws, Reps int
		Alpha                                float64
		Seed                                 uint64
		Version                              int // Bumped when the simulation changes.
	}{available, cc.Runs, params, cc.Draws, cc.BoundReps, cc.Alpha, cc.Seed, 1}
	file := filepath.Join("cache", "calibration_bounds.json")
	return memo(filepath.Join(outDir, file), filepath.Join(prevDir, file), key, func() (metrics.CalibrationBounds, error) {
		b, err := calib.Bounds(available, params, cc)
		if err != nil {
			return b, errBoundSettings{err}
		}
		return b, nil
	})
}

// withoutBounds is cc without the given bounds, which the other settings
// determine: a check's cache key does not change with whether they were
// simulated by the check or given to it.
func withoutBounds(cc calib.Config) calib.Config {
	cc.Bounds = nil
	return cc
}

// errBoundSettings is calib.Bounds' error: settings it refuses.
type errBoundSettings struct{ error }

func (e errBoundSettings) Unwrap() error { return e.error }

// calibrateRecipe runs calib.Check for one recipe on the validation runs. A
// failed check is recorded in the result, not returned: a degenerate
// posterior (e.g. every draw at a box edge) makes the diagnostics undefined,
// and the rest of the experiment still stands.
func calibrateRecipe(name string, post calib.Sampler, val *dataset.Ensemble, cfg calib.Config) RecipeCalibration {
	rep, err := calib.Check(post, val.X, val.Y, val.ParamNames, cfg)
	rc := RecipeCalibration{Recipe: name, Report: rep}
	if err != nil {
		rc.Error = err.Error()
	}
	return rc
}
