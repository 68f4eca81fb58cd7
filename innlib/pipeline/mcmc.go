package pipeline

import (
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/ozarkinn/inn/innlib/dataset"
	"github.com/ozarkinn/inn/innlib/emulator"
	"github.com/ozarkinn/inn/innlib/inn"
	"github.com/ozarkinn/inn/innlib/internal/par"
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
	Name      string `json:"name"`      // "paper", "reference" or ReferenceINNSurrogate.
	Surrogate string `json:"surrogate"` // "mlp" or "inn".
	Walkers   int    `json:"walkers"`
	Steps     int    `json:"steps"`
	BurnIn    int    `json:"burn_in"`
	Thin      int    `json:"thin"`
	Samples   int    `json:"samples"`
	// Seconds is the run's wall time; runs sampled in lockstep share the
	// lockstep's, in proportion to their evaluations.
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

// planMCMC adds the runs on the emulator (they need only the emulator, so
// they run while the INN trains), the runs on the INN's forward pass and,
// per case, the MCMC posterior's summary. Each job samples several runs in
// lockstep (mcmc.SampleEnsembles): a network surrogate costs much more per
// call than per point at the few in-box points one half-ensemble proposes,
// so one call on the proposals of several runs costs less than a call per
// run. The emulator's runs of every case share one job; the INN's are cut
// into lockstepGroups jobs, which run side by side after the INN's
// training, where nothing else is left to run beside a single job.
func (x *experiment) planMCMC(g *graph) error {
	all := make([]int, len(x.in.Cases))
	for i := range all {
		all[i] = i
	}
	mlpJob := g.add("MCMC on the emulator, every case", "mcmc", []*job{x.ready.mlp}, func() error {
		return x.mcmcMLP(all)
	}, spanMCMC)
	for i := range x.in.Cases {
		x.ready.mcmc[i] = mlpJob
	}
	if x.cfg.MCMC.INNSurrogate {
		for _, cases := range cutGroups(all, lockstepGroups) {
			names := make([]string, len(cases))
			for k, i := range cases {
				names[k] = x.in.Cases[i].Name
			}
			j := g.add("MCMC on the INN's forward pass, cases "+strings.Join(names, ", "), "mcmc", []*job{x.ready.inn, x.ready.mlp}, func() error {
				return x.mcmcINN(cases)
			}, spanMCMC)
			for _, i := range cases {
				x.ready.mcmcINN[i] = j
			}
		}
	}
	for i, c := range x.in.Cases {
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

// lockstepGroups is how many jobs sample the INN-surrogate runs: as many as
// the cores of the development machine, so that both stay busy after the
// INN's training.
const lockstepGroups = 2

// cutGroups cuts idx into at most n contiguous groups of near-equal size.
func cutGroups(idx []int, n int) [][]int {
	n = max(min(n, len(idx)), 1)
	var out [][]int
	for k := range n {
		lo, hi := k*len(idx)/n, (k+1)*len(idx)/n
		if hi > lo {
			out = append(out, idx[lo:hi])
		}
	}
	return out
}

// mcmcMLP gives the cases their runs on the emulator, the reference run's
// draws becoming the MCMC posterior: read back from the cache, or sampled,
// the cases' runs in lockstep.
func (x *experiment) mcmcMLP(cases []int) error {
	// The emulator's probe is the same for every case.
	probe, err := surrogateProbe(x.models.MLP, x.in.Train.X, x.cfg.MCMC.Reference.Walkers/2)
	if err != nil {
		return err
	}
	recs, err := sampleCases(x, cases, "mlp",
		func(j mcmcJob) (cached[mlpRuns], error) { return j.mlpCache(probe) },
		mcmcJob.mlpSpecs,
		func() (mcmc.Model, error) {
			f, err := x.models.MLP.BatchFunc()
			return mcmc.Model(f), err
		},
		func(runs []MCMCRun, res []*mcmc.Result) mlpRuns {
			ref := res[len(res)-1] // the reference run is the last
			return mlpRuns{Runs: runs, Reference: ref.Samples, LogDensity: ref.LogDensity}
		})
	if err != nil {
		return err
	}
	for k, i := range cases {
		w := &x.work[i]
		w.mcmcRuns, w.refDensity, x.draws[RecipeMCMC][i] = recs[k].Runs, recs[k].LogDensity, recs[k].Reference
	}
	return nil
}

// mcmcINN gives the cases their runs on the INN's forward pass: read back
// from the cache, or sampled in lockstep.
func (x *experiment) mcmcINN(cases []int) error {
	model := x.models.INN
	// The forward map's outputs at the ensemble's own parameters identify
	// it, for every case.
	fwd, err := model.Forward(x.in.Train.X)
	if err != nil {
		return err
	}
	probe := digest(fwd)
	e := x.in.Train
	recs, err := sampleCases(x, cases, "inn",
		func(j mcmcJob) (cached[innRun], error) { return j.innCache(probe) },
		func(j mcmcJob) []samplerSpec {
			return []samplerSpec{{ReferenceINNSurrogate, innSurrogateConfig(j.cfg), 2}}
		},
		func() (mcmc.Model, error) { return innModel(model, len(e.ParamNames), len(e.OutputNames)), nil },
		func(runs []MCMCRun, res []*mcmc.Result) innRun {
			return innRun{Run: runs[0], Reference: res[0].Samples}
		})
	if err != nil {
		return err
	}
	for k, i := range cases {
		x.work[i].innRun, x.draws[ReferenceINNSurrogate][i] = &recs[k].Run, recs[k].Reference
	}
	return nil
}

// sampleCases returns each case's record of its runs on one surrogate: read
// back from the cache (look, the cases in parallel), or else made by record
// from the case's runs (specs), which the cases not cached sample in
// lockstep on the surrogate newModel makes, and stored in the cache.
func sampleCases[T any](x *experiment, cases []int, surrogate string, look func(mcmcJob) (cached[T], error),
	specs func(mcmcJob) []samplerSpec, newModel func() (mcmc.Model, error), record func([]MCMCRun, []*mcmc.Result) T) ([]T, error) {
	caches := make([]cached[T], len(cases))
	errs := make([]error, len(cases))
	par.Each(len(cases), runtime.GOMAXPROCS(0), func() struct{} { return struct{}{} }, func(_ struct{}, k int) {
		caches[k], errs[k] = look(x.mcmcJob(cases[k]))
	})
	var todo []samplerRun
	for k, i := range cases {
		if errs[k] != nil {
			return nil, errs[k]
		}
		if j := x.mcmcJob(i); !caches[k].Found {
			for _, spec := range specs(j) {
				todo = append(todo, samplerRun{j, spec})
			}
		}
	}
	if len(todo) > 0 {
		f, err := newModel()
		if err != nil {
			return nil, err
		}
		runs, res, err := lockstepRuns(surrogate, f, todo)
		if err != nil {
			return nil, err
		}
		// Each case's runs are consecutive in todo, in specs' order.
		for k, i := range cases {
			if caches[k].Found {
				continue
			}
			n := len(specs(x.mcmcJob(i)))
			v := record(runs[:n:n], res[:n:n])
			if err := caches[k].store(v); err != nil {
				return nil, err
			}
			caches[k].Value, runs, res = v, runs[n:], res[n:]
		}
	}
	out := make([]T, len(cases))
	for k := range caches {
		out[k] = caches[k].Value
	}
	return out, nil
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

// mlpRuns is a case's record of its runs on the emulator, as cached.
type mlpRuns struct {
	Runs       []MCMCRun
	Reference  [][]float64
	LogDensity []float64
}

// mlpCache looks up the case's runs on the emulator in OutDir/cache (or the
// previous results' cache): they are there when a previous run used the
// same observation, noise, sampler settings, seed, box and surrogate (the
// chains are then identical).
// probe is surrogateProbe's digest of the emulator.
func (j mcmcJob) mlpCache(probe string) (cached[mlpRuns], error) {
	c, e, mlp := j.c, j.ens, j.mlp
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
	return lookup[mlpRuns](filepath.Join(j.outDir, "cache", "mcmc_"+c.Name+".json"), filepath.Join(j.prev, "cache", "mcmc_"+c.Name+".json"), key)
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

// mlpSpecs are the case's runs on the emulator: the paper's and the
// reference, last.
func (j mcmcJob) mlpSpecs() []samplerSpec {
	return []samplerSpec{{"paper", j.cfg.Paper, 0}, {"reference", j.cfg.Reference, 1}}
}

// samplerSpec is one sampler run: its name, settings and seed offset.
type samplerSpec struct {
	name string
	c    mcmc.Config
	k    int
}

// samplerRun is one sampler run of one case.
type samplerRun struct {
	j    mcmcJob
	spec samplerSpec
}

// config is the run's sampler configuration: the spec's, seeded by the
// experiment, the case and the spec, in the prior box.
func (r samplerRun) config() mcmc.Config {
	mc := r.spec.c
	mc.Seed = r.j.seed*1000 + uint64(r.j.idx*10+r.spec.k)
	mc.Lo, mc.Hi = r.j.ens.Lo, r.j.ens.Hi
	return mc
}

// lockstepRuns samples the runs in lockstep on the surrogate f with the
// experiment's Gaussian likelihood, each against its case's observation,
// and reports each run (report). A run's Seconds is its share of the
// lockstep's wall time, in proportion to its evaluations.
func lockstepRuns(surrogate string, f mcmc.Model, runs []samplerRun) ([]MCMCRun, []*mcmc.Result, error) {
	obs := make([][]float64, len(runs))
	cfgs := make([]mcmc.Config, len(runs))
	for k, r := range runs {
		obs[k], cfgs[k] = r.j.c.Obs, r.config()
	}
	logL, err := mcmc.GaussianLogLikelihoods(f, obs, runs[0].j.noise)
	if err != nil {
		return nil, nil, err
	}
	t0 := time.Now()
	res, err := mcmc.SampleEnsembles(logL, len(runs[0].j.ens.ParamNames), cfgs)
	if err != nil {
		var se *mcmc.SamplerError
		if errors.As(err, &se) {
			r := runs[se.Sampler]
			return nil, nil, fmt.Errorf("%s MCMC, case %s: %w", r.spec.name, r.j.c.Name, se.Err)
		}
		return nil, nil, err
	}
	secs, evals := time.Since(t0).Seconds(), 0
	for _, r := range res {
		evals += r.Evaluations
	}
	out := make([]MCMCRun, len(runs))
	for k, r := range runs {
		out[k], err = r.j.report(surrogate, r.spec, cfgs[k], res[k], secs*float64(res[k].Evaluations)/float64(evals))
		if err != nil {
			return nil, nil, err
		}
	}
	return out, res, nil
}

// report describes a run of the case: its settings, diagnostics, samples
// file (written) and best fit, which the MLP emulator judges for every
// surrogate.
func (j mcmcJob) report(surrogate string, spec samplerSpec, mc mcmc.Config, res *mcmc.Result, secs float64) (MCMCRun, error) {
	c, e := j.c, j.ens
	run := MCMCRun{Name: spec.name, Surrogate: surrogate, Walkers: mc.Walkers, Steps: mc.Steps, BurnIn: mc.BurnIn, Thin: mc.Thin,
		Samples: len(res.Samples), Seconds: secs, Evaluations: res.Evaluations, MeanAcceptance: res.MeanAcceptance}
	thin := 1
	if spec.name != "paper" && j.cfg.DiagnosticThin > 1 {
		thin = j.cfg.DiagnosticThin
	}
	sum, err := mcmc.Summarize(thinChains(res.Chain, len(e.ParamNames), thin), len(e.ParamNames))
	if err != nil {
		return run, fmt.Errorf("%s MCMC diagnostics, case %s: %w", spec.name, c.Name, err)
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
		return run, err
	}
	pred, err := j.mlp.Predict(res.Samples)
	if err != nil {
		return run, err
	}
	run.BestRMSE = math.Inf(1)
	for _, p := range pred {
		r, _ := metrics.RMSE(c.Obs, p)
		run.BestRMSE = math.Min(run.BestRMSE, r)
	}
	return run, nil
}

// innRun is a case's record of its run on the INN's forward pass, as
// cached.
type innRun struct {
	Run       MCMCRun
	Reference [][]float64
}

// innCache looks up the case's run on the INN's forward pass in
// OutDir/cache (or the previous results'): it is there when the
// observation, noise, settings, seed, box and the INN's forward map are
// unchanged; probe digests the forward map's outputs at the ensemble's
// parameters.
func (j mcmcJob) innCache(probe string) (cached[innRun], error) {
	c, e := j.c, j.ens
	key := struct {
		Obs, Noise, Lo, Hi []float64
		Ref                mcmc.Config
		Seed               uint64
		Case, Thin         int
		Surrogate          string
		Version            int
	}{c.Obs, j.noise, e.Lo, e.Hi, innSurrogateConfig(j.cfg), j.seed, j.idx, j.cfg.DiagnosticThin, probe, 1}
	return lookup[innRun](filepath.Join(j.outDir, "cache", "mcmc_inn_"+c.Name+".json"), filepath.Join(j.prev, "cache", "mcmc_inn_"+c.Name+".json"), key)
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
