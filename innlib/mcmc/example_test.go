package mcmc_test

import (
	"fmt"
	"log"
	"math"

	"github.com/ozarkinn/inn/innlib/mcmc"
)

// A two-parameter Gaussian posterior with a uniform box prior. The density
// receives all in-box proposals of a half-ensemble in one call.
func ExampleSample() {
	mu := []float64{1, -2}
	sd := []float64{0.5, 2}
	logp := func(dst, x []float64) {
		for i := range dst { // Point i is x[2i : 2i+2].
			var s float64
			for j := range 2 {
				r := (x[2*i+j] - mu[j]) / sd[j]
				s += r * r
			}
			dst[i] = -0.5 * s
		}
	}
	cfg := mcmc.Config{
		Walkers: 16, Steps: 20000, BurnIn: 2000, Thin: 20, Seed: 1,
		Lo: []float64{-10, -10}, Hi: []float64{10, 10},
	}
	res, err := mcmc.Sample(logp, 2, cfg)
	if err != nil {
		log.Fatal(err)
	}
	n := float64(len(res.Samples))
	var m, v [2]float64
	for _, x := range res.Samples {
		for j := range 2 {
			m[j] += x[j] / n
		}
	}
	for _, x := range res.Samples {
		for j := range 2 {
			v[j] += (x[j] - m[j]) * (x[j] - m[j]) / (n - 1)
		}
	}
	fmt.Printf("%d samples, acceptance %.1f\n", len(res.Samples), res.MeanAcceptance)
	fmt.Printf("mean %.1f %.1f\n", m[0], m[1])
	fmt.Printf("sd   %.1f %.1f\n", math.Sqrt(v[0]), math.Sqrt(v[1]))
	// Output:
	// 14400 samples, acceptance 0.7
	// mean 1.0 -2.0
	// sd   0.5 2.0
}

// Calibrating a batched forward model against observations with Gaussian
// errors, then checking convergence.
func ExampleGaussianLogLikelihood() {
	// Two parameters, three outputs: (x0, x1, x0 + x1), observed as
	// (1, 2, 3) with error 0.1.
	model := func(dst, x []float64) {
		for i := range len(x) / 2 {
			dst[3*i], dst[3*i+1], dst[3*i+2] = x[2*i], x[2*i+1], x[2*i]+x[2*i+1]
		}
	}
	logL, err := mcmc.GaussianLogLikelihood(model, []float64{1, 2, 3}, []float64{0.1})
	if err != nil {
		log.Fatal(err)
	}
	cfg := mcmc.Config{Walkers: 8, Steps: 10000, BurnIn: 1000, Thin: 10, Seed: 3,
		Lo: []float64{0, 0}, Hi: []float64{5, 5}}
	res, err := mcmc.Sample(logL, 2, cfg)
	if err != nil {
		log.Fatal(err)
	}
	sum, err := res.Summary()
	if err != nil {
		log.Fatal(err)
	}
	for j, p := range sum.Params {
		fmt.Printf("x%d: median %.1f, 90%% interval [%.1f, %.1f], R-hat < 1.01: %v\n",
			j, p.Median, p.Q05, p.Q95, p.RHat < mcmc.RHatThreshold)
	}
	// Output:
	// x0: median 1.0, 90% interval [0.9, 1.1], R-hat < 1.01: true
	// x1: median 2.0, 90% interval [1.9, 2.1], R-hat < 1.01: true
}

// Two observations of the same batched model, sampled in lockstep: each
// half-step passes the proposals of both runs to the model in one call, and
// each run gets what Sample would give it alone.
func ExampleSampleEnsembles() {
	calls := 0
	model := func(dst, x []float64) { // (x0, x1, x0 + x1)
		calls++
		for i := range len(x) / 2 {
			dst[3*i], dst[3*i+1], dst[3*i+2] = x[2*i], x[2*i+1], x[2*i]+x[2*i+1]
		}
	}
	obs := [][]float64{{1, 2, 3}, {3, 1, 4}}
	logL, err := mcmc.GaussianLogLikelihoods(model, obs, []float64{0.1})
	if err != nil {
		log.Fatal(err)
	}
	cfgs := make([]mcmc.Config, len(obs))
	for s := range cfgs {
		cfgs[s] = mcmc.Config{Walkers: 8, Steps: 5000, BurnIn: 1000, Thin: 10, Seed: uint64(s + 1),
			Lo: []float64{0, 0}, Hi: []float64{5, 5}}
	}
	res, err := mcmc.SampleEnsembles(logL, 2, cfgs)
	if err != nil {
		log.Fatal(err)
	}
	for s, r := range res {
		var m [2]float64
		for _, x := range r.Samples {
			m[0] += x[0] / float64(len(r.Samples))
			m[1] += x[1] / float64(len(r.Samples))
		}
		fmt.Printf("observation %d: posterior mean (%.1f, %.1f)\n", s, m[0], m[1])
	}
	fmt.Printf("%d calls of the model for 2 runs of 5000 steps (Sample would make up to %d)\n", calls, 2*(2+2*5000))
	// Output:
	// observation 0: posterior mean (1.0, 2.0)
	// observation 1: posterior mean (3.0, 1.0)
	// 10002 calls of the model for 2 runs of 5000 steps (Sample would make up to 20004)
}
