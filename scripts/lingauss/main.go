// Command lingauss trains both innlib recipes on a linear-Gaussian inverse
// problem whose posterior is known exactly, and prints their posterior means
// and standard deviations next to the analytic ones.
//
//	go run ./scripts/lingauss [-epochs 40] [-rows 8000] [-samples 4000]
package main

import (
	"flag"
	"fmt"
	"math"
	"os"

	"github.com/ozarkinn/inn/innlib/backend"
	"github.com/ozarkinn/inn/innlib/dense"
	"github.com/ozarkinn/inn/innlib/flow"
	"github.com/ozarkinn/inn/innlib/inn"
	"github.com/ozarkinn/inn/innlib/lingauss"
	"github.com/ozarkinn/inn/innlib/metrics"
	"gonum.org/v1/gonum/stat"
)

func main() {
	epochs := flag.Int("epochs", 40, "training epochs per recipe")
	rows := flag.Int("rows", 8000, "simulated (x, y) pairs")
	samples := flag.Int("samples", 4000, "posterior samples per observation")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	if err := run(*epochs, *rows, *samples, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "lingauss:", err)
		os.Exit(1)
	}
}

func run(epochs, rows, samples int, seed uint64) error {
	b, err := backend.New()
	if err != nil {
		return err
	}
	p := lingauss.Default()
	n, m := p.Dims()
	fmt.Printf("Linear-Gaussian problem: x ~ N(0, I_%d), y = A x + N(0, %.2g^2 I_%d); backend %s\n", n, p.Sigma, m, backend.Describe(b))
	x, y := p.Sample(rows, seed, false)
	observations := [][]float64{{0, 0}, {1.0, -0.5}, {-1.2, 0.8}}
	for _, recipe := range []inn.Recipe{inn.Bidirectional, inn.Conditional} {
		cfg := inn.Config{
			Recipe:   recipe,
			ObsNoise: []float64{p.Sigma},
			Flow:     flow.Config{Blocks: 4, Subnet: dense.MLPConfig{Layers: 3, Width: 64}},
			Train:    inn.TrainConfig{Epochs: epochs, BatchSize: 128, LearningRate: 2e-3, Seed: seed, Progress: os.Stderr},
		}
		model, err := inn.Train(x, y, cfg)
		if err != nil {
			return err
		}
		h := model.History()
		fmt.Printf("\n%s recipe: %d epochs in %.1f s, best epoch %d\n", recipe, len(h.Epochs), h.Seconds, h.BestEpoch)
		post, err := model.PosteriorBatch(observations, samples, seed+1)
		if err != nil {
			return err
		}
		fmt.Printf("%-14s %-4s %9s %9s %8s %9s %9s %7s\n", "observation", "x", "mean", "analytic", "off(sd)", "sd", "analytic", "ratio")
		worstMean, worstSD := 0.0, 0.0
		for i, obs := range observations {
			mean, cov, err := p.Posterior(obs)
			if err != nil {
				return err
			}
			for j := 0; j < n; j++ {
				col, err := metrics.Column(nil, post[i], j)
				if err != nil {
					return err
				}
				mu, sd := stat.MeanStdDev(col, nil)
				want := math.Sqrt(cov[j][j])
				off := (mu - mean[j]) / want
				worstMean = math.Max(worstMean, math.Abs(off))
				worstSD = math.Max(worstSD, math.Abs(sd/want-1))
				fmt.Printf("%-14s x%-3d %9.3f %9.3f %8.2f %9.3f %9.3f %7.2f\n", fmt.Sprint(obs), j, mu, mean[j], off, sd, want, sd/want)
			}
		}
		fmt.Printf("worst mean error %.2f posterior sd (target <= 0.15); worst sd error %.0f%% (target <= 20%%)\n", worstMean, 100*worstSD)
	}
	return nil
}
