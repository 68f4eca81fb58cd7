package pipeline

import (
	"fmt"
	"math"
	"path/filepath"
	"time"

	"github.com/ozarkinn/inn/innlib/dataset"
	"github.com/ozarkinn/inn/innlib/emulator"
	"github.com/ozarkinn/inn/innlib/inn"
	"github.com/ozarkinn/inn/innlib/mcmc"
	"github.com/ozarkinn/inn/innlib/metrics"
)

// RecipeMCMC names the MCMC reference posterior in results.
const RecipeMCMC = "mcmc"

// ReferenceINNSurrogate names the MCMC run whose surrogate is the
// bidirectional INN's own forward pass, in MCMCRun.Name and Comparison.Reference.
const ReferenceINNSurrogate = "mcmc_inn_surrogate"

// MCMCConfig controls the MCMC reference and the comparisons.
type MCMCConfig struct {
	Skip bool // No MCMC stage (and no comparisons).
	// Paper is the paper's emcee configuration: 16 walkers × 50,000 steps,
	// 40,000 burn-in, thin 100 → 1600 samples. Its diagnostics are reported.
	Paper mcmc.Config
	// Reference is the long run the comparisons use: long enough that the
	// post-burn-in chain is at least 50 autocorrelation times (τ was 285-711
	// steps on these data).
	Reference mcmc.Config
	// DiagnosticThin thins the reference chain before R-hat and ESS (their
	// rank sorts are slow on millions of draws); τ is rescaled to steps.
	DiagnosticThin int
	// CompareDraws bounds the draws of each posterior used for C2ST and MMD.
	CompareDraws int
	C2ST         metrics.C2STConfig
	// INNSurrogate also samples each case with the bidirectional INN's
	// forward pass as the surrogate and compares the INN's posterior with it.
	// Against the MLP-surrogate MCMC the INN's errors mix two things, its
	// emulator and its inversion; against its own forward pass only the
	// inversion is left. The run is the reference configuration at half the
	// steps, burn-in and thinning (the INN's forward pass costs about 30 µs
	// per half-ensemble, several times the MLP's), still over 100 τ long.
	INNSurrogate bool
}

// DefaultMCMC returns the paper's configuration and a reference five times
// longer.
func DefaultMCMC() MCMCConfig {
	paper := mcmc.DefaultConfig(0)
	ref := mcmc.DefaultConfig(0)
	ref.Steps, ref.BurnIn, ref.Thin = 250000, 50000, 100
	return MCMCConfig{Paper: paper, Reference: ref, DiagnosticThin: 10, CompareDraws: 2000, INNSurrogate: true}
}

// MCMCRun reports one sampler run.
type MCMCRun struct {
	Name           string    `json:"name"`      // "paper", "reference" or ReferenceINNSurrogate.
	Surrogate      string    `json:"surrogate"` // "mlp" or "inn".
	Walkers        int       `json:"walkers"`
	Steps          int       `json:"steps"`
	BurnIn         int       `json:"burn_in"`
	Thin           int       `json:"thin"`
	Samples        int       `json:"samples"`
	Seconds        float64   `json:"seconds"`
	Evaluations    int       `json:"evaluations"` // Surrogate evaluations (points).
	MeanAcceptance float64   `json:"mean_acceptance"`
	Tau            []float64 `json:"tau"`            // Integrated autocorrelation time per parameter, in steps.
	ChainOverTau   float64   `json:"chain_over_tau"` // Post-burn-in steps / max τ (emcee wants >= 50).
	ESSBulk        []float64 `json:"ess_bulk"`
	ESSTail        []float64 `json:"ess_tail"`
	RHat           []float64 `json:"rhat"`
	Warnings       []string  `json:"warnings,omitempty"`
	SamplesFile    string    `json:"samples_file"`
	BestRMSE       float64   `json:"best_rmse"` // Best emulator fit among the kept samples.
}

// mcmc samples every case's posterior with the affine-invariant ensemble
// sampler on the MLP emulator (the paper's configuration and the longer
// reference), and, with MCMCConfig.INNSurrogate, on the INN's own forward
// pass. The reference run's draws become the MCMC posterior, summarised
// like the networks'. Runs are cached in OutDir/cache.
func (x *experiment) mcmc() error { return x.runStage("mcmc") }

// planMCMC adds, per case, the runs on the emulator (they need only the
// emulator, so they run while the INN trains), the run on the INN's forward
// pass, and the MCMC posterior's summary.
func (x *experiment) planMCMC(g *graph) error {
	for i, c := range x.in.Cases {
		x.ready.mcmc[i] = g.add(caseJob("MCMC on the emulator", c), "mcmc", []*job{x.ready.mlp}, func() error {
			runs, ref, ld, err := x.mcmcJob(i).runCached()
			if err != nil {
				return err
			}
			w := &x.work[i]
			w.mcmcRuns, w.refDensity, x.draws[RecipeMCMC][i] = runs, ld, ref
			return nil
		}, spanMCMC)
		if x.cfg.MCMC.INNSurrogate {
			x.ready.mcmcINN[i] = g.add(caseJob("MCMC on the INN's forward pass", c), "mcmc", []*job{x.ready.inn, x.ready.mlp}, func() error {
				run, innRef, err := x.mcmcJob(i).runINNSurrogateCached(x.models.INN)
				if err != nil {
					return err
				}
				x.work[i].innRun, x.draws[ReferenceINNSurrogate][i] = &run, innRef
				return nil
			}, spanMCMC)
		}
		sum := g.add(caseJob("summarising the MCMC posterior", c), "mcmc", []*job{x.ready.mcmc[i], x.ready.mlp}, func() error {
			w := &x.work[i]
			ps, best, err := x.summariser().write(RecipeMCMC, x.draws[RecipeMCMC][i], w.refDensity, c)
			if err != nil {
				return err
			}
			// The MCMC posterior is the reference run's.
			for _, r := range w.mcmcRuns {
				if r.Name == "reference" {
					ps.Seconds = r.Seconds
				}
			}
			w.post[methodMCMC] = &summarised{ps, best}
			return nil
		}, spanMCMC)
		x.ready.summarised[i] = append(x.ready.summarised[i], sum)
	}
	return nil
}

// recordMCMC adds each case's runs and its MCMC posterior to the results.
func (x *experiment) recordMCMC() {
	for i := range x.in.Cases {
		w, cr := &x.work[i], &x.res.Cases[i]
		cr.MCMC = append([]MCMCRun(nil), w.mcmcRuns...)
		if w.innRun != nil {
			cr.MCMC = append(cr.MCMC, *w.innRun)
		}
		cr.Posteriors = append(cr.Posteriors, w.post[methodMCMC].ps)
	}
}

// mcmcJob is the sampling of one case: what the samplers need.
type mcmcJob struct {
	c      Case
	idx    int               // The case's index: part of each run's seed.
	ens    *dataset.Ensemble // Parameter names and prior box.
	mlp    *emulator.MLP     // The surrogate, and the judge of every run's fit.
	noise  []float64         // Observation-noise sd.
	seed   uint64            // The experiment's seed.
	cfg    MCMCConfig
	outDir string // Where the run writes its cache.
	prev   string // The previous results, whose cache it may read.
}

func (x *experiment) mcmcJob(i int) mcmcJob {
	return mcmcJob{c: x.in.Cases[i], idx: i, ens: x.in.Train, mlp: x.models.MLP, noise: x.cfg.ObsNoise,
		seed: x.cfg.Seed, cfg: x.cfg.MCMC, outDir: x.cfg.OutDir, prev: x.folder.dir}
}

// runCached returns the MCMC runs of a case from OutDir/cache when a
// previous run used the same observation, noise, sampler settings, seed, box
// and surrogate (the chains are then identical), and runs them otherwise.
func (j mcmcJob) runCached() ([]MCMCRun, [][]float64, []float64, error) {
	c, e, mlp := j.c, j.ens, j.mlp
	type result struct {
		Runs       []MCMCRun
		Reference  [][]float64
		LogDensity []float64
	}
	probe, err := surrogateProbe(mlp, e.X, j.cfg.Reference.Walkers/2)
	if err != nil {
		return nil, nil, nil, err
	}
	key := struct {
		Obs, Noise, Lo, Hi []float64
		Paper, Ref         mcmc.Config
		Seed               uint64
		Case, Thin         int
		Surrogate, Probe   string
		// Version is bumped when the cached record's layout or the
		// sampler's arithmetic changes; Probe catches the emulator's.
		Version int
	}{c.Obs, j.noise, e.Lo, e.Hi, j.cfg.Paper, j.cfg.Reference, j.seed, j.idx, j.cfg.DiagnosticThin, mlp.Fingerprint(), probe, 4}
	r, err := memo(filepath.Join(j.outDir, "cache", "mcmc_"+c.Name+".json"), filepath.Join(j.prev, "cache", "mcmc_"+c.Name+".json"), key, func() (result, error) {
		runs, ref, ld, err := j.run()
		return result{runs, ref, ld}, err
	})
	return r.Runs, r.Reference, r.LogDensity, err
}

// surrogateProbe digests the emulator's outputs at the ensemble's parameters,
// computed as the sampler calls it (rows at a time). Chains are chaotic: a
// change in the last bit of the emulator's arithmetic (an activation or
// matrix-product kernel, not only its weights) gives different draws, so it
// must give a different cache key too.
func surrogateProbe(mlp *emulator.MLP, x [][]float64, rows int) (string, error) {
	f, err := mlp.BatchFunc()
	if err != nil {
		return "", err
	}
	rows = max(rows, 1)
	n, m := mlp.NumInputs(), mlp.NumOutputs()
	out := make([][]float64, 0, len(x))
	in, dst := make([]float64, 0, rows*n), make([]float64, rows*m)
	for i := 0; i < len(x); i += rows {
		in = in[:0]
		k := min(rows, len(x)-i)
		for _, r := range x[i : i+k] {
			in = append(in, r...)
		}
		f(dst[:k*m], in)
		for j := 0; j < k; j++ {
			out = append(out, append([]float64(nil), dst[j*m:(j+1)*m]...))
		}
	}
	return digest(out), nil
}

// run runs the paper and reference samplers for one case on the MLP
// surrogate with the experiment's Gaussian likelihood.
func (j mcmcJob) run() ([]MCMCRun, [][]float64, []float64, error) {
	f := func() (mcmc.Model, error) {
		bf, err := j.mlp.BatchFunc()
		return mcmc.Model(bf), err
	}
	return j.samplers("mlp", f, []samplerSpec{{"paper", j.cfg.Paper, 0}, {"reference", j.cfg.Reference, 1}})
}

// samplerSpec is one sampler run: its name, settings and seed offset.
type samplerSpec struct {
	name string
	c    mcmc.Config
	k    int
}

// samplers runs the given samplers for one case with the surrogate newF
// makes and returns their reports and the last run's draws and log densities.
// The MLP emulator scores the draws' fit in every case.
func (j mcmcJob) samplers(surrogate string, newF func() (mcmc.Model, error), specs []samplerSpec) ([]MCMCRun, [][]float64, []float64, error) {
	c, e := j.c, j.ens
	var runs []MCMCRun
	var refSamples [][]float64
	var refDensity []float64
	for _, spec := range specs {
		k := spec.k
		f, err := newF()
		if err != nil {
			return nil, nil, nil, err
		}
		logL, err := mcmc.GaussianLogLikelihood(f, c.Obs, j.noise)
		if err != nil {
			return nil, nil, nil, err
		}
		mc := spec.c
		mc.Seed = j.seed*1000 + uint64(j.idx*10+k)
		mc.Lo, mc.Hi = e.Lo, e.Hi
		t0 := time.Now()
		res, err := mcmc.Sample(logL, len(e.ParamNames), mc)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("%s MCMC: %w", spec.name, err)
		}
		run := MCMCRun{Name: spec.name, Surrogate: surrogate, Walkers: mc.Walkers, Steps: mc.Steps, BurnIn: mc.BurnIn, Thin: mc.Thin,
			Samples: len(res.Samples), Seconds: time.Since(t0).Seconds(), Evaluations: res.Evaluations, MeanAcceptance: res.MeanAcceptance}
		thin := 1
		if spec.name != "paper" && j.cfg.DiagnosticThin > 1 {
			thin = j.cfg.DiagnosticThin
		}
		sum, err := mcmc.Summarize(thinChains(res.Chain, len(e.ParamNames), thin), len(e.ParamNames))
		if err != nil {
			return nil, nil, nil, fmt.Errorf("%s MCMC diagnostics: %w", spec.name, err)
		}
		maxTau := 0.0
		for _, p := range sum.Params {
			tau := p.IAT.Tau * float64(thin)
			run.Tau = append(run.Tau, tau)
			run.ESSBulk = append(run.ESSBulk, p.ESSBulk)
			run.ESSTail = append(run.ESSTail, p.ESSTail)
			run.RHat = append(run.RHat, p.RHat)
			maxTau = math.Max(maxTau, tau)
		}
		run.ChainOverTau = float64(res.ChainLen()) / maxTau
		run.Warnings = sum.Warnings
		if thin > 1 {
			for i, w := range run.Warnings {
				run.Warnings[i] = fmt.Sprintf("(chain thinned by %d for diagnostics) %s", thin, w)
			}
		}
		if run.ChainOverTau < 50 {
			run.Warnings = append(run.Warnings, fmt.Sprintf("post-burn-in chain is %.0f autocorrelation times long; emcee asks for at least 50", run.ChainOverTau))
		}
		run.SamplesFile = filepath.Join("samples", fmt.Sprintf("%s_mcmc_%s.csv", c.Name, spec.name))
		if err := writeSamplesCSV(filepath.Join(j.outDir, run.SamplesFile), e.ParamNames, res.Samples); err != nil {
			return nil, nil, nil, err
		}
		pred, err := j.mlp.Predict(res.Samples)
		if err != nil {
			return nil, nil, nil, err
		}
		run.BestRMSE = math.Inf(1)
		for _, p := range pred {
			r, _ := metrics.RMSE(c.Obs, p)
			run.BestRMSE = math.Min(run.BestRMSE, r)
		}
		runs = append(runs, run)
		refSamples, refDensity = res.Samples, res.LogDensity
	}
	return runs, refSamples, refDensity, nil
}

// runINNSurrogateCached runs the reference sampler on the INN's forward pass
// for one case, or reads it back from OutDir/cache when the observation,
// noise, settings, seed, box and the INN's forward map are unchanged.
func (j mcmcJob) runINNSurrogateCached(model *inn.Model) (MCMCRun, [][]float64, error) {
	c, e := j.c, j.ens
	type result struct {
		Run       MCMCRun
		Reference [][]float64
	}
	// The forward map's outputs at the ensemble's own parameters identify it.
	probe, err := model.Forward(e.X)
	if err != nil {
		return MCMCRun{}, nil, err
	}
	key := struct {
		Obs, Noise, Lo, Hi []float64
		Ref                mcmc.Config
		Seed               uint64
		Case, Thin         int
		Surrogate          string
		Version            int
	}{c.Obs, j.noise, e.Lo, e.Hi, innSurrogateConfig(j.cfg), j.seed, j.idx, j.cfg.DiagnosticThin, digest(probe), 1}
	r, err := memo(filepath.Join(j.outDir, "cache", "mcmc_inn_"+c.Name+".json"), filepath.Join(j.prev, "cache", "mcmc_inn_"+c.Name+".json"), key, func() (result, error) {
		f := func() (mcmc.Model, error) { return innModel(model, len(e.ParamNames), len(e.OutputNames)), nil }
		runs, ref, _, err := j.samplers("inn", f, []samplerSpec{{ReferenceINNSurrogate, innSurrogateConfig(j.cfg), 2}})
		if err != nil {
			return result{}, err
		}
		return result{runs[0], ref}, nil
	})
	return r.Run, r.Reference, err
}

// innSurrogateConfig is the sampler configuration of the INN-surrogate run.
func innSurrogateConfig(c MCMCConfig) mcmc.Config {
	r := c.Reference
	r.Steps, r.BurnIn, r.Thin = max(r.Steps/2, 1), r.BurnIn/2, max(r.Thin/2, 1)
	return r
}

// innModel adapts the INN's forward pass to the sampler's batched model:
// inn.Model.BatchFunc, Forward's numbers bit for bit without its allocations
// (the chains, and so the cache, are unchanged by it). A model without a
// forward pass gives NaN, which stops the sampler with an error.
func innModel(m *inn.Model, n, out int) mcmc.Model {
	f, err := m.BatchFunc()
	if err != nil || m.NumParams() != n || m.NumOutputs() != out {
		return func(dst, _ []float64) {
			for i := range dst {
				dst[i] = math.NaN()
			}
		}
	}
	return f
}

// thinChains keeps every thin-th draw of row-major chains.
func thinChains(chains [][]float64, dim, thin int) [][]float64 {
	if thin <= 1 {
		return chains
	}
	out := make([][]float64, len(chains))
	for w, c := range chains {
		n := len(c) / dim
		for t := 0; t < n; t += thin {
			out[w] = append(out[w], c[t*dim:(t+1)*dim]...)
		}
	}
	return out
}
