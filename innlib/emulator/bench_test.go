package emulator

import (
	"math/rand/v2"
	"testing"

	"github.com/ozarkinn/inn/innlib/mcmc"

	"github.com/ozarkinn/inn/innlib/internal/cputime"
)

// benchMLP is an untrained 8-128-128-5 emulator with the Ozark box: timing
// does not depend on the weights.
func benchMLP(b testing.TB) *MLP {
	lo := []float64{0.5, 0.01, 0.1, 25, 0.3, 1.5e-6, 35000, 600}
	hi := []float64{4, 0.05, 0.4, 60, 1.5, 4e-6, 45000, 1000}
	e, err := newMLP(Config{Lo: lo, Hi: hi}.withDefaults(), 8, 5)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	x := make([][]float64, 50)
	y := make([][]float64, 50)
	for i := range x {
		x[i] = make([]float64, 8)
		for j := range x[i] {
			x[i][j] = lo[j] + rng.Float64()*(hi[j]-lo[j])
		}
		y[i] = []float64{50 + rng.NormFloat64(), 48 + rng.NormFloat64(), 55, 55, 60 + rng.NormFloat64()}
		y[i][2] += rng.NormFloat64()
		y[i][3] += rng.NormFloat64()
	}
	if err := e.setScaling(x, y); err != nil {
		b.Fatal(err)
	}
	return e
}

// BenchmarkSurrogateHalfEnsemble is one log-likelihood call of the MCMC on
// the MLP surrogate: 8 walkers (half of 16) in one batch. ns/op / 8 is the
// cost per sample; cpu-ms/op is the process's CPU time per call (run with
// -cpu 1).
func BenchmarkSurrogateHalfEnsemble(b *testing.B) {
	e := benchMLP(b)
	f, err := e.BatchFunc()
	if err != nil {
		b.Fatal(err)
	}
	logL, err := mcmc.GaussianLogLikelihood(f, []float64{46.8, 42, 53.1, 53.5, 56.5}, []float64{1})
	if err != nil {
		b.Fatal(err)
	}
	x := make([]float64, 8*8)
	for i := 0; i < 8; i++ {
		copy(x[i*8:], []float64{2, 0.03, 0.2, 40, 1, 2.5e-6, 40000, 800})
	}
	dst := make([]float64, 8)
	b.ResetTimer()
	cpu0 := cputime.Process()
	for i := 0; i < b.N; i++ {
		logL(dst, x)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*8), "ns/sample")
	b.ReportMetric((cputime.Process()-cpu0).Seconds()*1e3/float64(b.N), "cpu-ms/op")
}

// BenchmarkMCMCPaperRun is the paper's whole emcee run (16 walkers × 50,000
// steps, 40,000 burn-in, thin 100) on the 8-128-128-5 surrogate.
func BenchmarkMCMCPaperRun(b *testing.B) {
	e := benchMLP(b)
	f, err := e.BatchFunc()
	if err != nil {
		b.Fatal(err)
	}
	logL, err := mcmc.GaussianLogLikelihood(f, []float64{46.8, 42, 53.1, 53.5, 56.5}, []float64{1})
	if err != nil {
		b.Fatal(err)
	}
	cfg := mcmc.DefaultConfig(1)
	cfg.Lo, cfg.Hi = e.cfg.Lo, e.cfg.Hi
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := mcmc.Sample(logL, 8, cfg); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTrainStep is one training step of the 8-128-128-5 emulator on a
// batch of 64 (the defaults) on each engine; the Ozark recipe takes 12 steps
// and one 200-row validation per epoch, 1200 epochs.
func BenchmarkTrainStep(b *testing.B) {
	for _, eng := range []string{EngineNative, EngineGraph} {
		b.Run(eng, func(b *testing.B) {
			e := benchMLP(b)
			e.cfg.Engine = eng
			en, err := e.newEngine()
			if err != nil {
				b.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(2, 2))
			const rows = DefaultBatchSize
			x, y := make([]float64, rows*e.n), make([]float64, rows*e.m)
			for i := range x {
				x[i] = rng.Float64()
			}
			for i := range y {
				y[i] = rng.NormFloat64()
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := en.step(x, y, rows); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkMCMCSixRuns is the pipeline's six runs on the emulator (the
// paper's and the reference configuration for three observations) at a
// tenth of their steps, one after another with Sample and in lockstep with
// SampleEnsembles (one call of the emulator per half-step for all six).
func BenchmarkMCMCSixRuns(b *testing.B) {
	e := benchMLP(b)
	f, err := e.BatchFunc()
	if err != nil {
		b.Fatal(err)
	}
	obs := [][]float64{{50, 48, 55, 55, 60}, {46.8, 42, 53.1, 53.5, 56.5}, {55, 52, 58, 57, 62}}
	var cfgs []mcmc.Config
	var runObs [][]float64
	for s, o := range obs {
		for k, steps := range []int{5000, 25000} { // paper, reference
			c := mcmc.DefaultConfig(uint64(10*s + k))
			c.Steps, c.BurnIn, c.Thin = steps, steps/5, 10
			c.Lo, c.Hi = e.cfg.Lo, e.cfg.Hi
			cfgs, runObs = append(cfgs, c), append(runObs, o)
		}
	}
	b.Run("Sample", func(b *testing.B) {
		cpu0 := cputime.Process()
		for b.Loop() {
			for s, c := range cfgs {
				logL, err := mcmc.GaussianLogLikelihood(f, runObs[s], []float64{1})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := mcmc.Sample(logL, 8, c); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric((cputime.Process()-cpu0).Seconds()*1e3/float64(b.N), "cpu-ms/op")
	})
	b.Run("SampleEnsembles", func(b *testing.B) {
		cpu0 := cputime.Process()
		for b.Loop() {
			logL, err := mcmc.GaussianLogLikelihoods(f, runObs, []float64{1})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := mcmc.SampleEnsembles(logL, 8, cfgs); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric((cputime.Process()-cpu0).Seconds()*1e3/float64(b.N), "cpu-ms/op")
	})
}
