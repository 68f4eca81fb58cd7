package metrics

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/ozarkinn/inn/innlib/internal/cputime"
)

// Tolerances: with 2 × 1600 draws the mean held-out accuracy is a proportion
// over 3200 predictions, standard error ≤ 0.009; the classifier may fall a
// little short of the Bayes accuracy (about 0.01 for a mean shift).

func c2st(t *testing.T, x, y [][]float64, cfg C2STConfig) C2STResult {
	t.Helper()
	start := time.Now()
	res, err := C2ST(x, y, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("C2ST %d×%d vs %d: accuracy %.3f, folds %.3f, epochs %v, %v",
		len(x), len(x[0]), len(y), res.Accuracy, res.Folds, res.Epochs, time.Since(start).Round(time.Millisecond))
	return res
}

// Same distribution in 8-D: 0.5 ± 0.05 (over 5 standard errors: the network
// cannot learn anything, so only noise moves it).
func TestC2STSameDistribution(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 1))
	zero := make([]float64, 8)
	res := c2st(t, normals(rng, 1600, zero, 1), normals(rng, 1600, zero, 1), C2STConfig{Seed: 1})
	near(t, "accuracy, same distribution", res.Accuracy, 0.5, 0.05)
}

// Well separated (means 5 sd apart in one coordinate; Bayes accuracy
// Φ(2.5) = 0.994): above 0.98.
func TestC2STSeparated(t *testing.T) {
	rng := rand.New(rand.NewPCG(22, 1))
	mu := make([]float64, 8)
	x := normals(rng, 1600, mu, 1)
	mu[3] = 5
	res := c2st(t, x, normals(rng, 1600, mu, 1), C2STConfig{Seed: 2})
	if res.Accuracy < 0.98 {
		t.Errorf("accuracy %g for disjoint-looking samples, want > 0.98", res.Accuracy)
	}
}

// A moderate shift: means at distance 1 (Mahalanobis) have Bayes accuracy
// Φ(1/2) = 0.6915, in 1-D (N(0,1) vs N(1,1)) and in 8-D (each coordinate
// shifted by 1/√8). Tolerance 0.03: 3 standard errors plus the classifier's
// small shortfall.
func TestC2STBayesAccuracy(t *testing.T) {
	const bayes = 0.6915
	rng := rand.New(rand.NewPCG(23, 1))
	res := c2st(t, normals(rng, 1600, []float64{0}, 1), normals(rng, 1600, []float64{1}, 1), C2STConfig{Seed: 3})
	near(t, "accuracy, 1-D shift 1", res.Accuracy, bayes, 0.03)

	mu := make([]float64, 8)
	x := normals(rng, 1600, mu, 1)
	for j := range mu {
		mu[j] = 1 / math.Sqrt(8)
	}
	res = c2st(t, x, normals(rng, 1600, mu, 1), C2STConfig{Seed: 4})
	near(t, "accuracy, 8-D shift 1", res.Accuracy, bayes, 0.03)
}

// phi is the standard normal distribution function.
func phi(z float64) float64 { return 0.5 * (1 + math.Erf(z/math.Sqrt2)) }

// At the pipeline's size (2 × 2000 draws in 8-D, as compareDraws calls it)
// over three seeds each: the same distribution scores 0.5 and unit-variance
// Gaussians whose means are δ apart score their Bayes accuracy Φ(δ/2)
// (δ = 0.5, 1, 2: 0.599, 0.691, 0.841). One call's accuracy is a proportion
// over 4000 held-out predictions, standard error ≤ 0.008; the classifier
// falls short of the Bayes accuracy by about 0.01. Tolerances: each call
// within 0.035 of the target (4 standard errors plus the shortfall), the
// mean of the three within 0.02 and, for the same distribution, within 0.015
// of 0.5 (3 standard errors of a mean of three, which no shortfall excuses).
func TestC2STPipelineSize(t *testing.T) {
	if testing.Short() {
		t.Skip("12 C2STs of 2 × 2000 draws")
	}
	for _, delta := range []float64{0, 0.5, 1, 2} {
		want, meanTol := phi(delta/2), 0.02
		if delta == 0 {
			meanTol = 0.015
		}
		var mean float64
		for s := range uint64(3) {
			rng := rand.New(rand.NewPCG(40+s, uint64(100*delta)))
			mu := make([]float64, 8)
			x := normals(rng, 2000, mu, 1)
			// The shift along a random direction, so that no single
			// coordinate carries it.
			dir := normals(rng, 1, mu, 1)[0]
			norm := math.Sqrt(dot(dir, dir))
			for j := range mu {
				mu[j] = delta * dir[j] / norm
			}
			res := c2st(t, x, normals(rng, 2000, mu, 1), C2STConfig{Seed: 7 + s})
			near(t, fmt.Sprintf("accuracy, shift %g, seed %d", delta, s), res.Accuracy, want, 0.035)
			mean += res.Accuracy / 3
		}
		t.Logf("shift %g: mean accuracy %.4f, Bayes %.4f", delta, mean, want)
		near(t, fmt.Sprintf("mean accuracy over 3 seeds, shift %g", delta), mean, want, meanTol)
	}
}

// Same seed, same answer, whatever the number of workers or GOMAXPROCS; unequal sizes are
// subsampled to the smaller one. Small samples keep this fast.
func TestC2STRepeatable(t *testing.T) {
	rng := rand.New(rand.NewPCG(24, 1))
	x := normals(rng, 300, []float64{0, 0}, 1)
	y := normals(rng, 200, []float64{0.5, 0}, 1)
	a := c2st(t, x, y, C2STConfig{Seed: 9, Workers: 1})
	b := c2st(t, x, y, C2STConfig{Seed: 9, Workers: 3})
	if a.N != 200 {
		t.Errorf("N = %d, want 200", a.N)
	}
	same(t, "1 worker vs 3 workers", a, b)
	// Nor on GOMAXPROCS, which sets the default workers and the gemm
	// kernels' goroutines.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	c := c2st(t, x, y, C2STConfig{Seed: 9})
	runtime.GOMAXPROCS(4)
	same(t, "GOMAXPROCS 1 vs 4", c, c2st(t, x, y, C2STConfig{Seed: 9}))
	same(t, "3 workers vs GOMAXPROCS 1", b, c)
}

func same(t *testing.T, what string, a, b C2STResult) {
	t.Helper()
	if a.Accuracy != b.Accuracy {
		t.Errorf("%s: accuracy %v vs %v, want equal", what, a.Accuracy, b.Accuracy)
	}
	for f := range a.Folds {
		if a.Folds[f] != b.Folds[f] || a.Epochs[f] != b.Epochs[f] {
			t.Errorf("%s: fold %d differs: %v/%d vs %v/%d", what, f, a.Folds[f], a.Epochs[f], b.Folds[f], b.Epochs[f])
		}
	}
}

func TestC2STBadInput(t *testing.T) {
	x := [][]float64{{0, 1}, {1, 0}, {2, 2}, {3, 1}, {1, 1}, {0, 0}}
	for _, c := range []struct {
		name string
		x, y [][]float64
		cfg  C2STConfig
		want error
	}{
		{"empty y", x, nil, C2STConfig{}, ErrEmpty},
		{"columns differ", x, [][]float64{{1}}, C2STConfig{}, ErrShape},
		{"ragged", x, [][]float64{{1, 2}, {1}}, C2STConfig{}, ErrShape},
		{"NaN", x, [][]float64{{1, math.NaN()}}, C2STConfig{}, ErrNotFinite},
		{"fewer draws than folds", x, x[:4], C2STConfig{}, ErrEmpty},
		{"one fold", x, x, C2STConfig{Folds: 1}, ErrDomain},
		{"val fraction 1", x, x, C2STConfig{ValFraction: 1}, ErrDomain},
	} {
		if _, err := C2ST(c.x, c.y, c.cfg); !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
		}
	}
}

// BenchmarkC2ST times 2 × 1600 draws in 8-D (posterior samples of the
// paper's eight parameters, the size the tests use).
func BenchmarkC2ST(b *testing.B) { benchC2ST(b, 1600) }

// BenchmarkC2STPipeline times the pipeline's comparison size: 2 × 2000
// draws (MCMCConfig.CompareDraws) in 8-D. Besides wall time it reports the
// process's CPU time per call (cpu-ms/op, all threads: the folds train
// concurrently) and per epoch trained (cpu-ms/epoch, which does not depend
// on where early stopping ends).
func BenchmarkC2STPipeline(b *testing.B) { benchC2ST(b, 2000) }

// benchC2ST times C2ST on two n-draw samples in 8-D whose means differ by
// half a standard deviation in one coordinate (Bayes accuracy Φ(1/4) = 0.60,
// 30-50 epochs per fold, about what the INN-against-MCMC comparisons take).
func benchC2ST(b *testing.B, n int) {
	rng := rand.New(rand.NewPCG(25, 1))
	mu := make([]float64, 8)
	x := normals(rng, n, mu, 1)
	mu[0] = 0.5
	y := normals(rng, n, mu, 1)
	epochs := 0
	b.ResetTimer()
	cpu0 := cputime.Process()
	for b.Loop() {
		res, err := C2ST(x, y, C2STConfig{Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		for _, e := range res.Epochs {
			epochs += e
		}
	}
	cpu := cputime.Process() - cpu0
	b.ReportMetric(cpu.Seconds()*1e3/float64(b.N), "cpu-ms/op")
	b.ReportMetric(cpu.Seconds()*1e3/float64(epochs), "cpu-ms/epoch")
	b.ReportMetric(float64(epochs)/float64(b.N), "epochs/op")
}
