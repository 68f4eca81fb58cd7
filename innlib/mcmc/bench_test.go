package mcmc

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/ozarkinn/inn/innlib/internal/cputime"
)

func flat(dst, _ []float64) { clear(dst) }

// TestNoAllocsPerStep checks that the inner loop does not allocate: the
// allocation count of a run does not grow with the number of steps.
func TestNoAllocsPerStep(t *testing.T) {
	init := spread(16, 8, 1)
	run := func(steps int) float64 {
		cfg := Config{Walkers: 16, Steps: steps, BurnIn: steps - 1, Seed: 1, Init: init}
		return testing.AllocsPerRun(3, func() {
			if _, err := Sample(flat, 8, cfg); err != nil {
				t.Fatal(err)
			}
		})
	}
	if a, b := run(10), run(5000); a != b {
		t.Errorf("%v allocations for 10 steps, %v for 5000", a, b)
	}
}

// BenchmarkStep measures the sampler's own cost per ensemble step (16
// walkers, 8 dimensions, a density that does nothing): ns/op is per step.
func BenchmarkStep(b *testing.B) {
	cfg := Config{Walkers: 16, Steps: b.N + 1, BurnIn: b.N, Seed: 1, Init: spread(16, 8, 1)}
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cputime.Process()
	if _, err := Sample(flat, 8, cfg); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(cputime.Process()-cpu0)/float64(b.N), "cpu-ns/op")
}

// paperTarget is an 8-d correlated Gaussian (Σ_ij = 0.5^|i−j|) started in
// a box, run with the paper's 16 walkers × 50000 steps.
func paperTarget(b *testing.B) (LogDensity, Config) {
	const d = 8
	cov := mat.NewSymDense(d, nil)
	for i := range d {
		for j := range d {
			cov.SetSym(i, j, math.Pow(0.5, math.Abs(float64(i-j))))
		}
	}
	cfg := DefaultConfig(1)
	cfg.Lo, cfg.Hi = make([]float64, d), make([]float64, d)
	for j := range d {
		cfg.Lo[j], cfg.Hi[j] = -5, 5
	}
	return gaussianLogDensity(b, make([]float64, d), cov), cfg
}

// BenchmarkPaperRun is the full 16 × 50000 run on an 8-d Gaussian.
func BenchmarkPaperRun(b *testing.B) {
	logp, cfg := paperTarget(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Sample(logp, 8, cfg); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPaperSummary is Summary of that run: τ, R̂ and ESS of 8
// parameters over 16 × 10000 post-burn-in draws.
func BenchmarkPaperSummary(b *testing.B) {
	logp, cfg := paperTarget(b)
	res, err := Sample(logp, 8, cfg)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := res.Summary(); err != nil {
			b.Fatal(err)
		}
	}
}

// summarizeChains returns 16 row-major chains of n steps × 8 parameters,
// parameter j an AR(1) series with φ = 0.5 + 0.06·j (τ = 3 to 41 steps)
// and mean j, with a fixed seed: the shape of the pipeline's runs.
func summarizeChains(n int) [][]float64 { return ar1Summary(n, 0.5, 0.06) }

// ar1Summary is summarizeChains with φ = phi0 + dphi·j.
func ar1Summary(n int, phi0, dphi float64) [][]float64 {
	const walkers, dim = 16, 8
	chains := make([][]float64, walkers)
	for w := range chains {
		chains[w] = make([]float64, n*dim)
	}
	for j := range dim {
		for w, c := range ar1Chains(uint64(100+j), walkers, n, phi0+dphi*float64(j)) {
			for t, v := range c {
				chains[w][t*dim+j] = v + float64(j)
			}
		}
	}
	return chains
}

// BenchmarkSummarize is Summarize of 16 chains × 8 parameters: 20000 steps
// is the pipeline's reference run after DiagnosticThin, 200000 the same run
// unthinned; "paper" is the paper's run (10000 post-burn-in steps,
// unthinned) with τ = 200 to 540 steps, as the Ozark posteriors have.
func BenchmarkSummarize(b *testing.B) {
	for _, c := range []struct {
		name       string
		n          int
		phi0, dphi float64
	}{{"steps=20000", 20000, 0.5, 0.06}, {"steps=200000", 200000, 0.5, 0.06}, {"paper", 10000, 0.99, 0.0009}} {
		b.Run(c.name, func(b *testing.B) {
			chains := ar1Summary(c.n, c.phi0, c.dphi)
			b.ReportAllocs()
			cpu0 := cputime.Process()
			for b.Loop() {
				if _, err := Summarize(chains, 8); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric((cputime.Process()-cpu0).Seconds()*1e3/float64(b.N), "cpu-ms/op")
		})
	}
}
