package pipeline

import (
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/ozarkinn/inn/innlib/calib"
	"github.com/ozarkinn/inn/innlib/dataset"
	"github.com/ozarkinn/inn/innlib/emulator"
	"github.com/ozarkinn/inn/innlib/inn"
	"github.com/ozarkinn/inn/innlib/mcmc"
	"github.com/ozarkinn/inn/innlib/metrics"
	"github.com/ozarkinn/inn/innlib/mmd"
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

// CalibrationConfig controls calibration over many synthetic observations.
type CalibrationConfig struct {
	Skip  bool
	Runs  int // Validation runs used as synthetic observations (0 = all).
	Draws int // Posterior draws per run.
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

// Comparison rates a recipe's posterior against the MCMC reference.
type Comparison struct {
	Recipe    string    `json:"recipe"`
	Reference string    `json:"reference"` // RecipeMCMC (MLP surrogate) or ReferenceINNSurrogate.
	W1Range   []float64 `json:"w1_range"`  // Wasserstein-1 per parameter / prior width.
	MaxW1     float64   `json:"max_w1_range"`
	KS        []float64 `json:"ks"`  // Two-sample Kolmogorov-Smirnov statistic per parameter.
	MMD       float64   `json:"mmd"` // On draws z-scored by the reference.
	C2ST      float64   `json:"c2st"`
	// Correlation of the pair (e.g. slatop, flnr) in the recipe and in the reference.
	CorrPair      [2]string `json:"corr_pair"`
	CorrRecipe    float64   `json:"corr_recipe"`
	CorrReference float64   `json:"corr_reference"`
}

// RecipeCalibration is the calibration of one recipe over the validation
// runs used as synthetic observations (calib.Report, with the recipe's name).
type RecipeCalibration struct {
	Recipe string `json:"recipe"`
	calib.Report
	Error string `json:"error,omitempty"` // Why the diagnostics could not be computed.
}

// runMCMCCached returns the MCMC runs of a case from OutDir/cache when a
// previous run used the same observation, noise, sampler settings, seed, box
// and surrogate (the chains are then identical), and runs them otherwise.
func runMCMCCached(c Case, e *dataset.Ensemble, mlp *emulator.MLP, cfg Config, caseIdx int) ([]MCMCRun, [][]float64, []float64, error) {
	type result struct {
		Runs       []MCMCRun
		Reference  [][]float64
		LogDensity []float64
	}
	probe, err := surrogateProbe(mlp, e.X, cfg.MCMC.Reference.Walkers/2)
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
	}{c.Obs, cfg.ObsNoise, e.Lo, e.Hi, cfg.MCMC.Paper, cfg.MCMC.Reference, cfg.Seed, caseIdx, cfg.MCMC.DiagnosticThin, mlp.Fingerprint(), probe, 4}
	r, err := memo(filepath.Join(cfg.OutDir, "cache", "mcmc_"+c.Name+".json"), key, func() (result, error) {
		runs, ref, ld, err := runMCMC(c, e, mlp, cfg, caseIdx)
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

// runMCMC runs the paper and reference samplers for one case on the MLP
// surrogate with the experiment's Gaussian likelihood.
func runMCMC(c Case, e *dataset.Ensemble, mlp *emulator.MLP, cfg Config, caseIdx int) ([]MCMCRun, [][]float64, []float64, error) {
	f := func() (mcmc.Model, error) {
		bf, err := mlp.BatchFunc()
		return mcmc.Model(bf), err
	}
	return runSamplers(c, e, mlp, cfg, caseIdx, "mlp", f, []samplerSpec{{"paper", cfg.MCMC.Paper, 0}, {"reference", cfg.MCMC.Reference, 1}})
}

// samplerSpec is one sampler run: its name, settings and seed offset.
type samplerSpec struct {
	name string
	c    mcmc.Config
	k    int
}

// runSamplers runs the given samplers for one case with the surrogate newF
// makes and returns their reports and the last run's draws and log densities.
// The MLP emulator scores the draws' fit in every case.
func runSamplers(c Case, e *dataset.Ensemble, mlp *emulator.MLP, cfg Config, caseIdx int, surrogate string, newF func() (mcmc.Model, error), specs []samplerSpec) ([]MCMCRun, [][]float64, []float64, error) {
	var runs []MCMCRun
	var refSamples [][]float64
	var refDensity []float64
	for _, spec := range specs {
		k := spec.k
		f, err := newF()
		if err != nil {
			return nil, nil, nil, err
		}
		logL, err := mcmc.GaussianLogLikelihood(f, c.Obs, cfg.ObsNoise)
		if err != nil {
			return nil, nil, nil, err
		}
		mc := spec.c
		mc.Seed = cfg.Seed*1000 + uint64(caseIdx*10+k)
		mc.Lo, mc.Hi = e.Lo, e.Hi
		t0 := time.Now()
		res, err := mcmc.Sample(logL, len(e.ParamNames), mc)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("%s MCMC: %w", spec.name, err)
		}
		run := MCMCRun{Name: spec.name, Surrogate: surrogate, Walkers: mc.Walkers, Steps: mc.Steps, BurnIn: mc.BurnIn, Thin: mc.Thin,
			Samples: len(res.Samples), Seconds: time.Since(t0).Seconds(), Evaluations: res.Evaluations, MeanAcceptance: res.MeanAcceptance}
		thin := 1
		if spec.name != "paper" && cfg.MCMC.DiagnosticThin > 1 {
			thin = cfg.MCMC.DiagnosticThin
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
		if err := writeSamplesCSV(filepath.Join(cfg.OutDir, run.SamplesFile), e.ParamNames, res.Samples); err != nil {
			return nil, nil, nil, err
		}
		pred, err := mlp.Predict(res.Samples)
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
func runINNSurrogateCached(c Case, e *dataset.Ensemble, mlp *emulator.MLP, model *inn.Model, cfg Config, caseIdx int) (MCMCRun, [][]float64, error) {
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
	}{c.Obs, cfg.ObsNoise, e.Lo, e.Hi, innSurrogateConfig(cfg.MCMC), cfg.Seed, caseIdx, cfg.MCMC.DiagnosticThin, digest(probe), 1}
	r, err := memo(filepath.Join(cfg.OutDir, "cache", "mcmc_inn_"+c.Name+".json"), key, func() (result, error) {
		f := func() (mcmc.Model, error) { return innModel(model, len(e.ParamNames), len(e.OutputNames)), nil }
		runs, ref, _, err := runSamplers(c, e, mlp, cfg, caseIdx, "inn", f, []samplerSpec{{ReferenceINNSurrogate, innSurrogateConfig(cfg.MCMC), 2}})
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

// innModel adapts the INN's forward pass to the sampler's batched model.
func innModel(m *inn.Model, n, out int) mcmc.Model {
	return func(dst, x []float64) {
		rows := make([][]float64, len(x)/n)
		for i := range rows {
			rows[i] = x[i*n : (i+1)*n]
		}
		y, err := m.Forward(rows)
		if err != nil { // In-box points of the right width cannot fail; NaN stops the sampler with an error if they do.
			for i := range dst {
				dst[i] = math.NaN()
			}
			return
		}
		for i, r := range y {
			copy(dst[i*out:(i+1)*out], r)
		}
	}
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

// compare rates a recipe's draws against the reference draws.
func compare(recipe, reference string, s, ref [][]float64, e *dataset.Ensemble, cfg Config, seed uint64) (Comparison, error) {
	cmp := Comparison{Recipe: recipe, Reference: reference}
	var err error
	if cmp.W1Range, err = metrics.Wasserstein1Columns(nil, s, ref, e.Lo, e.Hi); err != nil {
		return cmp, err
	}
	for _, w := range cmp.W1Range {
		cmp.MaxW1 = math.Max(cmp.MaxW1, w)
	}
	for j := range e.ParamNames {
		a, _ := metrics.Column(nil, s, j)
		b, _ := metrics.Column(nil, ref, j)
		d, _, err := metrics.KS2(a, b)
		if err != nil {
			return cmp, err
		}
		cmp.KS = append(cmp.KS, d)
	}
	a, b := subsample(s, cfg.MCMC.CompareDraws, seed), subsample(ref, cfg.MCMC.CompareDraws, seed+1)
	if cmp.MMD, err = metrics.ScaledMMD(b, a, mmd.Widths(0.2, 0.5, 1, 2, 5)); err != nil {
		return cmp, err
	}
	cc := cfg.MCMC.C2ST
	cc.Seed = seed
	res, err := metrics.C2ST(a, b, cc)
	if err != nil {
		return cmp, err
	}
	cmp.C2ST = res.Accuracy
	i, j := slices.Index(e.ParamNames, "slatop"), slices.Index(e.ParamNames, "flnr")
	if i < 0 || j < 0 {
		i, j = 0, 1
	}
	cmp.CorrPair = [2]string{e.ParamNames[i], e.ParamNames[j]}
	cmp.CorrRecipe, _ = metrics.ColumnPearson(s, i, j)
	cmp.CorrReference, _ = metrics.ColumnPearson(ref, i, j)
	return cmp, nil
}

// subsample returns at most n rows of s, chosen with a seeded generator.
func subsample(s [][]float64, n int, seed uint64) [][]float64 {
	if n <= 0 || len(s) <= n {
		return s
	}
	idx := rand.New(rand.NewPCG(seed, 0x737562)).Perm(len(s))[:n]
	sort.Ints(idx)
	out := make([][]float64, n)
	for i, k := range idx {
		out[i] = s[k]
	}
	return out
}

// calibrate checks a recipe's calibration over the validation runs: each
// run's observation is its output plus a fresh draw of the configured
// observation noise (calib.Check), as the posterior assumes.
func calibrate(name string, post calib.Sampler, val *dataset.Ensemble, cfg Config, bounds *metrics.CalibrationBounds) RecipeCalibration {
	rep, err := calib.Check(post, val.X, val.Y, val.ParamNames, calib.Config{
		Runs: min(cfg.Calibration.Runs, val.Len()), Draws: cfg.Calibration.Draws, Noise: cfg.ObsNoise,
		Seed: cfg.Seed + 200, Lo: val.Lo, Hi: val.Hi, Bounds: bounds,
	})
	rc := RecipeCalibration{Recipe: name, Report: rep}
	if err != nil {
		// A degenerate posterior (e.g. every draw at a box edge) makes the
		// diagnostics undefined; report it rather than lose the run.
		rc.Error = err.Error()
	}
	return rc
}

// parallelCases runs f for every case on its own goroutine and returns the first error.
func parallelCases(n int, f func(i int) error) error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs error
	)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			if err := f(i); err != nil {
				mu.Lock()
				if errs == nil {
					errs = err
				}
				mu.Unlock()
			}
		}(i)
	}
	wg.Wait()
	return errs
}
