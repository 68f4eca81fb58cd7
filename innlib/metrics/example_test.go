package metrics_test

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/ozarkinn/inn/innlib/metrics"
)

// The paper's real-data scores: annual LH predicted at the MAP against the
// observed LH (W m⁻²). The prediction here is made up for illustration.
func ExampleNRMSE() {
	obs := []float64{46.8, 42.0, 53.1, 53.5, 56.5}  // US-MOz 2006-2010, read off Fig. 2b.
	pred := []float64{47.5, 42.9, 52.2, 54.6, 55.8} // Illustrative MAP prediction.
	nrmse, _ := metrics.NRMSE(obs, pred)
	r2, _ := metrics.R2(obs, pred)
	fmt.Printf("NRMSE %.4f, R² %.3f\n", nrmse, r2)
	// Output:
	// NRMSE 0.0172, R² 0.972
}

// On raw parameters the paper's NRMSE hardly sees a 20% error in slatop,
// because crit_dayl (≈ 4e4) dominates the norm; the range-normalised score
// does.
func ExampleNRMSERange() {
	lo := []float64{0.5, 0.01, 0.1, 25, 0.3, 1.5e-6, 35000, 600}
	hi := []float64{4.0, 0.05, 0.4, 60, 1.5, 4.0e-6, 45000, 1000}
	truth := []float64{1.072, 0.0316, 0.161, 47.95, 1.213, 2.79e-6, 40790, 674.6} // Synthetic case 1.
	est := append([]float64(nil), truth...)
	est[1] *= 1.2 // slatop 20% off, 3% of its range.
	raw, _ := metrics.NRMSE(truth, est)
	scaled, _ := metrics.NRMSERange(truth, est, lo, hi)
	fmt.Printf("raw %.1e, range-normalised %.4f\n", raw, scaled)
	// Output:
	// raw 1.5e-07, range-normalised 0.0559
}

func ExampleCredibleInterval() {
	draws := []float64{3, 1, 4, 1, 5, 9, 2, 6}
	med, _ := metrics.Quantile(0.5, draws)
	lo, hi, _ := metrics.CredibleInterval(0.5, draws)
	fmt.Println(med, lo, hi)
	// Output:
	// 3.5 1.75 5.25
}

func ExampleWasserstein1() {
	w, _ := metrics.Wasserstein1([]float64{0, 1}, []float64{1, 2})
	wr, _ := metrics.Wasserstein1Range([]float64{0, 0, 3}, []float64{1}, 0, 10)
	fmt.Printf("%.3f %.4f\n", w, wr)
	// Output:
	// 1.000 0.1333
}

// Two posterior samples from the same distribution cannot be told apart
// (accuracy ≈ 0.5); samples with means 4 sd apart can (≈ 1).
func ExampleC2ST() {
	rng := rand.New(rand.NewPCG(1, 2))
	sample := func(n int, shift float64) [][]float64 {
		s := make([][]float64, n)
		for i := range s {
			s[i] = []float64{rng.NormFloat64() + shift, rng.NormFloat64()}
		}
		return s
	}
	a, b, c := sample(500, 0), sample(500, 0), sample(400, 4)
	same, _ := metrics.C2ST(a, b, metrics.C2STConfig{Seed: 1})
	apart, _ := metrics.C2ST(a, c, metrics.C2STConfig{Seed: 1})
	fmt.Println(math.Abs(same.Accuracy-0.5) < 0.06, apart.Accuracy > 0.95, apart.N)
	// Output:
	// true true 400
}

// Calibration of exact and of overconfident posteriors of θ ~ N(0, 1) given
// y ~ N(θ, 1): the posterior is N(y/2, 1/2).
func ExampleCalibration() {
	rng := rand.New(rand.NewPCG(3, 4))
	const sims, draws = 500, 49
	for _, sdFactor := range []float64{1, 0.5} {
		truths := make([][]float64, sims)
		posts := make([][][]float64, sims)
		for s := range truths {
			theta := rng.NormFloat64()
			y := theta + rng.NormFloat64()
			truths[s] = []float64{theta}
			posts[s] = make([][]float64, draws)
			for l := range posts[s] {
				posts[s][l] = []float64{y/2 + sdFactor*math.Sqrt(0.5)*rng.NormFloat64()}
			}
		}
		cal, _ := metrics.Calibration(truths, posts, metrics.CalibrationConfig{PriorVar: []float64{1}})
		c := cal[0]
		fmt.Printf("sd ×%.1f: calibration error %.2f, ranks uniform %v, contraction %.2f\n",
			sdFactor, c.CalibrationError, c.RankChi2P > 0.01, c.Contraction)
	}
	// Output:
	// sd ×1.0: calibration error 0.02, ranks uniform true, contraction 0.50
	// sd ×0.5: calibration error 0.26, ranks uniform false, contraction 0.87
}
