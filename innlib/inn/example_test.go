package inn_test

import (
	"fmt"
	"math"

	"github.com/ozarkinn/inn/innlib/dense"
	"github.com/ozarkinn/inn/innlib/flow"
	"github.com/ozarkinn/inn/innlib/inn"
	"github.com/ozarkinn/inn/innlib/lingauss"
	"github.com/ozarkinn/inn/innlib/mcmc"
)

// A conditional flow learns the posterior of a linear-Gaussian problem from
// 4000 simulated pairs; its posterior means are compared with the exact ones.
func Example() {
	p := lingauss.Default() // 4 parameters, 2 outputs, noise σ = 0.3
	x, y := p.Sample(4000, 1, false)
	model, err := inn.Train(x, y, inn.Config{
		Recipe:   inn.Conditional,
		ObsNoise: []float64{p.Sigma},
		Flow:     flow.Config{Subnet: dense.MLPConfig{Width: 64}},
		Train:    inn.TrainConfig{Epochs: 30, BatchSize: 128, LearningRate: 2e-3, Seed: 1},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	obs := []float64{1.0, -0.5}
	samples, err := model.Posterior(obs, 4000, 7)
	if err != nil {
		fmt.Println(err)
		return
	}
	mean, cov, _ := p.Posterior(obs)
	worst := 0.0 // largest error of a posterior mean, in posterior sds
	for j := range mean {
		mu := 0.0
		for _, s := range samples {
			mu += s[j] / float64(len(samples))
		}
		worst = math.Max(worst, math.Abs(mu-mean[j])/math.Sqrt(cov[j][j]))
	}
	fmt.Printf("%d samples of %d parameters; means within 0.25 posterior sd of the exact ones: %v\n",
		len(samples), len(samples[0]), worst < 0.25)
	// Output: 4000 samples of 4 parameters; means within 0.25 posterior sd of the exact ones: true
}

// ExampleModel_BatchFunc samples a posterior by MCMC with the bidirectional
// INN's forward pass as the surrogate: BatchFunc is Forward, bit for bit,
// on the flat half-ensembles the sampler passes.
func ExampleModel_BatchFunc() {
	p := lingauss.Default() // 4 parameters, 2 outputs, noise σ = 0.3
	x, y := p.Sample(1000, 1, false)
	model, err := inn.Train(x, y, inn.Config{
		Flow:  flow.Config{Subnet: dense.MLPConfig{Width: 32}},
		Train: inn.TrainConfig{Epochs: 5, Seed: 1},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	f, err := model.BatchFunc()
	if err != nil {
		fmt.Println(err)
		return
	}
	logL, err := mcmc.GaussianLogLikelihood(f, []float64{1.0, -0.5}, []float64{p.Sigma})
	if err != nil {
		fmt.Println(err)
		return
	}
	cfg := mcmc.DefaultConfig(3)
	cfg.Steps, cfg.BurnIn, cfg.Thin = 2000, 1000, 10
	cfg.Init = make([][]float64, cfg.Walkers)
	for w := range cfg.Init {
		cfg.Init[w] = x[w]
	}
	res, err := mcmc.Sample(logL, len(x[0]), cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d draws of %d parameters\n", len(res.Samples), len(res.Samples[0]))
	// Output: 1600 draws of 4 parameters
}
