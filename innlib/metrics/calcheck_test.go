package metrics

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The fast simulation of exact calibration (ranks and in-gap places) gives
// the same distribution of calibration errors and rank χ² p-values as
// brute force: truths and draws i.i.d. uniform, put through Calibration.
// 600 simulated parameters of 40 simulations × 30 draws each way; the mean
// calibration errors agree within 4 standard errors of their difference, and
// so do the shares of χ² p-values below 0.1.
func TestExactSimMatchesBruteForce(t *testing.T) {
	const S, L, reps = 40, 30, 600
	levels := DefaultLevels()
	bins := defaultBins(L, S)
	sim := newExactSim(S, L, levels, bins, rand.New(rand.NewPCG(1, 2)))
	fast := make([]float64, reps)
	fastP := 0.0
	for r := range fast {
		e, p := sim.param()
		fast[r] = e
		if p < 0.1 {
			fastP++
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	brute := make([]float64, reps)
	bruteP := 0.0
	for r := range brute {
		truths := make([][]float64, S)
		posts := make([][][]float64, S)
		for s := range S {
			truths[s] = []float64{rng.Float64()}
			posts[s] = make([][]float64, L)
			for l := range posts[s] {
				posts[s][l] = []float64{rng.Float64()}
			}
		}
		c, err := Calibration(truths, posts, CalibrationConfig{Levels: levels, Bins: bins})
		if err != nil {
			t.Fatal(err)
		}
		brute[r] = c[0].CalibrationError
		if c[0].RankChi2P < 0.1 {
			bruteP++
		}
	}
	mf, sf := meanSD(fast)
	mb, sb := meanSD(brute)
	se := math.Sqrt((sf*sf + sb*sb) / reps)
	t.Logf("calibration error: fast %.4f ± %.4f, brute force %.4f ± %.4f; χ² p < 0.1: %.0f vs %.0f of %d", mf, sf, mb, sb, fastP, bruteP, reps)
	if math.Abs(mf-mb) > 4*se {
		t.Errorf("mean calibration error %.4f (fast) vs %.4f (brute force), more than 4 se (%.4f) apart", mf, mb, se)
	}
	// Each share is binomial(600, ~0.1): sd about 7.3 counts; the difference about 10.4.
	if math.Abs(fastP-bruteP) > 42 {
		t.Errorf("χ² p < 0.1 in %.0f (fast) vs %.0f (brute force) of %d", fastP, bruteP, reps)
	}
}

func meanSD(x []float64) (m, sd float64) {
	for _, v := range x {
		m += v / float64(len(x))
	}
	for _, v := range x {
		sd += (v - m) * (v - m) / float64(len(x)-1)
	}
	return m, math.Sqrt(sd)
}

// For the Ozark check (200 runs, 1000 draws, 8 parameters) the bounds are
// about those the issue derived (calibration error 0.065, χ² p 0.00125), and
// an exact posterior passes at least 95% of the time less 3 standard errors
// of the simulated rate (0.0034 with 4000 reps).
func TestBoundsOzarkSizes(t *testing.T) {
	b, err := SimulateCalibrationBounds(200, 1000, 8, BoundsConfig{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", b)
	if math.Abs(b.MaxError-0.065) > 0.008 {
		t.Errorf("max calibration error %.4f, want about 0.065", b.MaxError)
	}
	if b.MinRankChi2P != 0.00125 {
		t.Errorf("min χ² p %g, want 0.05/5/8 = 0.00125", b.MinRankChi2P)
	}
	if b.ExactPassRate < 0.95-3*0.0034 {
		t.Errorf("exact posteriors pass %.3f of the time, want >= 0.95", b.ExactPassRate)
	}
	// More parameters widen the bound on the largest error; more runs narrow it.
	b16, _ := SimulateCalibrationBounds(200, 1000, 16, BoundsConfig{Seed: 1, Reps: 1000})
	b800, _ := SimulateCalibrationBounds(800, 1000, 8, BoundsConfig{Seed: 1, Reps: 1000})
	if !(b16.MaxError > b.MaxError && b800.MaxError < b.MaxError) {
		t.Errorf("bounds %.4f (16 params), %.4f (8), %.4f (800 runs): want 16 > 8 > 800 runs", b16.MaxError, b.MaxError, b800.MaxError)
	}
}

func TestBoundsBadInput(t *testing.T) {
	for _, c := range []struct {
		s, l, p int
		cfg     BoundsConfig
	}{
		{0, 10, 1, BoundsConfig{}},
		{10, 1, 1, BoundsConfig{}},
		{10, 10, 0, BoundsConfig{}},
		{10, 10, 1, BoundsConfig{Alpha: 1}},
		{10, 10, 1, BoundsConfig{Reps: 10}},
		{10, 10, 1, BoundsConfig{Levels: []float64{1.5}}},
	} {
		if _, err := SimulateCalibrationBounds(c.s, c.l, c.p, c.cfg); err == nil {
			t.Errorf("%d sims, %d draws, %d params, %+v: no error", c.s, c.l, c.p, c.cfg)
		}
	}
}

// RankShape: uniform ranks give spread and shift within 3 standard errors of
// 0; ranks at both ends a large positive spread; ranks in the middle a
// negative one; ranks low a negative shift.
func TestRankShape(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	const S, L = 400, 100
	gen := func(f func() int) []int {
		r := make([]int, S)
		for i := range r {
			r[i] = f()
		}
		return r
	}
	uniform := gen(func() int { return rng.IntN(L + 1) })
	ends := gen(func() int { return []int{rng.IntN(20), L - rng.IntN(20)}[rng.IntN(2)] })
	middle := gen(func() int { return 35 + rng.IntN(31) })
	low := gen(func() int { return rng.IntN(60) })
	sp, sh := RankShape(uniform, L)
	if math.Abs(sp) > 3 || math.Abs(sh) > 3 {
		t.Errorf("uniform: spread %.2f shift %.2f", sp, sh)
	}
	if sp, _ := RankShape(ends, L); sp < 10 {
		t.Errorf("ends: spread %.2f, want > 10", sp)
	}
	if sp, _ := RankShape(middle, L); sp > -10 {
		t.Errorf("middle: spread %.2f, want < -10", sp)
	}
	if sp, sh := RankShape(low, L); sh > -10 || math.Abs(sh) < math.Abs(sp) {
		t.Errorf("low: spread %.2f shift %.2f, want shift < -10 and larger than spread", sp, sh)
	}
	if sp, sh := RankShape(nil, L); !math.IsNaN(sp) || !math.IsNaN(sh) {
		t.Error("no ranks: want NaN")
	}
}

// A failure whose ranks show no clear shape is called miscalibrated, not
// forced into one of the three named kinds; errors equal to the bound up to
// rounding pass.
func TestCheckParamVerdicts(t *testing.T) {
	b := CalibrationBounds{MaxError: 0.065, MinRankChi2P: 0.00125}
	ranks := make([]int, 200)
	for i := range ranks {
		ranks[i] = i * 1000 / 199 // evenly spread: spread and shift near 0
	}
	p := ParamCalibration{Ranks: ranks, CalibrationError: 0.08, RankChi2P: 0.5}
	if v := CheckParam(p, 1000, b); v != VerdictMiscalibrated {
		t.Errorf("failure without a clear shape: verdict %q, want %q", v, VerdictMiscalibrated)
	}
	p.CalibrationError = 0.065 - 1e-15
	if v := CheckParam(p, 1000, b); v != VerdictPass {
		t.Errorf("error at the bound up to rounding: verdict %q", v)
	}
	p.CalibrationError, p.RankChi2P = 0.01, 0.001
	if v := CheckParam(p, 1000, b); v == VerdictPass {
		t.Error("χ² p below its bound passed")
	}
}
