package mcmc

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
)

// shiftedGaussian is a row-wise log-density: an isotropic Gaussian with
// mean mu, so that samplers given different mu sample different targets.
func shiftedGaussian(mu []float64) LogDensity {
	return func(dst, x []float64) {
		d := len(mu)
		for i := range dst {
			var ss float64
			for j, m := range mu {
				r := x[i*d+j] - m
				ss += r * r
			}
			dst[i] = -0.5 * ss
		}
	}
}

// lockstepConfigs are three runs that differ in everything a sampler keeps
// for itself: seed, walkers, steps, burn-in, thinning, box and start. The
// boxes are tight enough that many proposals fall outside them, so that the
// batches vary in size.
func lockstepConfigs() ([]Config, [][]float64) {
	mus := [][]float64{{0.5, -0.2, 1}, {-1, 0.3, 0.2}, {2, 2, -1}}
	cfgs := []Config{
		{Walkers: 8, Steps: 3000, BurnIn: 1000, Thin: 7, Seed: 11, Lo: []float64{-1, -2, -1.5}, Hi: []float64{1.5, 2, 2}},
		{Walkers: 12, Steps: 1200, BurnIn: 0, Thin: 1, Seed: 12, Lo: []float64{-3, -3, -3}, Hi: []float64{1, 1, 1}},
		{Walkers: 6, Steps: 2500, BurnIn: 2499, Seed: 13, StretchA: 3, Lo: []float64{0, 0, -3}, Hi: []float64{4, 4, 1}},
	}
	return cfgs, mus
}

func sameResult(t *testing.T, name string, got, want *Result) {
	t.Helper()
	flat := func(r [][]float64) []float64 { return slices.Concat(r...) }
	same := func(a, b []float64) bool {
		if len(a) != len(b) {
			return false
		}
		for i := range a {
			if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
				return false
			}
		}
		return true
	}
	switch {
	case !same(flat(got.Samples), flat(want.Samples)):
		t.Errorf("%s: Samples differ", name)
	case !same(got.LogDensity, want.LogDensity):
		t.Errorf("%s: LogDensity differs", name)
	case !same(flat(got.Chain), flat(want.Chain)):
		t.Errorf("%s: Chain differs", name)
	case !same(flat(got.Final), flat(want.Final)) || !same(got.FinalLogDensity, want.FinalLogDensity):
		t.Errorf("%s: final walkers differ", name)
	case !slices.Equal(got.Accepted, want.Accepted) || got.Evaluations != want.Evaluations:
		t.Errorf("%s: accepted %v, %d evaluations; want %v, %d", name, got.Accepted, got.Evaluations, want.Accepted, want.Evaluations)
	case !same(got.AcceptanceFraction, want.AcceptanceFraction) || got.MeanAcceptance != want.MeanAcceptance:
		t.Errorf("%s: acceptance fractions differ", name)
	}
}

// TestSampleMatchesReference: Sample on the state machine gives the draws of
// the loop it replaced, bit for bit.
func TestSampleMatchesReference(t *testing.T) {
	cfgs, mus := lockstepConfigs()
	for s, c := range cfgs {
		got, err := Sample(shiftedGaussian(mus[s]), 3, c)
		if err != nil {
			t.Fatal(err)
		}
		want, err := refSample(shiftedGaussian(mus[s]), 3, c)
		if err != nil {
			t.Fatal(err)
		}
		sameResult(t, "config "+string(rune('0'+s)), got, want)
	}
}

// TestSampleEnsembles: samplers run in lockstep give Sample's results bit
// for bit, with one call of the density per half-step of the longest run
// instead of one per half-step of each.
func TestSampleEnsembles(t *testing.T) {
	cfgs, mus := lockstepConfigs()
	calls, rowsSeen := 0, 0
	multi := func(dst, x []float64, which []int) {
		calls++
		rowsSeen += len(dst)
		one := make([]float64, 1)
		for i, s := range which[:len(dst)] {
			shiftedGaussian(mus[s])(one, x[i*3:(i+1)*3])
			dst[i] = one[0]
		}
	}
	got, err := SampleEnsembles(multi, 3, cfgs)
	if err != nil {
		t.Fatal(err)
	}
	evals := 0
	for s, c := range cfgs {
		want, err := Sample(shiftedGaussian(mus[s]), 3, c)
		if err != nil {
			t.Fatal(err)
		}
		sameResult(t, "sampler "+string(rune('0'+s)), got[s], want)
		evals += want.Evaluations
	}
	// 2 calls for the starting walkers, then at most one per half-step of
	// the longest run (3000 steps); separately there would be about 13400.
	if calls > 2+2*3000 {
		t.Errorf("%d calls of the density, want at most %d", calls, 2+2*3000)
	}
	if rowsSeen != evals {
		t.Errorf("the density saw %d rows, the results count %d evaluations", rowsSeen, evals)
	}
}

// TestSampleEnsemblesErrors: a bad config or a bad density names the sampler.
func TestSampleEnsemblesErrors(t *testing.T) {
	cfgs, mus := lockstepConfigs()
	bad := slices.Clone(cfgs)
	bad[1].Walkers = 5
	if _, err := SampleEnsembles(func([]float64, []float64, []int) {}, 3, bad); err == nil || !strings.Contains(err.Error(), "sampler 1: mcmc: Walkers must be even") {
		t.Errorf("odd walkers: got %v", err)
	}
	if _, err := SampleEnsembles(nil, 3, cfgs); err == nil {
		t.Error("nil density: no error")
	}
	if _, err := SampleEnsembles(func([]float64, []float64, []int) {}, 3, nil); err == nil {
		t.Error("no configs: no error")
	}
	// Sampler 2's density turns NaN after its start.
	calls := 0
	nanLater := func(dst, x []float64, which []int) {
		calls++
		one := make([]float64, 1)
		for i, s := range which[:len(dst)] {
			shiftedGaussian(mus[s])(one, x[i*3:(i+1)*3])
			dst[i] = one[0]
			if s == 2 && calls > 10 {
				dst[i] = math.NaN()
			}
		}
	}
	_, err := SampleEnsembles(nanLater, 3, cfgs)
	var se *SamplerError
	if !errors.As(err, &se) || se.Sampler != 2 || !strings.HasPrefix(err.Error(), "sampler 2: mcmc: step ") || !strings.Contains(err.Error(), "NaN") {
		t.Errorf("NaN density: got %v", err)
	}
}

// TestGaussianLogLikelihoods: each row is scored against its sampler's
// observations exactly as GaussianLogLikelihood scores it, from one call of
// the model; mismatched observations are refused.
func TestGaussianLogLikelihoods(t *testing.T) {
	calls := 0
	f := func(dst, x []float64) { // two outputs: x0 + x1, x0·x1
		calls++
		for i := range len(dst) / 2 {
			dst[2*i], dst[2*i+1] = x[2*i]+x[2*i+1], x[2*i]*x[2*i+1]
		}
	}
	obs := [][]float64{{1, 2}, {-1, 0.5}}
	sigma := []float64{0.5, 2}
	multi, err := GaussianLogLikelihoods(f, obs, sigma)
	if err != nil {
		t.Fatal(err)
	}
	x := []float64{0.1, 0.2, 1, -3, 2, 2}
	which := []int{1, 0, 1}
	got := make([]float64, 3)
	multi(got, x, which)
	if calls != 1 {
		t.Errorf("%d calls of the model, want 1", calls)
	}
	for i, s := range which {
		one, err := GaussianLogLikelihood(f, obs[s], sigma)
		if err != nil {
			t.Fatal(err)
		}
		want := make([]float64, 1)
		one(want, x[2*i:2*i+2])
		if got[i] != want[0] {
			t.Errorf("row %d: %v, want %v", i, got[i], want[0])
		}
	}
	if _, err := GaussianLogLikelihoods(f, [][]float64{{1, 2}, {1}}, sigma); err == nil || !strings.Contains(err.Error(), "1 observations of sampler 1, want 2") {
		t.Errorf("ragged observations: got %v", err)
	}
	if _, err := GaussianLogLikelihoods(f, [][]float64{{1, 2}, {1, math.Inf(1)}}, sigma); err == nil || !strings.Contains(err.Error(), "obs[1] of sampler 1 is +Inf") {
		t.Errorf("infinite observation: got %v", err)
	}
	if _, err := GaussianLogLikelihoods(f, nil, sigma); err == nil || !strings.Contains(err.Error(), "no observation vectors") {
		t.Errorf("no observations: got %v", err)
	}
	// A sampler without observations: a panic that says so.
	func() {
		defer func() {
			if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "a point of sampler 2, but observations for 2 samplers") {
				t.Errorf("sampler 2 of 2: recovered %v", r)
			}
		}()
		multi(got[:1], x[:2], []int{2})
	}()
}
