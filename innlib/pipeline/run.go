package pipeline

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/ozarkinn/inn/innlib/backend"
	"github.com/ozarkinn/inn/innlib/inn"
)

// Run trains (or loads) the models, inverts every case and writes the results
// to cfg.OutDir. It returns the results and the models.
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
	for _, s := range stages {
		if s.on != nil && !s.on(x) {
			continue
		}
		t0 := time.Now()
		if err := s.run(x); err != nil {
			return nil, nil, err
		}
		if s.timing != nil {
			*s.timing(&x.res.Timing) += time.Since(t0).Seconds()
		}
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

// experiment is what the stages share: the inputs and settings, the results
// as the stages fill them in, and what later stages need from earlier ones.
type experiment struct {
	in    Inputs
	cfg   Config // Defaults filled in.
	start time.Time
	res   *Results

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

// newExperiment checks the inputs and settings, makes the output folders and
// the results' header.
func newExperiment(in Inputs, cfg Config) (*experiment, error) {
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
	for _, d := range []string{cfg.OutDir, filepath.Join(cfg.OutDir, "models"), filepath.Join(cfg.OutDir, "samples")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, fmt.Errorf("pipeline: %w", err)
		}
	}
	res := &Results{Schema: ResultsSchema, Created: time.Now().UTC().Format(time.RFC3339), Dataset: in.Name,
		Provenance: in.Provenance, Timing: Timing{Data: in.LoadSeconds, Sampling: map[string]float64{}}}
	tr := in.Train
	res.Settings = Settings{Backend: backend.Describe(b), Seed: cfg.Seed, Samples: cfg.Samples, ObsNoise: cfg.ObsNoise,
		NoiseModel: "Gaussian, independent per output; the conditional flow is trained on y + noise, the bidirectional INN takes the standardised noise as extra latent inputs (x, ε) → y + σε",
		MAPMethod:  fmt.Sprintf("mode of a Gaussian KDE (Scott's bandwidth, full covariance) of %d posterior draws, found by mean shift from the densest draws", cfg.MAPDraws),
		TrainRuns:  tr.Len(), ValRuns: in.Val.Len(), ParamNames: tr.ParamNames, ParamUnits: tr.ParamUnits,
		OutputNames: tr.OutputNames, OutputUnits: tr.OutputUnits, Lo: tr.Lo, Hi: tr.Hi, Reused: cfg.Reuse, CINNAugment: cfg.CINNAugment}
	return &experiment{in: in, cfg: cfg, start: start, res: res, draws: map[string][][][]float64{},
		starts: make([][][]float64, len(in.Cases))}, nil
}

// hasBox says whether the ensemble has a prior box, which MCMC, the
// comparisons and the best in-box fit need.
func (x *experiment) hasBox() bool { return x.in.Train.Lo != nil }

func (x *experiment) hasMCMC() bool { return !x.cfg.MCMC.Skip && x.hasBox() }
