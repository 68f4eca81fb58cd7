package pipeline

import (
	"errors"
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
func (x *experiment) train() error {
	ms, err := trainOrLoad(x.in, x.cfg)
	if err != nil {
		return err
	}
	x.models = ms
	x.res.Settings.Models = describeModels(ms)
	return nil
}

func modelPaths(dir string) map[string]string {
	return map[string]string{
		RecipeINN:  filepath.Join(dir, "models", "inn.ckpt"),
		RecipeCINN: filepath.Join(dir, "models", "cinn.ckpt"),
		"mlp":      filepath.Join(dir, "models", "mlp.ckpt"),
	}
}

// trainOrLoad trains the three models concurrently (each GoMLX graph runs its
// ops on one core, so two cores train about twice as fast together) or loads them.
func trainOrLoad(in Inputs, cfg Config) (*Models, error) {
	paths := modelPaths(cfg.OutDir)
	tr, va := in.Train, in.Val
	n, m := tr.NumParams(), tr.NumOutputs()
	if cfg.Reuse {
		ms := &Models{Seconds: map[string]float64{}}
		var err error
		if ms.INN, err = inn.Load(paths[RecipeINN]); err != nil {
			return nil, fmt.Errorf("pipeline: -reuse: %w (run once without reuse to train and save the models)", err)
		}
		if ms.CINN, err = inn.Load(paths[RecipeCINN]); err != nil {
			return nil, fmt.Errorf("pipeline: -reuse: %w", err)
		}
		if ms.MLP, err = emulator.Load(paths["mlp"]); err != nil {
			return nil, fmt.Errorf("pipeline: -reuse: %w", err)
		}
		// In a fixed order, so that the same files give the same error.
		for _, r := range []struct {
			name string
			mod  *inn.Model
		}{{RecipeINN, ms.INN}, {RecipeCINN, ms.CINN}} {
			if r.mod.NumParams() != n || r.mod.NumOutputs() != m {
				return nil, fmt.Errorf("pipeline: -reuse: saved %s model has %d parameters and %d outputs, the data %d and %d",
					r.name, r.mod.NumParams(), r.mod.NumOutputs(), n, m)
			}
		}
		return ms, nil
	}
	prog := newProgress(cfg.Progress)
	innCfg := cfg.INN
	innCfg.Recipe, innCfg.Lo, innCfg.Hi, innCfg.ObsNoise = inn.Bidirectional, tr.Lo, tr.Hi, cfg.ObsNoise
	innCfg.Train.Seed = cfg.Seed
	cinnCfg := cfg.CINN
	cinnCfg.Recipe, cinnCfg.Lo, cinnCfg.Hi, cinnCfg.ObsNoise = inn.Conditional, tr.Lo, tr.Hi, cfg.ObsNoise
	cinnCfg.Train.Seed = cfg.Seed + 1
	for name, c := range map[string]*inn.Config{"INN": &innCfg, "cINN": &cinnCfg} {
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
			return nil, fmt.Errorf("pipeline: %s settings: %w", c.name, err)
		}
	}
	mlpCfg := cfg.MLP
	mlpCfg.Lo, mlpCfg.Hi, mlpCfg.Seed, mlpCfg.Progress = tr.Lo, tr.Hi, cfg.Seed+2, nil
	ms := &Models{Seconds: map[string]float64{}}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	run := func(name string, f func() error) {
		defer wg.Done()
		t0 := time.Now()
		prog.update(name, "started")
		err := f()
		mu.Lock()
		defer mu.Unlock()
		ms.Seconds[name] = time.Since(t0).Seconds()
		if err != nil {
			errs = append(errs, fmt.Errorf("pipeline: training %s: %w", name, err))
			prog.update(name, "failed")
			return
		}
		prog.update(name, fmt.Sprintf("done in %.0f s", ms.Seconds[name]))
	}
	wg.Add(3)
	go run(RecipeINN, func() (err error) {
		ms.INN, err = inn.TrainWithValidation(tr.X, tr.Y, va.X, va.Y, innCfg)
		return err
	})
	mlpDone := make(chan struct{})
	go run(RecipeCINN, func() (err error) {
		x, y := tr.X, tr.Y
		if cfg.CINNAugment > 0 {
			<-mlpDone
			if ms.MLP == nil {
				return fmt.Errorf("the emulator needed for -cinn-augment failed to train")
			}
			if x, y, err = augment(tr, ms.MLP, cfg.CINNAugment, cfg.Seed+3); err != nil {
				return err
			}
		}
		ms.CINN, err = inn.TrainWithValidation(x, y, va.X, va.Y, cinnCfg)
		return err
	})
	go run("mlp", func() (err error) {
		defer close(mlpDone)
		ms.MLP, err = emulator.Train(tr.X, tr.Y, va.X, va.Y, mlpCfg)
		return err
	})
	wg.Wait()
	prog.done()
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if err := ms.INN.Save(paths[RecipeINN]); err != nil {
		return nil, err
	}
	if err := ms.CINN.Save(paths[RecipeCINN]); err != nil {
		return nil, err
	}
	if err := ms.MLP.Save(paths["mlp"]); err != nil {
		return nil, err
	}
	return ms, nil
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
