package metrics

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// This file turns the calibration summary into a pass/fail check whose
// thresholds are not fixed numbers but what an exactly calibrated posterior
// achieves with the same number of simulations, draws and parameters: a
// fixed threshold such as 0.05 on the calibration error fails an exact
// posterior one time in four with 200 simulations.

// DefaultCheckAlpha is the family-wise rate at which CalibrationBounds lets an
// exactly calibrated posterior fail the check over all parameters together.
const DefaultCheckAlpha = 0.05

// DefaultBoundReps is the number of simulated exact checks behind
// CalibrationBounds: the 96% quantile of the largest calibration error then
// rarely moves by more than one step of its grid (1/(2·sims)).
const DefaultBoundReps = 4000

// CalibrationBounds are per-parameter thresholds that an exactly calibrated
// posterior passes, jointly over all parameters, with probability at least
// 1 − Alpha. A fifth of Alpha goes to the rank χ² test, Bonferroni-split over
// the parameters (MinRankChi2P = Alpha/5/Params); the rest bounds the largest
// calibration error over the parameters (MaxError is its 1 − 4·Alpha/5
// quantile under exact calibration). ExactPassRate is the share of a second,
// independent set of simulated exact checks that passed both, which the union
// bound keeps at or above 1 − Alpha.
type CalibrationBounds struct {
	Sims          int     `json:"sims"`   // Simulations (observations) per check.
	Draws         int     `json:"draws"`  // Posterior draws per simulation.
	Params        int     `json:"params"` // Parameters checked together.
	Alpha         float64 `json:"alpha"`
	MaxError      float64 `json:"max_calibration_error"`
	MinRankChi2P  float64 `json:"min_rank_chi2_p"`
	ExactPassRate float64 `json:"exact_pass_rate"`
	Reps          int     `json:"reps"` // Simulated exact checks behind each of MaxError and ExactPassRate.
}

// BoundsConfig sets up SimulateCalibrationBounds. Zero fields take the
// defaults stated.
type BoundsConfig struct {
	Levels []float64 // Coverage levels; default DefaultLevels().
	Bins   int       // RankChiSquare bins; default as in CalibrationConfig.
	Alpha  float64   // Family-wise failure rate of an exact posterior; default DefaultCheckAlpha.
	Reps   int       // Simulated checks; default DefaultBoundReps.
	Seed   uint64
}

// SimulateCalibrationBounds computes CalibrationBounds for sims simulations
// of draws posterior draws each and params parameters by simulating exactly
// calibrated posteriors. Under exact calibration the truth and its draws are
// exchangeable, so its rank is uniform on 0..draws and, between two adjacent
// draws, its place is a uniform fraction of the gap (spacings of uniform order
// statistics are exchangeable, which holds exactly for uniform draws and, to
// O(1/draws), for any other, since Coverage interpolates in value space);
// both Coverage and the ranks depend on nothing else, so each simulated
// parameter costs sims random numbers, not sims × draws. Parameters are simulated independently, which is
// conservative: correlated parameters fail together less often.
func SimulateCalibrationBounds(sims, draws, params int, cfg BoundsConfig) (CalibrationBounds, error) {
	if sims < 1 || draws < 2 || params < 1 {
		return CalibrationBounds{}, fmt.Errorf("metrics.SimulateCalibrationBounds: %d simulations, %d draws, %d parameters; want >= 1, >= 2, >= 1: %w",
			sims, draws, params, ErrDomain)
	}
	if cfg.Levels == nil {
		cfg.Levels = DefaultLevels()
	}
	if err := checkLevels("SimulateCalibrationBounds", cfg.Levels); err != nil {
		return CalibrationBounds{}, err
	}
	if cfg.Bins == 0 {
		cfg.Bins = defaultBins(draws, sims)
	}
	if cfg.Alpha == 0 {
		cfg.Alpha = DefaultCheckAlpha
	}
	if !(cfg.Alpha > 0 && cfg.Alpha < 1) {
		return CalibrationBounds{}, fmt.Errorf("metrics.SimulateCalibrationBounds: alpha %v outside (0, 1): %w", cfg.Alpha, ErrDomain)
	}
	if cfg.Reps == 0 {
		cfg.Reps = DefaultBoundReps
	}
	if cfg.Reps < 100 {
		return CalibrationBounds{}, fmt.Errorf("metrics.SimulateCalibrationBounds: %d reps, want >= 100: %w", cfg.Reps, ErrDomain)
	}
	b := CalibrationBounds{Sims: sims, Draws: draws, Params: params, Alpha: cfg.Alpha, Reps: cfg.Reps,
		MinRankChi2P: cfg.Alpha / 5 / float64(params)}
	sim := newExactSim(sims, draws, cfg.Levels, cfg.Bins, rand.New(rand.NewPCG(cfg.Seed, 0x63616c)))
	worst := make([]float64, cfg.Reps)
	for r := range worst {
		for range params {
			e, _ := sim.param()
			worst[r] = math.Max(worst[r], e)
		}
	}
	slices.Sort(worst)
	// Calibration errors lie on a grid (steps of 1/(2·sims)) but the same
	// grid value comes out of different (coverage, level) pairs with
	// different rounding; snap the bound and compare with a tolerance so that
	// equal errors get equal verdicts.
	b.MaxError = math.Round(sortedQuantile(1-4*cfg.Alpha/5, worst)*1e9) / 1e9
	pass := 0
	for range cfg.Reps {
		ok := true
		for range params {
			e, p := sim.param()
			ok = ok && withinBound(e, b.MaxError) && p >= b.MinRankChi2P
		}
		if ok {
			pass++
		}
	}
	b.ExactPassRate = float64(pass) / float64(cfg.Reps)
	return b, nil
}

// withinBound says whether a calibration error is at most the bound, up to
// the rounding of the error grid.
func withinBound(e, bound float64) bool { return e <= bound+1e-9 }

// defaultBins is CalibrationConfig's default number of rank bins.
func defaultBins(draws, sims int) int { return max(2, min(20, draws+1, sims/5)) }

// exactSim simulates one parameter's calibration error and rank χ² p-value
// under exact calibration.
type exactSim struct {
	sims, draws int
	levels      []float64 // As given.
	sorted      []float64 // levels, ascending.
	order       []int     // levels[order[k]] = sorted[k].
	bins        int
	rng         *rand.Rand
	ranks       []int
	hist        []float64 // hist[k]: truths first covered at sorted[k].
	cover       []float64
}

func newExactSim(sims, draws int, levels []float64, bins int, rng *rand.Rand) *exactSim {
	e := &exactSim{sims: sims, draws: draws, levels: levels, bins: bins, rng: rng,
		ranks: make([]int, sims), hist: make([]float64, len(levels)+1), cover: make([]float64, len(levels))}
	e.order = make([]int, len(levels))
	for k := range e.order {
		e.order[k] = k
	}
	slices.SortFunc(e.order, func(a, b int) int { return cmp.Compare(levels[a], levels[b]) })
	for _, k := range e.order {
		e.sorted = append(e.sorted, levels[k])
	}
	return e
}

func (e *exactSim) param() (calErr, chi2P float64) {
	clear(e.hist)
	l := e.draws
	half := float64(l-1) / 2
	for s := range e.ranks {
		r := e.rng.IntN(l + 1)
		e.ranks[s] = r
		// The truth's place on the type-7 quantile scale of the sorted draws:
		// draw k sits at k, and the truth between draws r−1 and r.
		pos := float64(r-1) + e.rng.Float64()
		switch r {
		case 0:
			pos = -1
		case l:
			pos = float64(l)
		}
		// The central interval of level a holds pos when a ≥ |pos − half|/half:
		// the intervals are nested, so count where coverage begins.
		d := math.Abs(pos-half) / half
		k, _ := slices.BinarySearch(e.sorted, d)
		e.hist[k]++
	}
	cum := 0.0
	for k, i := range e.order {
		cum += e.hist[k]
		e.cover[i] = cum / float64(e.sims)
	}
	calErr, _ = CalibrationError(e.levels, e.cover)
	_, chi2P, _ = RankChiSquare(e.ranks, l, e.bins)
	return calErr, chi2P
}

// Verdicts of CheckParam.
const (
	VerdictPass           = "pass"
	VerdictOverconfident  = "over-confident"  // Intervals too narrow: ranks pile at both ends.
	VerdictUnderconfident = "under-confident" // Intervals too wide: ranks pile in the middle.
	VerdictBiased         = "biased"          // Posteriors shifted: ranks pile on one side.
	// VerdictMiscalibrated: failed, but neither rank statistic departs by 2
	// standard errors, so the shape of the failure is not clear.
	VerdictMiscalibrated = "miscalibrated"
)

// CheckParam judges one parameter's calibration against bounds: it passes
// when its calibration error is at most b.MaxError and its rank χ² p-value at
// least b.MinRankChi2P. A failing parameter is called over-confident,
// under-confident or biased by whichever of two rank statistics departs
// further from uniformity, each in standard errors: the share of ranks in the
// outer half of 0..L (1/2 when uniform; more means too narrow, less too wide)
// and the mean rank over L (1/2 when uniform; either way means a shift).
// When neither departs by 2 standard errors it is called miscalibrated.
func CheckParam(p ParamCalibration, draws int, b CalibrationBounds) string {
	if withinBound(p.CalibrationError, b.MaxError) && p.RankChi2P >= b.MinRankChi2P {
		return VerdictPass
	}
	spread, shift := RankShape(p.Ranks, draws)
	if max(math.Abs(spread), math.Abs(shift)) < 2 {
		return VerdictMiscalibrated
	}
	if math.Abs(shift) > math.Abs(spread) {
		return VerdictBiased
	}
	if spread > 0 {
		return VerdictOverconfident
	}
	return VerdictUnderconfident
}

// RankShape returns two standardised departures of SBC ranks in 0..L from
// uniformity: spread is (share of ranks in the outer half − 1/2) over its
// standard error √(1/(4S)), positive when the posteriors are too narrow;
// shift is (mean rank/L − 1/2) over its standard error √(1/(12S)), positive
// when the truths lie above the posteriors (posteriors too low).
func RankShape(ranks []int, l int) (spread, shift float64) {
	n := float64(len(ranks))
	if n == 0 || l < 1 {
		return math.NaN(), math.NaN()
	}
	var outer, mean float64
	for _, r := range ranks {
		u := float64(r) / float64(l)
		if u < 0.25 || u > 0.75 {
			outer++
		}
		mean += u
	}
	outer /= n
	mean /= n
	return (outer - 0.5) / math.Sqrt(0.25/n), (mean - 0.5) / math.Sqrt(1/(12*n))
}
