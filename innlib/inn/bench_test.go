package inn

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/ozarkinn/inn/innlib/dense"
	"github.com/ozarkinn/inn/innlib/flow"
	"github.com/ozarkinn/inn/innlib/mcmc"

	"github.com/ozarkinn/inn/innlib/internal/cputime"
)

// paperData returns synthetic data shaped like the Ozark ensemble: 8 parameters
// uniform in a box, 5 smooth outputs.
func paperData(rows int, seed uint64) (x, y [][]float64, lo, hi []float64) {
	rng := rand.New(rand.NewPCG(seed, 1))
	lo = []float64{0.5, 0.01, 0.1, 25, 0.3, 1.5e-6, 35000, 600}
	hi = []float64{4, 0.05, 0.4, 60, 1.5, 4e-6, 45000, 1000}
	x = make([][]float64, rows)
	y = make([][]float64, rows)
	for i := range x {
		x[i] = make([]float64, 8)
		u := make([]float64, 8)
		for j := range x[i] {
			u[j] = rng.Float64()
			x[i][j] = lo[j] + u[j]*(hi[j]-lo[j])
		}
		y[i] = make([]float64, 5)
		for k := range y[i] {
			y[i][k] = 50 - 8*u[0]*float64(2-min(k, 2)) + 10*u[2]*float64(1+k)/3 + 2*u[1]*u[2] + u[6]
		}
	}
	return x, y, lo, hi
}

// paperConfig is the paper's network: x=8 <-> [y=5, z=3], 4 blocks, subnets 3 x 128 leaky ReLU.
func paperConfig(recipe Recipe, batch int) Config {
	return Config{
		Recipe: recipe,
		Flow:   flow.Config{Blocks: 4, Subnet: dense.MLPConfig{Layers: 3, Width: 128}},
		Train:  TrainConfig{Epochs: 1, BatchSize: batch, Seed: 1},
	}
}

// untrainedModel builds the model for data (x, y) and configuration c, without training it.
func untrainedModel(tb testing.TB, c Config, x, y [][]float64) *Model {
	tb.Helper()
	c = c.WithDefaults()
	n, m := len(x[0]), len(y[0])
	if err := c.validate(n, m); err != nil {
		tb.Fatal(err)
	}
	lay, err := newLayout(c, n, m)
	if err != nil {
		tb.Fatal(err)
	}
	tf, err := newTransform(c, x, y)
	if err != nil {
		tb.Fatal(err)
	}
	model, err := newModel(c, lay, tf)
	if err != nil {
		tb.Fatal(err)
	}
	return model
}

// benchTrainer builds a trainer for the paper's network without training it;
// act "" keeps the paper's leaky ReLU.
func benchTrainer(b *testing.B, recipe Recipe, batch int, surgery, engine, act string) *trainer {
	x, y, lo, hi := paperData(1000, 1)
	c := paperConfig(recipe, batch)
	c.Flow.Subnet.Activation = act
	c.Loss.Surgery = surgery
	c.Train.Engine = engine
	c.Lo, c.Hi = lo, hi
	t := newTrainer(untrainedModel(b, c, x, y), x[:800], y[:800], x[800:], y[800:])
	if err := t.prepare(); err != nil {
		b.Fatal(err)
	}
	if err := t.eng.setSchedule(t.cfg.Train.LearningRate, t.weightsFor(0, true)); err != nil {
		b.Fatal(err)
	}
	return t
}

func benchmarkStep(b *testing.B, recipe Recipe, batch int) {
	benchmarkStepSurgery(b, recipe, batch, "", "", "")
}

// benchmarkStepSurgery times optimiser steps; engine "" is the default (native).
func benchmarkStepSurgery(b *testing.B, recipe Recipe, batch int, surgery, engine, act string) {
	t := benchTrainer(b, recipe, batch, surgery, engine, act)
	rows := seq(batch)
	if _, err := t.step(rows); err != nil { // Compiles the graph.
		b.Fatal(err)
	}
	b.ResetTimer()
	cpu0 := cputime.Process()
	for i := 0; i < b.N; i++ {
		if _, err := t.step(rows); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "steps/s")
	reportCPU(b, cputime.Process()-cpu0)
}

// reportCPU reports the process's CPU time per iteration, all threads
// together (with GOMAXPROCS=1 it is the step's own cost, little disturbed by
// other processes on the machine).
func reportCPU(b *testing.B, cpu time.Duration) {
	b.ReportMetric(cpu.Seconds()*1e3/float64(b.N), "cpu-ms/op")
}

// BenchmarkTrainStepBidirectional10 is one optimiser step of the paper's
// network and loss at the paper's batch size.
func BenchmarkTrainStepBidirectional10(b *testing.B)  { benchmarkStep(b, Bidirectional, 10) }
func BenchmarkTrainStepBidirectional256(b *testing.B) { benchmarkStep(b, Bidirectional, 256) }
func BenchmarkTrainStepBidirectional32(b *testing.B)  { benchmarkStep(b, Bidirectional, 32) }

// The paper's summed loss (one gradient) instead of the default projection (two).
func BenchmarkTrainStepBidirectionalSum10(b *testing.B) {
	benchmarkStepSurgery(b, Bidirectional, 10, "sum", "", "")
}
func BenchmarkTrainStepBidirectionalSum256(b *testing.B) {
	benchmarkStepSurgery(b, Bidirectional, 256, "sum", "", "")
}

// The same steps through GoMLX graphs on SimpleGo (EngineGraph), for comparison.
func BenchmarkTrainStepGraphBidirectional10(b *testing.B) {
	benchmarkStepSurgery(b, Bidirectional, 10, "", EngineGraph, "")
}
func BenchmarkTrainStepGraphBidirectional256(b *testing.B) {
	benchmarkStepSurgery(b, Bidirectional, 256, "", EngineGraph, "")
}
func BenchmarkTrainStepGraphConditional10(b *testing.B) {
	benchmarkStepSurgery(b, Conditional, 10, "", EngineGraph, "")
}

// The Ozark INN's SiLU subnetworks (pipeline.DefaultConfig) at its batch size.
func BenchmarkTrainStepBidirectionalSiLU32(b *testing.B) {
	benchmarkStepSurgery(b, Bidirectional, 32, "", "", "silu")
}
func BenchmarkTrainStepConditional10(b *testing.B)  { benchmarkStep(b, Conditional, 10) }
func BenchmarkTrainStepConditional256(b *testing.B) { benchmarkStep(b, Conditional, 256) }

// BenchmarkTrainStepConditional32 is the main job's conditional flow step
// (batch 32; its training and refinement rounds take some 23,000 of them).
func BenchmarkTrainStepConditional32(b *testing.B) { benchmarkStep(b, Conditional, 32) }

// BenchmarkPosterior10k draws 10,000 posterior samples for one observation
// from the paper's network; BenchmarkPosterior10kConditional from the
// conditional flow of the same size.
func BenchmarkPosterior10k(b *testing.B)            { benchmarkPosterior(b, Bidirectional) }
func BenchmarkPosterior10kConditional(b *testing.B) { benchmarkPosterior(b, Conditional) }

func benchmarkPosterior(b *testing.B, recipe Recipe) {
	t := benchTrainer(b, recipe, 10, "", "", "")
	obs := []float64{50, 48, 55, 55, 60}
	if _, err := t.m.Posterior(obs, 10000, 1); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	cpu0 := cputime.Process()
	for i := 0; i < b.N; i++ {
		if _, err := t.m.Posterior(obs, 10000, uint64(i)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()*1e3/float64(b.N), "ms/op")
	reportCPU(b, cputime.Process()-cpu0)
}

// BenchmarkForward8 is one call of the INN as an MCMC surrogate: the
// forward pass for a half-ensemble of 8 walkers.
func BenchmarkForward8(b *testing.B)     { benchmarkForward8(b, "") }
func BenchmarkForward8SiLU(b *testing.B) { benchmarkForward8(b, "silu") }

func benchmarkForward8(b *testing.B, act string) {
	t := benchTrainer(b, Bidirectional, 10, "", "", act)
	x, _, _, _ := paperData(8, 3)
	if _, err := t.m.Forward(x); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := t.m.Forward(x); err != nil {
			b.Fatal(err)
		}
	}
}

// surrogateBenchModel is the main job's INN shape, untrained: 8 parameters
// with the logit box map and 5 outputs with modelled noise (flow width 13),
// 4 blocks of 3 × 128 SiLU subnetworks.
func surrogateBenchModel(b *testing.B) (*Model, []float64, []float64) {
	x, y, lo, hi := paperData(1000, 1)
	c := paperConfig(Bidirectional, 32)
	c.Flow.Subnet.Activation = "silu"
	c.Lo, c.Hi, c.ObsNoise = lo, hi, []float64{0.5}
	m := untrainedModel(b, c, x, y)
	if m.FlowWidth() != 13 {
		b.Fatalf("flow width %d, want 13", m.FlowWidth())
	}
	return m, lo, hi
}

// surrogates are the INN's forward pass as an MCMC surrogate: through
// Forward (the pipeline's adapter before BatchFunc) and BatchFunc.
func surrogates(b *testing.B, m *Model) map[string]func(dst, x []float64) {
	n, out := m.NumParams(), m.NumOutputs()
	f, err := m.BatchFunc()
	if err != nil {
		b.Fatal(err)
	}
	return map[string]func(dst, x []float64){
		"Forward": func(dst, x []float64) {
			rows := make([][]float64, len(x)/n)
			for i := range rows {
				rows[i] = x[i*n : (i+1)*n]
			}
			y, err := m.Forward(rows)
			if err != nil {
				b.Fatal(err)
			}
			for i, r := range y {
				copy(dst[i*out:(i+1)*out], r)
			}
		},
		"BatchFunc": f,
	}
}

// BenchmarkSurrogate8 is one call of the INN's forward pass as the MCMC
// surrogate on a half-ensemble of 8 walkers, through Forward and through
// BatchFunc; run with -cpu 1 (cpu-ms/op is the process's CPU time per call).
func BenchmarkSurrogate8(b *testing.B) {
	m, lo, hi := surrogateBenchModel(b)
	rng := rand.New(rand.NewPCG(5, 5))
	x := make([]float64, 0, 8*8)
	for range 8 {
		for j := range lo {
			x = append(x, lo[j]+rng.Float64()*(hi[j]-lo[j]))
		}
	}
	dst := make([]float64, 8*5)
	for _, name := range []string{"BatchFunc", "Forward"} {
		f := surrogates(b, m)[name]
		b.Run(name, func(b *testing.B) {
			f(dst, x)
			b.ResetTimer()
			cpu0 := cputime.Process()
			for i := 0; i < b.N; i++ {
				f(dst, x)
			}
			reportCPU(b, cputime.Process()-cpu0)
		})
	}
}

// BenchmarkSurrogateMCMC is a tenth of the pipeline's MCMC run on the INN's
// forward pass (16 walkers × 12,500 steps, 5,000 burn-in, thin 50), through
// Forward and through BatchFunc: ×10 is one case's run.
func BenchmarkSurrogateMCMC(b *testing.B) {
	m, lo, hi := surrogateBenchModel(b)
	for _, name := range []string{"Forward", "BatchFunc"} {
		f := surrogates(b, m)[name]
		b.Run(name, func(b *testing.B) {
			logL, err := mcmc.GaussianLogLikelihood(f, []float64{50, 48, 55, 55, 60}, []float64{1})
			if err != nil {
				b.Fatal(err)
			}
			cfg := mcmc.DefaultConfig(1)
			cfg.Steps, cfg.BurnIn, cfg.Thin = 12500, 5000, 50
			cfg.Lo, cfg.Hi = lo, hi
			b.ResetTimer()
			cpu0 := cputime.Process()
			for i := 0; i < b.N; i++ {
				if _, err := mcmc.Sample(logL, 8, cfg); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, cputime.Process()-cpu0)
		})
	}
}

// BenchmarkSurrogateMCMCThree is a tenth of the pipeline's three runs on the
// INN's forward pass (one per observation), one after another with Sample
// and in lockstep with SampleEnsembles, which passes the proposals of all
// three to one call of the surrogate; the results are the same.
func BenchmarkSurrogateMCMCThree(b *testing.B) {
	m, lo, hi := surrogateBenchModel(b)
	obs := [][]float64{{50, 48, 55, 55, 60}, {46.8, 42.0, 53.1, 53.5, 56.5}, {55, 52, 58, 57, 62}}
	cfgs := make([]mcmc.Config, len(obs))
	for s := range cfgs {
		cfgs[s] = mcmc.DefaultConfig(uint64(s + 1))
		cfgs[s].Steps, cfgs[s].BurnIn, cfgs[s].Thin = 12500, 5000, 50
		cfgs[s].Lo, cfgs[s].Hi = lo, hi
	}
	f := surrogates(b, m)["BatchFunc"]
	b.Run("Sample", func(b *testing.B) {
		cpu0 := cputime.Process()
		for b.Loop() {
			for s, o := range obs {
				logL, err := mcmc.GaussianLogLikelihood(f, o, []float64{1})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := mcmc.Sample(logL, 8, cfgs[s]); err != nil {
					b.Fatal(err)
				}
			}
		}
		reportCPU(b, cputime.Process()-cpu0)
	})
	b.Run("SampleEnsembles", func(b *testing.B) {
		cpu0 := cputime.Process()
		for b.Loop() {
			logL, err := mcmc.GaussianLogLikelihoods(f, obs, []float64{1})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := mcmc.SampleEnsembles(logL, 8, cfgs); err != nil {
				b.Fatal(err)
			}
		}
		reportCPU(b, cputime.Process()-cpu0)
	})
}
