package pipeline

import (
	"cmp"
	"fmt"
	"math"
	"runtime"
	"slices"
	"time"

	"github.com/ozarkinn/inn/innlib/backend"
	"github.com/ozarkinn/inn/innlib/inn"
)

// Run trains (or loads) the models, inverts every case and writes the results
// to cfg.OutDir. It returns the results and the models.
//
// The output folder is replaced as a whole and only at the end (folder.go):
// Run holds its lock (a second run into it fails at once, naming this one),
// writes into a staging folder inside it, calls cfg.Finish there, writes
// manifest.json and then moves the new files in place of the previous run's.
// A run that fails or is killed leaves the previous results as they were.
//
// An experiment is a sequence of stages, each in its own file: train
// (train.go), forward (forward.go), invert (invert.go, with refine.go), MCMC
// (mcmc.go), compare (compare.go), best fit (bestfit.go), calibrate
// (calibrate.go) and report (report.go). Each stage plans its work as jobs
// of one graph (graph.go), which start as soon as what they need is ready:
// the MCMC runs on the MLP emulator, for one, run while the INN trains. Once
// every job is done, each stage records its part of the results, in stage
// order, and report writes them.
func Run(in Inputs, cfg Config) (*Results, *Models, error) {
	x, err := newExperiment(in, cfg)
	if err != nil {
		return nil, nil, err
	}
	defer x.folder.close()
	g := newGraph(runtime.GOMAXPROCS(0))
	on := map[string]bool{}
	for _, s := range stages {
		on[s.name] = s.on == nil || s.on(x)
	}
	for _, name := range planOrder {
		if s := stageNamed(name); on[name] {
			if err := s.plan(x, g); err != nil { // Before any job has started.
				return nil, nil, err
			}
		}
	}
	if err := g.run(); err != nil {
		return nil, nil, err
	}
	for _, s := range stages {
		if on[s.name] && s.record != nil {
			s.record(x)
		}
	}
	x.setTiming(g)
	if stageHook != nil {
		stageHook("report")
	}
	if err := x.report(); err != nil {
		return nil, nil, err
	}
	if x.cfg.Finish != nil {
		if err := x.cfg.Finish(x.cfg.OutDir); err != nil {
			return nil, nil, err
		}
	}
	if err := x.folder.commit(&Manifest{Run: x.folder.owner, Models: x.modelSettings}); err != nil {
		return nil, nil, err
	}
	return x.res, x.models, nil
}

// A stage plans its jobs into the run's graph (an error there, such as a bad
// setting, comes before any job starts) and, once all jobs are done,
// records what they computed in the results.
type stage struct {
	name   string
	on     func(*experiment) bool // Whether the stage runs; nil: always.
	plan   func(*experiment, *graph) error
	record func(*experiment) // nil: the stage's jobs wrote their results.
}

// stages are the stages of Run, in the order they record their results.
var stages = []stage{
	{"train", nil, (*experiment).planTrain, (*experiment).recordTrain},
	{"forward", nil, (*experiment).planForward, nil},
	{"invert", nil, (*experiment).planInvert, (*experiment).recordInvert},
	{"mcmc", (*experiment).hasMCMC, (*experiment).planMCMC, (*experiment).recordMCMC},
	{"compare", (*experiment).hasMCMC, (*experiment).planCompare, (*experiment).recordCompare},
	{"best fit", (*experiment).hasBox, (*experiment).planBestFit, (*experiment).recordBestFit},
	{"calibrate", func(x *experiment) bool { return !x.cfg.Calibration.Skip }, (*experiment).planCalibrate, (*experiment).recordCalibrate},
}

// planOrder is the order in which Run plans the stages' jobs, and so their
// priority for a free core (graph): the INN's training first (it is the
// longest), then the MCMC runs (the longest jobs after it) and the
// calibration (a chain of two checks), so that the short jobs (sampling,
// summaries, comparisons, best fits) fill in at the end.
var planOrder = []string{"train", "mcmc", "calibrate", "forward", "invert", "compare", "best fit"}

func stageNamed(name string) stage {
	for _, s := range stages {
		if s.name == name {
			return s
		}
	}
	panic("pipeline: no stage " + name)
}

// runStage runs one stage on its own: plans it into a graph of its own, runs
// that and records the results. The stage methods (x.train, x.mcmc, ...) are
// this, for tests and callers that go stage by stage.
func (x *experiment) runStage(name string) error {
	s := stageNamed(name)
	g := newGraph(runtime.GOMAXPROCS(0))
	if err := s.plan(x, g); err != nil {
		return err
	}
	if err := g.run(); err != nil {
		return err
	}
	if s.record != nil {
		s.record(x)
	}
	x.setTiming(g)
	return nil
}

// Timing spans: the jobs count their time toward these (graph.seconds).
const (
	spanTraining    = "training"
	spanAnalysis    = "analysis" // The forward and invert stages.
	spanRefine      = "refine"
	spanSampling    = "sampling " // + recipe
	spanMCMC        = "mcmc"
	spanCompare     = "comparison"
	spanBestFit     = "best fit"
	spanCalibration = "calibration"
)

// setTiming adds each stage's span in g to the results' timing.
func (x *experiment) setTiming(g *graph) {
	t := &x.res.Timing
	for _, s := range []struct {
		span string
		dst  *float64
	}{{spanTraining, &t.Training}, {spanAnalysis, &t.Analysis}, {spanRefine, &t.Refine}, {spanMCMC, &t.MCMC},
		{spanCompare, &t.Compare}, {spanBestFit, &t.BestFit}, {spanCalibration, &t.Calib}} {
		*s.dst += g.seconds(s.span)
	}
	for _, r := range []string{RecipeINN, RecipeCINN} {
		if v := g.seconds(spanSampling + r); v > 0 {
			t.Sampling[r] = v
		}
	}
	for _, j := range g.ranJobs {
		t.Jobs = append(t.Jobs, JobTiming{Name: j.name, Start: j.t0.Sub(x.start).Seconds(), Seconds: j.t1.Sub(j.t0).Seconds()})
	}
	slices.SortStableFunc(t.Jobs, func(a, b JobTiming) int { return cmp.Compare(a.Start, b.Start) })
}

// stageHook, when set (by tests), is called as each stage's first job starts.
var stageHook func(stage string)

// experiment is what the stages share: the inputs and settings, the results
// as the stages fill them in, and what later stages need from earlier ones.
//
// The jobs of the stages run concurrently: each writes only its own fields
// (its case's entries in work, draws and refined), which the jobs that
// depend on it read after it is done. x.res is written by the record steps,
// after all jobs, except where a single job owns a field (forward).
type experiment struct {
	in    Inputs
	cfg   Config // Defaults filled in; OutDir is the staging folder the run writes into.
	start time.Time
	res   *Results

	folder *runFolder // The output folder (folder.dir), held by this run.
	// modelSettings shaped the models the run uses (those it trains, or the
	// reused models'): they go into the manifest.
	modelSettings ModelSettings

	models *Models // Set by the train jobs.
	// ready are the jobs whose results later stages need; nil is ready.
	ready readyJobs
	// draws[method][case] are each method's posterior draws: RecipeINN and
	// RecipeCINN (set by invert), RecipeMCMC (the reference run) and
	// ReferenceINNSurrogate (nil per case without it; both set by mcmc).
	// The map's keys are fixed by newExperiment; the jobs set the cases.
	draws map[string][][][]float64
	// work[case] is what the jobs computed for that case.
	work []caseWork
	// refined[case] is the conditional flow fine-tuned for that case's
	// observation, with refineInfo[case] (nil without refinement; invert).
	refined    []*inn.Model
	refineInfo []RefineInfo
	// calibration are the recipes' checks (INN, conditional flow; calibrate).
	calibration []RecipeCalibration
}

// readyJobs are the jobs that make what later stages need.
type readyJobs struct {
	inn, cinn, mlp *job // The models.
	// sampled[recipe] draws that recipe's posteriors for every case.
	sampled map[string]*job
	// mcmc[case] and mcmcINN[case] sample the case on the MLP emulator and
	// on the INN's forward pass.
	mcmc, mcmcINN []*job
	// summarised[case] summarise the case's posteriors (the best fit's starts).
	summarised [][]*job
}

// Methods index caseWork.post, in the order their summaries appear in the
// results and seed the best fit.
const (
	methodINN = iota
	methodCINN
	methodMCMC
	numMethods
)

// caseWork is what the jobs leave for one case; each field is written by one job.
type caseWork struct {
	post [numMethods]*summarised // Nil for a method that did not run.
	// mcmcRuns are the paper and reference runs on the MLP emulator, and
	// innRun the run on the INN's forward pass (nil without it).
	mcmcRuns    []MCMCRun
	innRun      *MCMCRun
	refDensity  []float64      // The reference run's log density at its draws.
	comparisons [3]*Comparison // See planCompare; nil where not compared.
	bestFit     *BestFit
}

// summarised is one method's posterior summary for a case, and the draws
// that fit best (starts for the best fit).
type summarised struct {
	ps   PosteriorSummary
	best [][]float64
}

// bestStarts returns a case's best-fitting draws and MAP of every method
// that ran, in method order: the best in-box fit starts from them.
func (x *experiment) bestStarts(i int) [][]float64 {
	var s [][]float64
	for _, p := range x.work[i].post {
		if p != nil {
			s = append(append(s, p.best...), p.ps.MAP)
		}
	}
	return s
}

// newExperiment checks the inputs and settings, takes the output folder
// (lock, staging folder), prepares the models to reuse, and makes the
// results' header. Every check that can fail does so here, before training.
func newExperiment(in Inputs, cfg Config) (x *experiment, err error) {
	start := time.Now()
	if err := in.validate(); err != nil {
		return nil, err
	}
	if err := cfg.fill(); err != nil {
		return nil, err
	}
	if m := in.Train.NumOutputs(); len(cfg.ObsNoise) != 1 && len(cfg.ObsNoise) != m {
		return nil, fmt.Errorf("pipeline: %d observation-noise sds for %d outputs: give one for all or one per output", len(cfg.ObsNoise), m)
	}
	b, err := backend.New()
	if err != nil {
		return nil, err
	}
	folder, err := openRunFolder(cfg.OutDir)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			folder.close()
		}
	}()
	res := &Results{Schema: ResultsSchema, Created: time.Now().UTC().Format(time.RFC3339), Dataset: in.Name,
		Provenance: in.Provenance, Timing: Timing{Data: in.LoadSeconds, Sampling: map[string]float64{}}}
	tr := in.Train
	res.Settings = Settings{Backend: backend.Describe(b), Seed: cfg.Seed, Samples: cfg.Samples, ObsNoise: cfg.ObsNoise,
		NoiseModel: "Gaussian, independent per output; the conditional flow is trained on y + noise, the bidirectional INN takes the standardised noise as extra latent inputs (x, ε) → y + σε",
		MAPMethod:  fmt.Sprintf("mode of a Gaussian KDE (Scott's bandwidth, full covariance) of %d posterior draws, found by mean shift from the densest draws", cfg.MAPDraws),
		TrainRuns:  tr.Len(), ValRuns: in.Val.Len(), ParamNames: tr.ParamNames, ParamUnits: tr.ParamUnits,
		OutputNames: tr.OutputNames, OutputUnits: tr.OutputUnits, Lo: tr.Lo, Hi: tr.Hi, Reused: cfg.Reuse, CINNAugment: cfg.CINNAugment}
	n := len(in.Cases)
	x = &experiment{in: in, cfg: cfg, start: start, res: res, folder: folder, draws: map[string][][][]float64{},
		work: make([]caseWork, n), modelSettings: modelSettings(in, cfg.ObsNoise)}
	for _, m := range []string{RecipeINN, RecipeCINN, RecipeMCMC, ReferenceINNSurrogate} {
		x.draws[m] = make([][][]float64, n)
	}
	x.ready = readyJobs{sampled: map[string]*job{}, mcmc: make([]*job, n), mcmcINN: make([]*job, n), summarised: make([][]*job, n)}
	for _, s := range folder.found {
		x.warn(s)
	}
	x.checkPlausible()
	if cfg.Reuse {
		if err := x.prepareReuse(); err != nil {
			return nil, err
		}
	}
	x.cfg.OutDir = folder.staging
	return x, nil
}

// warn records a warning in the results and prints it to cfg.Log.
func (x *experiment) warn(msg string) {
	x.res.Warnings = append(x.res.Warnings, msg)
	if x.cfg.Log != nil {
		fmt.Fprintf(x.cfg.Log, "warning: %s\n", msg)
	}
}

// checkPlausible warns about observations outside the range of the
// training runs' outputs: there every posterior rests on the emulators'
// extrapolation, and the posterior may pile up at the edge of the box.
func (x *experiment) checkPlausible() {
	tr := x.in.Train
	for _, c := range x.in.Cases {
		for j, v := range c.Obs {
			lo, hi := math.Inf(1), math.Inf(-1)
			for _, r := range tr.Y {
				lo, hi = math.Min(lo, r[j]), math.Max(hi, r[j])
			}
			if v < lo || v > hi {
				unit := ""
				if j < len(tr.OutputUnits) && tr.OutputUnits[j] != "" {
					unit = " " + tr.OutputUnits[j]
				}
				x.warn(fmt.Sprintf("case %s: observed %s = %g%s lies outside the training runs' range [%g, %g]: the posterior rests on the emulators' extrapolation",
					c.Name, tr.OutputNames[j], v, unit, lo, hi))
			}
		}
	}
}

// hasBox says whether the ensemble has a prior box, which MCMC, the
// comparisons and the best in-box fit need.
func (x *experiment) hasBox() bool { return x.in.Train.Lo != nil }

func (x *experiment) hasMCMC() bool { return !x.cfg.MCMC.Skip && x.hasBox() }
