// Package calib checks by simulation whether a posterior estimator is
// calibrated (simulation-based calibration, Talts et al. 2018): for runs of a
// simulator with known parameters it makes each run's observation as the
// posterior assumes it was made, simulator output plus a fresh draw of the
// observation noise, asks the estimator for posterior draws, and judges every
// parameter against thresholds that an exactly calibrated posterior meets with
// the same numbers of runs, draws and parameters (metrics.CalibrationBounds).
//
// Feeding the simulator's outputs without noise is the mistake this package
// exists to avoid: the posterior p(θ | y) assumes y = f(θ) + ε, so a
// noise-free y sits closer to f(θ) than the posterior expects and parameters
// the data pin down look under-confident (or, through the emulator's
// errors, over-confident) when they are not.
//
// Usage:
//
//	rep, err := calib.Check(model.PosteriorBatch, val.X, val.Y, val.ParamNames, calib.Config{
//		Noise: []float64{1.0}, Seed: 1, Lo: lo, Hi: hi,
//	})
//	fmt.Printf("worst %s: %.3f (%s); bound %.3f\n", rep.Worst, rep.WorstError, rep.Params[i].Verdict, rep.Bounds.MaxError)
package calib

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/ozarkinn/inn/innlib/metrics"
)

// DefaultDraws is the number of posterior draws per run when Config.Draws is 0.
const DefaultDraws = 1000

// Sampler returns n posterior draws for each observation (one row of obs).
// inn.Model.PosteriorBatch is one.
type Sampler func(obs [][]float64, n int, seed uint64) ([][][]float64, error)

// Config sets up Check.
type Config struct {
	Runs  int // Runs used, the first Runs rows; 0 = all.
	Draws int // Posterior draws per run; 0 = DefaultDraws.
	// Noise is the observation-noise sd, one per output or one for all, in
	// the outputs' units: the same noise model the posterior assumes.
	// Required; zeros feed the simulator's outputs unchanged, which is right
	// only for a posterior that assumes noise-free data.
	Noise []float64
	// Seed seeds the noise draws, the simulation of the bounds and the
	// sampler (seed + 1).
	Seed uint64
	// Lo and Hi are the prior box, for posterior contraction (optional).
	Lo, Hi []float64
	// Bounds: the family-wise failure rate of an exact posterior and the
	// simulated checks behind the thresholds (metrics.BoundsConfig defaults).
	Alpha     float64
	BoundReps int
	// Bounds, when set, are used instead of simulating them again (for
	// several checks of the same size); their sizes must match.
	Bounds *metrics.CalibrationBounds
}

// Report is the outcome of Check, as written into results.json.
type Report struct {
	Runs  int `json:"runs"`
	Draws int `json:"draws"`
	// Observations says how each run's observation was made.
	Observations string    `json:"observations"`
	Noise        []float64 `json:"noise_sd"`
	Levels       []float64 `json:"levels"`
	// Bounds are the per-parameter thresholds, computed for these runs, draws
	// and parameters.
	Bounds metrics.CalibrationBounds `json:"bounds"`
	// Worst is the parameter with the largest calibration error, the
	// headline; MeanError the mean of the parameters' errors beside it (each
	// parameter's |coverage − level| is taken before averaging, so one
	// parameter's over-coverage cannot cancel another's under-coverage).
	Worst      string  `json:"worst_param"`
	WorstError float64 `json:"worst_calibration_error"`
	MeanError  float64 `json:"mean_calibration_error"`
	// Passed is true when every parameter passes; Failing names those that do
	// not, with their verdicts in Params.
	Passed  bool     `json:"passed"`
	Failing []string `json:"failing,omitempty"`
	Params  []Param  `json:"params"`
	Seconds float64  `json:"seconds"`
}

// Param is one parameter's calibration.
type Param struct {
	Name             string    `json:"name"`
	Verdict          string    `json:"verdict"` // metrics.Verdict*: pass, over-confident, under-confident or biased.
	CalibrationError float64   `json:"calibration_error"`
	Coverage         []float64 `json:"coverage"` // At each of Report.Levels.
	RankChi2         float64   `json:"rank_chi2"`
	RankChi2P        float64   `json:"rank_chi2_p"`
	RankKS           float64   `json:"rank_ks"`
	RankKSP          float64   `json:"rank_ks_p"`
	ZMean            float64   `json:"z_mean"`
	ZSD              float64   `json:"z_sd"`
	Contraction      float64   `json:"contraction"` // NaN-free: 0 without a box.
	// RankSpread and RankShift are metrics.RankShape's departures from
	// uniform ranks, in standard errors (too narrow > 0; truths above > 0).
	RankSpread float64 `json:"rank_spread"`
	RankShift  float64 `json:"rank_shift"`
	Ranks      []int   `json:"ranks"` // SBC rank of the truth among Draws draws, per run.
}

// Check makes an observation for each of the first cfg.Runs runs, y[i] plus
// a fresh N(0, Noise²) draw, samples the posterior of each with post, and
// judges every parameter against metrics.SimulateCalibrationBounds. x holds
// the runs' true parameters, y their simulator outputs, names the
// parameters' names.
func Check(post Sampler, x, y [][]float64, names []string, cfg Config) (Report, error) {
	t0 := time.Now()
	obs, err := Observations(x, y, names, cfg)
	if err != nil {
		return Report{}, err
	}
	runs := len(obs)
	draws, err := cfg.draws()
	if err != nil {
		return Report{}, err
	}
	rep := Report{Runs: runs, Draws: draws, Noise: append([]float64(nil), cfg.Noise...), Levels: metrics.DefaultLevels(),
		Observations: fmt.Sprintf("each run's simulator output plus a fresh Gaussian draw with the noise sd below (seed %d)", cfg.Seed)}
	if allZero(cfg.Noise) {
		rep.Observations = "each run's simulator output, without noise"
	}
	posts, err := post(obs, draws, cfg.Seed+1)
	if err != nil {
		return rep, fmt.Errorf("calib: posterior draws: %w", err)
	}
	var pv []float64
	if cfg.Lo != nil || cfg.Hi != nil {
		if pv, err = metrics.UniformVariances(nil, cfg.Lo, cfg.Hi); err != nil {
			return rep, fmt.Errorf("calib: prior box: %w", err)
		}
	}
	pcs, err := metrics.Calibration(x[:runs], posts, metrics.CalibrationConfig{Levels: rep.Levels, PriorVar: pv})
	if err != nil {
		return rep, fmt.Errorf("calib: %w", err)
	}
	if rep.Bounds, err = bounds(runs, draws, len(names), rep.Levels, cfg); err != nil {
		return rep, err
	}
	rep.Passed = true
	rep.WorstError = -1
	for j, p := range pcs {
		q := Param{Name: names[j], CalibrationError: p.CalibrationError, Coverage: p.Coverage,
			RankChi2: p.RankChi2, RankChi2P: p.RankChi2P, RankKS: p.RankKS, RankKSP: p.RankKSP,
			ZMean: p.ZMean, ZSD: p.ZSD, Contraction: p.Contraction, Ranks: p.Ranks,
			Verdict: metrics.CheckParam(p, draws, rep.Bounds)}
		if math.IsNaN(q.Contraction) {
			q.Contraction = 0
		}
		q.RankSpread, q.RankShift = metrics.RankShape(p.Ranks, draws)
		if q.Verdict != metrics.VerdictPass {
			rep.Passed = false
			rep.Failing = append(rep.Failing, q.Name)
		}
		if q.CalibrationError > rep.WorstError {
			rep.Worst, rep.WorstError = q.Name, q.CalibrationError
		}
		rep.MeanError += q.CalibrationError / float64(len(pcs))
		rep.Params = append(rep.Params, q)
	}
	rep.Seconds = time.Since(t0).Seconds()
	return rep, nil
}

// Observations returns the observations Check feeds the sampler: the first
// cfg.Runs rows of y, each plus a fresh N(0, Noise²) draw seeded by
// cfg.Seed. It checks the shapes of x, y, names and Noise.
func Observations(x, y [][]float64, names []string, cfg Config) ([][]float64, error) {
	if len(x) == 0 || len(x) != len(y) {
		return nil, fmt.Errorf("calib: %d parameter rows and %d output rows; want the same number, at least 1", len(x), len(y))
	}
	runs := cfg.Runs
	if runs < 0 || runs > len(x) {
		return nil, fmt.Errorf("calib: %d runs asked for, %d given", runs, len(x))
	}
	if runs == 0 {
		runs = len(x)
	}
	m := len(y[0])
	for i := range runs {
		if len(x[i]) != len(names) {
			return nil, fmt.Errorf("calib: run %d has %d parameters, want %d (%v)", i, len(x[i]), len(names), names)
		}
		if len(y[i]) != m || m == 0 {
			return nil, fmt.Errorf("calib: run %d has %d outputs, want %d", i, len(y[i]), m)
		}
	}
	if len(cfg.Noise) != 1 && len(cfg.Noise) != m {
		return nil, fmt.Errorf("calib: %d noise sd values for %d outputs; want 1 or %d", len(cfg.Noise), m, m)
	}
	for k, sd := range cfg.Noise {
		if !(sd >= 0) || math.IsInf(sd, 0) {
			return nil, fmt.Errorf("calib: noise sd %d is %v; want a finite value >= 0", k, sd)
		}
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x6e6f697365))
	obs := make([][]float64, runs)
	for i := range obs {
		obs[i] = make([]float64, m)
		for k, v := range y[i] {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("calib: run %d output %d is %v", i, k, v)
			}
			obs[i][k] = v + cfg.Noise[min(k, len(cfg.Noise)-1)]*rng.NormFloat64()
		}
	}
	return obs, nil
}

// bounds returns cfg.Bounds when set and of the right sizes, and simulates
// them otherwise.
func bounds(runs, draws, params int, levels []float64, cfg Config) (metrics.CalibrationBounds, error) {
	if b := cfg.Bounds; b != nil {
		if b.Sims != runs || b.Draws != draws || b.Params != params {
			return *b, fmt.Errorf("calib: bounds given for %d runs, %d draws, %d parameters; the check has %d, %d, %d",
				b.Sims, b.Draws, b.Params, runs, draws, params)
		}
		return *b, nil
	}
	b, err := metrics.SimulateCalibrationBounds(runs, draws, params, metrics.BoundsConfig{
		Levels: levels, Alpha: cfg.Alpha, Reps: cfg.BoundReps, Seed: cfg.Seed})
	if err != nil {
		return b, fmt.Errorf("calib: %w", err)
	}
	return b, nil
}

// Bounds simulates the pass bounds that Check simulates for a check of the
// first cfg.Runs of available runs (all when cfg.Runs is 0) and params
// parameters with cfg's Draws, Alpha, BoundReps and Seed, at
// metrics.DefaultLevels. Passed as Config.Bounds to several checks of that
// size, they are simulated once, and before any posterior is ready.
func Bounds(available, params int, cfg Config) (metrics.CalibrationBounds, error) {
	runs := cfg.Runs
	if runs < 0 || runs > available {
		return metrics.CalibrationBounds{}, fmt.Errorf("calib: %d runs asked for, %d given", runs, available)
	}
	if runs == 0 {
		runs = available
	}
	draws, err := cfg.draws()
	if err != nil {
		return metrics.CalibrationBounds{}, err
	}
	cfg.Bounds = nil
	return bounds(runs, draws, params, metrics.DefaultLevels(), cfg)
}

// draws is the posterior draws per run, Draws or its default.
func (cfg Config) draws() (int, error) {
	d := cfg.Draws
	if d == 0 {
		d = DefaultDraws
	}
	if d < 2 {
		return 0, fmt.Errorf("calib: %d draws per run, want at least 2", d)
	}
	return d, nil
}

func allZero(v []float64) bool {
	for _, x := range v {
		if x != 0 {
			return false
		}
	}
	return true
}
