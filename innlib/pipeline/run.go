package pipeline

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/ozarkinn/inn/innlib/backend"
	"github.com/ozarkinn/inn/innlib/dataset"
	"github.com/ozarkinn/inn/innlib/emulator"
	"github.com/ozarkinn/inn/innlib/inn"
	"github.com/ozarkinn/inn/innlib/internal/ckpt"
	"github.com/ozarkinn/inn/innlib/metrics"
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

// Run trains (or loads) the models, inverts every case and writes the results
// to cfg.OutDir. It returns the results and the models.
func Run(in Inputs, cfg Config) (*Results, *Models, error) {
	start := time.Now()
	if err := in.validate(); err != nil {
		return nil, nil, err
	}
	if err := cfg.fill(); err != nil {
		return nil, nil, err
	}
	b, err := backend.New()
	if err != nil {
		return nil, nil, err
	}
	for _, d := range []string{cfg.OutDir, filepath.Join(cfg.OutDir, "models"), filepath.Join(cfg.OutDir, "samples")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, nil, fmt.Errorf("pipeline: %w", err)
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

	t0 := time.Now()
	models, err := trainOrLoad(in, cfg)
	if err != nil {
		return nil, nil, err
	}
	res.Timing.Training = time.Since(t0).Seconds()
	res.Settings.Models = describeModels(models)

	t0 = time.Now()
	if res.Forward, err = forwardScores(in, models, cfg.OutDir); err != nil {
		return nil, nil, err
	}
	res.ForwardFile = "forward.csv"
	// Posterior samples for all cases at once per recipe.
	obs := make([][]float64, len(in.Cases))
	for i, c := range in.Cases {
		obs[i] = c.Obs
	}
	samples := map[string][][][]float64{}
	for _, r := range []struct {
		name  string
		model *inn.Model
	}{{RecipeINN, models.INN}, {RecipeCINN, models.CINN}} {
		ts := time.Now()
		s, err := r.model.PosteriorBatch(obs, cfg.Samples, cfg.Seed+100)
		if err != nil {
			return nil, nil, fmt.Errorf("pipeline: %s posterior: %w", r.name, err)
		}
		res.Timing.Sampling[r.name] = time.Since(ts).Seconds()
		samples[r.name] = s
	}
	starts := make([][][]float64, len(in.Cases))
	for i, c := range in.Cases {
		cr := CaseResult{Name: c.Name, Title: c.Title, Note: c.Note, Row: c.Row, Obs: c.Obs, Truth: c.Truth}
		for _, recipe := range []string{RecipeINN, RecipeCINN} {
			s := samples[recipe][i]
			var density []float64
			if recipe == RecipeCINN {
				if density, err = models.CINN.UnconstrainedLogDensity(s, c.Obs); err != nil {
					density = nil // Padded flows have no density; fall back to the KDE.
				}
			}
			ps, best, err := summariseAndWrite(recipe, s, density, c, tr, models.MLP, cfg)
			if err != nil {
				return nil, nil, err
			}
			ps.Seconds = res.Timing.Sampling[recipe] / float64(len(in.Cases))
			cr.Posteriors = append(cr.Posteriors, ps)
			starts[i] = append(append(starts[i], best...), ps.MAP)
		}
		res.Cases = append(res.Cases, cr)
	}
	res.Timing.Analysis = time.Since(t0).Seconds()

	if !cfg.MCMC.Skip && tr.Lo != nil {
		t0 = time.Now()
		refs := make([][][]float64, len(in.Cases))
		refDensity := make([][]float64, len(in.Cases))
		innRefs := make([][][]float64, len(in.Cases))
		err := parallelCases(len(in.Cases), func(i int) error {
			runs, ref, ld, err := runMCMCCached(in.Cases[i], tr, models.MLP, cfg, i)
			if err != nil {
				return fmt.Errorf("pipeline: case %s: %w", in.Cases[i].Name, err)
			}
			if cfg.MCMC.INNSurrogate {
				run, innRef, err := runINNSurrogateCached(in.Cases[i], tr, models.MLP, models.INN, cfg, i)
				if err != nil {
					return fmt.Errorf("pipeline: case %s: MCMC on the INN's forward pass: %w", in.Cases[i].Name, err)
				}
				runs, innRefs[i] = append(runs, run), innRef
			}
			res.Cases[i].MCMC, refs[i], refDensity[i] = runs, ref, ld
			return nil
		})
		if err != nil {
			return nil, nil, err
		}
		res.Timing.MCMC = time.Since(t0).Seconds()
		t0 = time.Now()
		for i, c := range in.Cases {
			ps, best, err := summariseAndWrite(RecipeMCMC, refs[i], refDensity[i], c, tr, models.MLP, cfg)
			if err != nil {
				return nil, nil, err
			}
			// The MCMC posterior is the reference run's, not the INN-surrogate
			// run that may follow it.
			for _, r := range res.Cases[i].MCMC {
				if r.Name == "reference" {
					ps.Seconds = r.Seconds
				}
			}
			res.Cases[i].Posteriors = append(res.Cases[i].Posteriors, ps)
			starts[i] = append(append(starts[i], best...), ps.MAP)
			type pair struct {
				recipe, reference string
				ref               [][]float64
			}
			pairs := []pair{{RecipeINN, RecipeMCMC, refs[i]}, {RecipeCINN, RecipeMCMC, refs[i]}}
			if innRefs[i] != nil {
				pairs = append(pairs, pair{RecipeINN, ReferenceINNSurrogate, innRefs[i]})
			}
			for k, p := range pairs {
				seed := cfg.Seed + uint64(300+10*i+k)
				key := struct {
					Recipe, Reference, Samples, Ref string
					Cfg                             MCMCConfig
					Seed                            uint64
					Version                         int // Bumped when the comparison's arithmetic changes.
				}{p.recipe, p.reference, digest(samples[p.recipe][i]), digest(p.ref), cfg.MCMC, seed, 1}
				cmp, err := memo(filepath.Join(cfg.OutDir, "cache", fmt.Sprintf("compare_%s_%s_%s.json", c.Name, p.recipe, p.reference)), key,
					func() (Comparison, error) {
						return compare(p.recipe, p.reference, samples[p.recipe][i], p.ref, tr, cfg, seed)
					})
				if err != nil {
					return nil, nil, fmt.Errorf("pipeline: case %s: comparing %s with %s: %w", c.Name, p.recipe, p.reference, err)
				}
				res.Cases[i].Comparisons = append(res.Cases[i].Comparisons, cmp)
			}
		}
		res.Timing.Compare = time.Since(t0).Seconds()
	}
	if tr.Lo != nil {
		t0 = time.Now()
		var spacing *float64
		if sp := runSpacing(tr.X, tr.Lo, tr.Hi); !math.IsNaN(sp) {
			spacing = &sp
		}
		for i, c := range in.Cases {
			bf, err := bestFit(models.MLP, models.INN, tr, spacing, c.Obs, starts[i], cfg.FitSteps)
			if err != nil {
				return nil, nil, fmt.Errorf("pipeline: case %s: best fit: %w", c.Name, err)
			}
			res.Cases[i].BestFit = bf
			for k := range res.Cases[i].Posteriors {
				p := &res.Cases[i].Posteriors[k]
				setNearBest(p, p.drawRMSE, bf.RMSE)
			}
		}
		res.Timing.BestFit = time.Since(t0).Seconds()
	}
	if !cfg.Calibration.Skip {
		t0 = time.Now()
		var bounds *metrics.CalibrationBounds // Simulated once, shared by both recipes.
		for _, r := range []struct {
			name  string
			model *inn.Model
		}{{RecipeINN, models.INN}, {RecipeCINN, models.CINN}} {
			rc := calibrate(r.name, r.model.PosteriorBatch, in.Val, cfg, bounds)
			if rc.Error == "" {
				bounds = &rc.Bounds
			}
			res.Calibration = append(res.Calibration, rc)
		}
		res.Timing.Calib = time.Since(t0).Seconds()
	}
	res.Notes = notes(in, res)
	res.Timing.Total = time.Since(start).Seconds()
	if err := WriteResults(filepath.Join(cfg.OutDir, "results.json"), res); err != nil {
		return nil, nil, err
	}
	return res, models, nil
}

// WriteResults writes res as indented JSON, atomically.
func WriteResults(path string, res *Results) error {
	js, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return fmt.Errorf("pipeline: encoding results: %w", err)
	}
	if err := ckpt.WriteFileAtomic(path, append(js, '\n')); err != nil {
		return fmt.Errorf("pipeline: writing %s: %w", path, err)
	}
	return nil
}

// ReadResults reads a results.json written by Run.
func ReadResults(path string) (*Results, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("pipeline: %w", err)
	}
	var r Results
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("pipeline: reading %s: %w", path, err)
	}
	if r.Schema != ResultsSchema {
		return nil, fmt.Errorf("pipeline: %s has schema %q, want %s (rerun the main job to rewrite it)", path, r.Schema, ResultsSchema)
	}
	return &r, nil
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
		for name, mod := range map[string]*inn.Model{RecipeINN: ms.INN, RecipeCINN: ms.CINN} {
			if mod.NumParams() != n || mod.NumOutputs() != m {
				return nil, fmt.Errorf("pipeline: -reuse: saved %s model has %d parameters and %d outputs, the data %d and %d",
					name, mod.NumParams(), mod.NumOutputs(), n, m)
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

// forwardScores rates the INN's forward pass and the MLP on the validation runs and on all runs.
func forwardScores(in Inputs, ms *Models, dir string) ([]ForwardScores, error) {
	allX := append(append([][]float64(nil), in.Train.X...), in.Val.X...)
	allY := append(append([][]float64(nil), in.Train.Y...), in.Val.Y...)
	nTrain := in.Train.Len()
	var out []ForwardScores
	preds := map[string][][]float64{}
	for _, e := range []struct {
		name string
		f    func([][]float64) ([][]float64, error)
	}{{RecipeINN, ms.INN.Forward}, {"mlp", ms.MLP.Predict}} {
		pred, err := e.f(allX)
		if err != nil {
			return nil, fmt.Errorf("pipeline: %s forward: %w", e.name, err)
		}
		preds[e.name] = pred
		fs := ForwardScores{Emulator: e.name}
		if fs.ValR2, err = metrics.R2Columns(nil, allY[nTrain:], pred[nTrain:]); err != nil {
			return nil, err
		}
		fs.ValRMSE = rmseColumns(allY[nTrain:], pred[nTrain:])
		if fs.AllR2, err = metrics.R2Columns(nil, allY, pred); err != nil {
			return nil, err
		}
		fs.AllRMSE = rmseColumns(allY, pred)
		out = append(out, fs)
	}
	// forward.csv: run, split, then model, INN and MLP outputs.
	names := in.Train.OutputNames
	header := []string{"run", "validation"}
	for _, p := range []string{"model", "inn", "mlp"} {
		for _, n := range names {
			header = append(header, p+"_"+n)
		}
	}
	rows := make([][]float64, len(allX))
	for i := range allX {
		r := []float64{float64(i), 0}
		if i >= nTrain {
			r[1] = 1
		}
		r = append(append(append(r, allY[i]...), preds[RecipeINN][i]...), preds["mlp"][i]...)
		rows[i] = r
	}
	if err := writeSamplesCSV(filepath.Join(dir, "forward.csv"), header, rows); err != nil {
		return nil, err
	}
	return out, nil
}

func rmseColumns(obs, pred [][]float64) []float64 {
	out := make([]float64, len(obs[0]))
	for j := range out {
		var s float64
		for i := range obs {
			d := obs[i][j] - pred[i][j]
			s += d * d
		}
		out[j] = math.Sqrt(s / float64(len(obs)))
	}
	return out
}
