package pipeline

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"sync"
	"time"

	"github.com/ozarkinn/inn/innlib/dataset"
	"github.com/ozarkinn/inn/innlib/emulator"
	"github.com/ozarkinn/inn/innlib/inn"
)

// Recipe names used in results and file names.
const (
	RecipeINN  = "inn"  // Bidirectional INN.
	RecipeCINN = "cinn" // Conditional flow.
)

// Models are the trained networks of an experiment.
type Models struct {
	INN, CINN *inn.Model
	MLP       *emulator.MLP
	Seconds   map[string]float64 // Training time per model (0 when loaded).
}

// train is the first stage: it trains the bidirectional INN, the conditional
// flow and the MLP emulator (or loads them with Config.Reuse) and records
// what they are in the settings.
func (x *experiment) train() error { return x.runStage("train") }

func modelPaths(dir string) map[string]string {
	return map[string]string{
		RecipeINN:  filepath.Join(dir, "models", "inn.ckpt"),
		RecipeCINN: filepath.Join(dir, "models", "cinn.ckpt"),
		"mlp":      filepath.Join(dir, "models", "mlp.ckpt"),
	}
}

// planTrain adds a job per model that trains and saves it (each GoMLX graph
// runs its ops on one core, so the three train about as fast together as
// alone), or with Config.Reuse one job that loads them all. A bad setting
// fails here, before anything trains.
func (x *experiment) planTrain(g *graph) error {
	x.models = &Models{Seconds: map[string]float64{}}
	if x.cfg.Reuse {
		load := g.add("loading the models", "train", nil, func() error { return loadModels(x.in, x.cfg.OutDir, x.models) }, spanTraining)
		x.ready.inn, x.ready.cinn, x.ready.mlp = load, load, load
		return nil
	}
	in, cfg, ms := x.in, x.cfg, x.models
	paths := modelPaths(cfg.OutDir)
	tr, va := in.Train, in.Val
	n, m := tr.NumParams(), tr.NumOutputs()
	prog := newProgress(cfg.Progress)
	innCfg := cfg.INN
	innCfg.Recipe, innCfg.Lo, innCfg.Hi, innCfg.ObsNoise = inn.Bidirectional, tr.Lo, tr.Hi, cfg.ObsNoise
	innCfg.Train.Seed = cfg.Seed
	cinnCfg := cfg.CINN
	cinnCfg.Recipe, cinnCfg.Lo, cinnCfg.Hi, cinnCfg.ObsNoise = inn.Conditional, tr.Lo, tr.Hi, cfg.ObsNoise
	cinnCfg.Train.Seed = cfg.Seed + 1
	// Keyed as train below keys its status, so each model has one entry on the line.
	for name, c := range map[string]*inn.Config{RecipeINN: &innCfg, RecipeCINN: &cinnCfg} {
		name, epochs := name, c.WithDefaults().Train.Epochs
		c.Train.Progress = nil
		c.Train.OnEpoch = func(s inn.EpochStats) {
			prog.update(name, fmt.Sprintf("%d/%d val %.3g", s.Epoch+1, epochs, s.ValScore))
		}
	}
	// A bad setting fails now, not after the other models have trained.
	for _, c := range []struct {
		name string
		cfg  inn.Config
	}{{RecipeINN, innCfg}, {RecipeCINN, cinnCfg}} {
		if err := c.cfg.Check(n, m); err != nil {
			return fmt.Errorf("pipeline: %s settings: %w", c.name, err)
		}
	}
	mlpCfg := cfg.MLP
	mlpCfg.Lo, mlpCfg.Hi, mlpCfg.Seed, mlpCfg.Progress = tr.Lo, tr.Hi, cfg.Seed+2, nil
	var (
		mu   sync.Mutex
		left = 3
	)
	// train times f, reports its progress and saves the model it made.
	train := func(name string, f func() error, save func() error) func() error {
		return func() error {
			t0 := time.Now()
			prog.update(name, "started")
			err := f()
			secs := time.Since(t0).Seconds()
			mu.Lock()
			ms.Seconds[name] = secs
			left--
			last := left == 0
			mu.Unlock()
			if err != nil {
				prog.update(name, "failed")
			} else {
				prog.update(name, fmt.Sprintf("done in %.0f s", secs))
			}
			if last {
				prog.done()
			}
			if err != nil {
				return err
			}
			return save()
		}
	}
	// The INN trains longest: it is added first, to have a core at once;
	// the emulator next, as the MCMC runs wait for it.
	x.ready.inn = g.add("training "+RecipeINN, "train", nil, train(RecipeINN, func() (err error) {
		ms.INN, err = inn.TrainWithValidation(tr.X, tr.Y, va.X, va.Y, innCfg)
		return err
	}, func() error { return ms.INN.Save(paths[RecipeINN]) }), spanTraining)
	x.ready.mlp = g.add("training mlp", "train", nil, train("mlp", func() (err error) {
		ms.MLP, err = emulator.Train(tr.X, tr.Y, va.X, va.Y, mlpCfg)
		return err
	}, func() error { return ms.MLP.Save(paths["mlp"]) }), spanTraining)
	var needs []*job
	if cfg.CINNAugment > 0 {
		needs = []*job{x.ready.mlp}
	}
	x.ready.cinn = g.add("training "+RecipeCINN, "train", needs, train(RecipeCINN, func() (err error) {
		x, y := tr.X, tr.Y
		if cfg.CINNAugment > 0 {
			if x, y, err = augment(tr, ms.MLP, cfg.CINNAugment, cfg.Seed+3); err != nil {
				return err
			}
		}
		ms.CINN, err = inn.TrainWithValidation(x, y, va.X, va.Y, cinnCfg)
		return err
	}, func() error { return ms.CINN.Save(paths[RecipeCINN]) }), spanTraining)
	return nil
}

// recordTrain records what the models are in the settings.
func (x *experiment) recordTrain() { x.res.Settings.Models = describeModels(x.models) }

// loadModels loads the models saved in dir into ms and checks their sizes
// against the data.
func loadModels(in Inputs, dir string, ms *Models) error {
	paths := modelPaths(dir)
	n, m := in.Train.NumParams(), in.Train.NumOutputs()
	var err error
	if ms.INN, err = inn.Load(paths[RecipeINN]); err != nil {
		return fmt.Errorf("-reuse: %w (run once without reuse to train and save the models)", err)
	}
	if ms.CINN, err = inn.Load(paths[RecipeCINN]); err != nil {
		return fmt.Errorf("-reuse: %w", err)
	}
	if ms.MLP, err = emulator.Load(paths["mlp"]); err != nil {
		return fmt.Errorf("-reuse: %w", err)
	}
	// In a fixed order, so that the same files give the same error.
	for _, r := range []struct {
		name string
		mod  *inn.Model
	}{{RecipeINN, ms.INN}, {RecipeCINN, ms.CINN}} {
		if r.mod.NumParams() != n || r.mod.NumOutputs() != m {
			return fmt.Errorf("-reuse: saved %s model has %d parameters and %d outputs, the data %d and %d",
				r.name, r.mod.NumParams(), r.mod.NumOutputs(), n, m)
		}
	}
	return nil
}

// augment returns the training runs plus n runs emulated by the MLP at
// parameters drawn uniformly from the prior box.
func augment(tr *dataset.Ensemble, mlp *emulator.MLP, n int, seed uint64) (x, y [][]float64, err error) {
	if tr.Lo == nil {
		return nil, nil, fmt.Errorf("emulated runs need a prior box")
	}
	rng := rand.New(rand.NewPCG(seed, 0x61756720))
	extra := make([][]float64, n)
	for i := range extra {
		extra[i] = make([]float64, len(tr.Lo))
		for j := range extra[i] {
			extra[i][j] = tr.Lo[j] + rng.Float64()*(tr.Hi[j]-tr.Lo[j])
		}
	}
	ey, err := mlp.Predict(extra)
	if err != nil {
		return nil, nil, err
	}
	x = append(append([][]float64(nil), tr.X...), extra...)
	y = append(append([][]float64(nil), tr.Y...), ey...)
	return x, y, nil
}

func describeModels(ms *Models) []Model {
	out := []Model{}
	for _, r := range []struct {
		name, kind string
		m          *inn.Model
	}{{RecipeINN, "bidirectional INN (Ardizzone et al. 2019)", ms.INN}, {RecipeCINN, "conditional flow (maximum likelihood)", ms.CINN}} {
		h := r.m.History()
		c := r.m.Config()
		c.Train.Progress, c.Train.OnEpoch = nil, nil
		th := &TrainingHistory{Train: map[string][]float64{}, Val: map[string][]float64{}}
		for _, e := range h.Epochs {
			for k, v := range e.Train {
				th.Train[k] = append(th.Train[k], v)
			}
			for k, v := range e.Val {
				th.Val[k] = append(th.Val[k], v)
			}
			if e.ValR2 != nil {
				th.ValR2 = append(th.ValR2, e.ValR2)
			}
		}
		out = append(out, Model{Name: r.name, Kind: r.kind, File: filepath.Join("models", r.name+".ckpt"), Weights: r.m.NumWeights(),
			Epochs: len(h.Epochs), BestEpoch: h.BestEpoch, TrainSecs: ms.Seconds[r.name], FlowWidth: r.m.FlowWidth(),
			LatentDim: r.m.LatentDim(), ConfigJSON: c, History: th})
	}
	hist := ms.MLP.History()
	best := 0
	for _, e := range hist {
		if e.Best {
			best = e.Epoch
		}
	}
	c := ms.MLP.Config()
	c.Progress = nil
	th := &TrainingHistory{Train: map[string][]float64{"mse": nil}, Val: map[string][]float64{"mse": nil}}
	for _, e := range hist {
		th.Train["mse"] = append(th.Train["mse"], e.TrainMSE)
		th.Val["mse"] = append(th.Val["mse"], e.ValMSE)
	}
	out = append(out, Model{Name: "mlp", Kind: "MLP emulator (independent of the INN)", File: filepath.Join("models", "mlp.ckpt"),
		Epochs: len(hist), BestEpoch: best, TrainSecs: ms.Seconds["mlp"], ConfigJSON: c, History: th})
	return out
}
