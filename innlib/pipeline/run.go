package pipeline

import (
	"fmt"
	"math"
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
// (train.go), forward (forward.go), invert (invert.go), MCMC (mcmc.go),
// compare (compare.go), best fit (bestfit.go), calibrate (calibrate.go) and
// report (report.go). Each stage reads what the earlier ones left in the
// experiment and fills in its part of the results.
func Run(in Inputs, cfg Config) (*Results, *Models, error) {
	x, err := newExperiment(in, cfg)
	if err != nil {
		return nil, nil, err
	}
	defer x.folder.close()
	for _, s := range stages {
		if s.on != nil && !s.on(x) {
			continue
		}
		if stageHook != nil {
			stageHook(s.name)
		}
		t0 := time.Now()
		if err := s.run(x); err != nil {
			return nil, nil, err
		}
		if s.timing != nil {
			*s.timing(&x.res.Timing) += time.Since(t0).Seconds()
		}
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

// stages are the steps of Run, in order: on says whether a stage runs
// (nil: always), timing where its wall time is added.
var stages = []struct {
	name   string
	run    func(*experiment) error
	on     func(*experiment) bool
	timing func(*Timing) *float64
}{
	{"train", (*experiment).train, nil, func(t *Timing) *float64 { return &t.Training }},
	{"forward", (*experiment).forward, nil, func(t *Timing) *float64 { return &t.Analysis }},
	{"invert", (*experiment).invert, nil, func(t *Timing) *float64 { return &t.Analysis }},
	{"mcmc", (*experiment).mcmc, (*experiment).hasMCMC, func(t *Timing) *float64 { return &t.MCMC }},
	{"compare", (*experiment).compare, (*experiment).hasMCMC, func(t *Timing) *float64 { return &t.Compare }},
	{"best fit", (*experiment).bestFit, (*experiment).hasBox, func(t *Timing) *float64 { return &t.BestFit }},
	{"calibrate", (*experiment).calibrate, func(x *experiment) bool { return !x.cfg.Calibration.Skip }, func(t *Timing) *float64 { return &t.Calib }},
	{"report", (*experiment).report, nil, nil},
}

// stageHook, when set (by tests), is called as each stage starts.
var stageHook func(stage string)

// experiment is what the stages share: the inputs and settings, the results
// as the stages fill them in, and what later stages need from earlier ones.
type experiment struct {
	in    Inputs
	cfg   Config // Defaults filled in; OutDir is the staging folder the run writes into.
	start time.Time
	res   *Results

	folder *runFolder // The output folder (folder.dir), held by this run.
	// modelSettings shaped the models the run uses (those it trains, or the
	// reused models'): they go into the manifest.
	modelSettings ModelSettings

	models *Models // Set by train.
	// draws[method][case] are each method's posterior draws: RecipeINN and
	// RecipeCINN (set by invert), RecipeMCMC (the reference run) and
	// ReferenceINNSurrogate (nil per case without it; both set by mcmc).
	draws map[string][][][]float64
	// starts[case] are each method's best-fitting draws and its MAP, in the
	// order the methods ran: the best in-box fit starts from them.
	starts [][][]float64
	// refined[case] is the conditional flow fine-tuned for that case's
	// observation, with refineInfo[case] (nil without refinement; invert).
	refined    []*inn.Model
	refineInfo []RefineInfo
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
	x = &experiment{in: in, cfg: cfg, start: start, res: res, folder: folder, draws: map[string][][][]float64{},
		starts: make([][][]float64, len(in.Cases)), modelSettings: modelSettings(in, cfg.ObsNoise)}
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
