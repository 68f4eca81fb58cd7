package inn

import (
	"math"
	"os"
	"testing"

	"github.com/ozarkinn/inn/innlib/dense"
	"github.com/ozarkinn/inn/innlib/flow"
	"github.com/ozarkinn/inn/innlib/lingauss"
)

// knownAnswerConfig is a network sized for the 4-parameter problem, small
// enough to train in seconds on 2 cores.
func knownAnswerConfig(recipe Recipe, sigma float64) Config {
	return Config{
		Recipe:   recipe,
		ObsNoise: []float64{sigma},
		Flow:     flow.Config{Blocks: 4, Subnet: dense.MLPConfig{Layers: 3, Width: 64}},
		Train:    TrainConfig{Epochs: 40, BatchSize: 128, LearningRate: 2e-3, Seed: 1},
	}
}

// TestKnownAnswerLinearGaussian trains both recipes on noise-free pairs
// (x, A x) with the observation noise σ in the configuration, and compares
// their posteriors with the analytic one at several observations: means within
// 0.15 posterior sd, sds within 20%.
func TestKnownAnswerLinearGaussian(t *testing.T) {
	if testing.Short() {
		t.Skip("trains two networks")
	}
	p := lingauss.Default()
	x, y := p.Sample(8000, 3, false)
	observations := [][]float64{{0, 0}, {1.0, -0.5}, {-1.2, 0.8}, {0.4, 1.5}}
	for _, recipe := range []Recipe{Conditional, Bidirectional} {
		t.Run(string(recipe), func(t *testing.T) {
			cfg := knownAnswerConfig(recipe, p.Sigma)
			if os.Getenv("INN_TEST_PROGRESS") != "" {
				cfg.Train.Progress = os.Stderr
			}
			model, err := Train(x, y, cfg)
			if err != nil {
				t.Fatal(err)
			}
			h := model.History()
			t.Logf("%s: %d epochs in %.1f s, best epoch %d, val %v", recipe, len(h.Epochs), h.Seconds, h.BestEpoch, h.Best().Val)
			samples, err := model.PosteriorBatch(observations, 4000, 7)
			if err != nil {
				t.Fatal(err)
			}
			for i, obs := range observations {
				mean, cov, _ := p.Posterior(obs)
				for j := range mean {
					mu, sd := meanSD(samples[i], j)
					want := math.Sqrt(cov[j][j])
					t.Logf("y=%v x%d: mean %.3f (want %.3f, %.2f sd off) sd %.3f (want %.3f, ratio %.2f)",
						obs, j, mu, mean[j], (mu-mean[j])/want, sd, want, sd/want)
					if math.Abs(mu-mean[j]) > 0.15*want {
						t.Errorf("y=%v x%d: posterior mean %.3f, analytic %.3f: %.2f sd off (limit 0.15)", obs, j, mu, mean[j], (mu-mean[j])/want)
					}
					if math.Abs(sd/want-1) > 0.2 {
						t.Errorf("y=%v x%d: posterior sd %.3f, analytic %.3f (ratio %.2f, limit 20%%)", obs, j, sd, want, sd/want)
					}
				}
			}
		})
	}
}

func meanSD(rows [][]float64, j int) (mean, sd float64) {
	for _, r := range rows {
		mean += r[j]
	}
	mean /= float64(len(rows))
	for _, r := range rows {
		sd += (r[j] - mean) * (r[j] - mean)
	}
	return mean, math.Sqrt(sd / float64(len(rows)-1))
}
