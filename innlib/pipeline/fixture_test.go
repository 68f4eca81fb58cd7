package pipeline

import (
	"sync"
	"testing"

	"github.com/ozarkinn/inn/innlib/dataset"
	"github.com/ozarkinn/inn/innlib/dense"
	"github.com/ozarkinn/inn/innlib/emulator"
	"github.com/ozarkinn/inn/innlib/flow"
	"github.com/ozarkinn/inn/innlib/inn"
	"github.com/ozarkinn/inn/innlib/mcmc"
	"github.com/ozarkinn/inn/innlib/metrics"
	"github.com/ozarkinn/inn/innlib/toy"
)

// The stage tests run on a small synthetic experiment, toy.Smooth with 3
// parameters and 4 outputs: small networks, a few epochs, short chains. They
// test the stages' plumbing and arithmetic, not how good the networks get.

// toyNoise is the observation-noise sd of the toy experiment; the outputs
// span about 1 to 3.
const toyNoise = 0.1

// toyInputs returns 240 training and 60 validation runs of toy.Smooth in its
// box, two synthetic cases (validation runs 250 and 280) and an observation
// without a truth.
func toyInputs(t testing.TB) Inputs {
	t.Helper()
	s := toy.Smooth{Outputs: 4}
	x, y := s.Sample(300, 7)
	params, outputs := s.Names()
	all := &dataset.Ensemble{X: x, Y: y, ParamNames: params, OutputNames: outputs, Lo: toy.SmoothLo, Hi: toy.SmoothHi, Source: "toy"}
	train, val, err := all.Split(240)
	if err != nil {
		t.Fatal(err)
	}
	cases, err := SyntheticCases(all, 250, 280)
	if err != nil {
		t.Fatal(err)
	}
	obs := s.Apply([]float64{1, 2, 0.3})
	obs[1] += 0.05
	cases = append(cases, Case{Name: "observed", Title: "An observation", Obs: obs, Row: -1, Note: "made up for the test"})
	return Inputs{Name: "toy", Train: train, Val: val, Cases: cases}
}

// toyConfig returns settings that run the toy experiment in seconds.
func toyConfig(dir string) Config {
	net := flow.Config{Blocks: 2, Subnet: dense.MLPConfig{Layers: 2, Width: 32}}
	short := func(steps int) mcmc.Config {
		c := mcmc.DefaultConfig(0)
		c.Steps, c.BurnIn, c.Thin = steps, steps/2, 10
		return c
	}
	return Config{
		OutDir: dir, ObsNoise: []float64{toyNoise}, Samples: 1000, MAPDraws: 300, FitSteps: 50, Seed: 1,
		INN:  inn.Config{Flow: net, Loss: inn.LossConfig{Fit: 5}, Train: inn.TrainConfig{Epochs: 30, BatchSize: 32, LearningRate: 2e-3}},
		CINN: inn.Config{Flow: net, Train: inn.TrainConfig{Epochs: 30, BatchSize: 32, LearningRate: 2e-3}},
		MLP:  emulator.Config{Layers: 3, Width: 32, Epochs: 300},
		MCMC: MCMCConfig{Paper: short(2000), Reference: short(6000), DiagnosticThin: 2, CompareDraws: 500, INNSurrogate: true,
			C2ST: metrics.C2STConfig{Folds: 2, MaxEpochs: 50}},
		Calibration: CalibrationConfig{Runs: 60, Draws: 100},
	}
}

var toyTrained struct {
	once   sync.Once
	models *Models
	err    error
}

// toyExperiment returns the toy experiment, writing to a fresh folder, with
// its stages run up to and including the named one ("" for none). The models
// are trained once per test binary and shared.
func toyExperiment(t *testing.T, through string) *experiment {
	t.Helper()
	x, err := newExperiment(toyInputs(t), toyConfig(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	if through == "" {
		return x
	}
	toyTrained.once.Do(func() {
		y, err := newExperiment(toyInputs(t), toyConfig(t.TempDir()))
		if err == nil {
			err = y.train()
		}
		toyTrained.models, toyTrained.err = y.models, err
	})
	if toyTrained.err != nil {
		t.Fatal(toyTrained.err)
	}
	x.models = toyTrained.models
	x.res.Settings.Models = describeModels(x.models)
	if through == "train" {
		return x
	}
	for _, s := range stages[1:] {
		if s.on != nil && !s.on(x) {
			continue
		}
		if err := x.runStage(s.name); err != nil {
			t.Fatalf("stage %s: %v", s.name, err)
		}
		if s.name == through {
			return x
		}
	}
	t.Fatalf("no stage %q", through)
	return nil
}

// commitRun finishes x as Run does after its stages: the manifest, the
// results moved in place, the folder given up.
func commitRun(t *testing.T, x *experiment) {
	t.Helper()
	if err := x.folder.commit(&Manifest{Run: x.folder.owner, Models: x.modelSettings}); err != nil {
		t.Fatal(err)
	}
	x.folder.close()
}
