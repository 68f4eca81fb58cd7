package notebook

import (
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/ozarkinn/inn/innlib/emulator"
	"github.com/ozarkinn/inn/innlib/inn"
	"github.com/ozarkinn/inn/innlib/mcmc"
	"github.com/ozarkinn/inn/innlib/pipeline"
	"github.com/ozarkinn/inn/innlib/plots"
	"github.com/ozarkinn/inn/innlib/report"
)

// Amortized holds an experiment's trained networks, read from its output
// folder (read-only), for interactive use: Update turns any observation into
// posterior marginals and a posterior-predictive figure in milliseconds,
// because the networks were trained once for every observation.
type Amortized struct {
	Settings pipeline.Settings
	CINN     *inn.Model    // the amortized conditional flow (models/cinn.ckpt)
	INN      *inn.Model    // the bidirectional INN (models/inn.ckpt), nil if absent
	MLP      *emulator.MLP // the independent emulator (models/mlp.ckpt)

	mu      sync.Mutex // predict reuses buffers
	predict func(dst, x []float64)
}

// OpenAmortized reads dir/results.json and the saved models in dir/models.
// It writes nothing.
func OpenAmortized(dir string) (*Amortized, error) {
	out, err := report.Open(dir)
	if err != nil {
		return nil, err
	}
	a := &Amortized{Settings: out.Results.Settings}
	if a.CINN, err = inn.Load(filepath.Join(dir, "models", "cinn.ckpt")); err != nil {
		return nil, err
	}
	if m, err := inn.Load(filepath.Join(dir, "models", "inn.ckpt")); err == nil {
		a.INN = m
	}
	if a.MLP, err = emulator.Load(filepath.Join(dir, "models", "mlp.ckpt")); err != nil {
		return nil, err
	}
	if a.predict, err = a.MLP.BatchFunc(); err != nil {
		return nil, err
	}
	if n, m := len(a.Settings.ParamNames), len(a.Settings.OutputNames); a.CINN.NumParams() != n || a.CINN.NumOutputs() != m {
		return nil, fmt.Errorf("notebook.OpenAmortized: %s: results.json names %d parameters and %d outputs, models/cinn.ckpt has %d and %d",
			dir, n, m, a.CINN.NumParams(), a.CINN.NumOutputs())
	}
	return a, nil
}

// Predict returns the emulator's outputs for each parameter vector.
func (a *Amortized) Predict(x [][]float64) [][]float64 {
	m := len(a.Settings.OutputNames)
	flat := make([]float64, 0, len(x)*len(a.Settings.ParamNames))
	for _, r := range x {
		flat = append(flat, r...)
	}
	dst := make([]float64, len(x)*m)
	a.mu.Lock()
	a.predict(dst, flat)
	a.mu.Unlock()
	out := make([][]float64, len(x))
	for i := range out {
		out[i] = dst[i*m : (i+1)*m : (i+1)*m]
	}
	return out
}

// Update is one redraw: the figure and what each part took.
type Update struct {
	Figure                *plots.Figure
	Samples               map[string][][]float64 // posterior draws per network ("cINN", "INN")
	Posterior, Predictive time.Duration          // sampling the networks; emulating the draws
	Draw                  time.Duration          // building the figure
}

// Total is the time of the whole update, figure included.
func (u *Update) Total() time.Duration { return u.Posterior + u.Predictive + u.Draw }

// Update draws n posterior samples from each network for the observation
// obs, pushes them through the emulator and builds the figure: one
// histogram per parameter over the prior box and, in the last panel, the
// posterior-predictive median and 90% band per output with the observation
// and its ±2 noise sd bars. ref, when not nil, is drawn as a third
// posterior (e.g. MCMC's, named refName). noise is the sd the error bars
// show; the networks' own noise model is fixed by their training.
func (a *Amortized) Update(obs []float64, noise float64, n int, seed uint64, refName string, ref [][]float64) (*Update, error) {
	s := a.Settings
	if len(obs) != len(s.OutputNames) {
		return nil, fmt.Errorf("notebook.Update: %d observed values for %d outputs", len(obs), len(s.OutputNames))
	}
	if !(noise > 0) || math.IsInf(noise, 0) {
		return nil, fmt.Errorf("notebook.Update: noise sd %v, want > 0", noise)
	}
	u := &Update{Samples: map[string][][]float64{}}
	names := []string{"cINN"}
	t0 := time.Now()
	// The two networks sample concurrently (one core each on two cores).
	var inn2 [][]float64
	var innErr error
	var wg sync.WaitGroup
	if a.INN != nil {
		names = append(names, "INN")
		wg.Add(1)
		go func() {
			defer wg.Done()
			inn2, innErr = a.INN.Posterior(obs, n, seed+1)
		}()
	}
	cinn, err := a.CINN.Posterior(obs, n, seed)
	wg.Wait()
	if err != nil {
		return nil, err
	}
	if innErr != nil {
		return nil, innErr
	}
	u.Samples["cINN"] = cinn
	if a.INN != nil {
		u.Samples["INN"] = inn2
	}
	if ref != nil {
		names = append(names, refName)
		u.Samples[refName] = ref
	}
	t1 := time.Now()
	u.Posterior = t1.Sub(t0)
	pred := map[string][][]float64{}
	for _, k := range names {
		pred[k] = a.Predict(u.Samples[k])
	}
	t2 := time.Now()
	u.Predictive = t2.Sub(t1)
	if u.Figure, err = a.figure(names, u.Samples, pred, obs, noise); err != nil {
		return nil, err
	}
	u.Draw = time.Since(t2)
	return u, nil
}

// Bins is the number of histogram bins per parameter in Update's figure.
const Bins = 30

func (a *Amortized) figure(names []string, samples, pred map[string][][]float64, obs []float64, noise float64) (*plots.Figure, error) {
	s := a.Settings
	var panels []plots.Panel
	for j, name := range s.ParamNames {
		p := plots.Panel{Title: name, XRange: []float64{s.Lo[j], s.Hi[j]}}
		for k, who := range names {
			col := make([]float64, len(samples[who]))
			for i, r := range samples[who] {
				col[i] = r[j]
			}
			x, y := plots.StepHistogram(col, s.Lo[j], s.Hi[j], Bins)
			p.Series = append(p.Series, plots.Series{Name: who, X: x, Y: y, Color: plots.SeriesColor(k)})
		}
		panels = append(panels, p)
	}
	unit := ""
	if len(s.OutputUnits) > 0 {
		unit = s.OutputUnits[0]
	}
	pp := plots.Panel{Title: "posterior predictive (emulator)", YLabel: plots.AxisLabel("output", unit),
		XLabel: fmt.Sprintf("output: 1 = %s … %d = %s", s.OutputNames[0], len(obs), s.OutputNames[len(obs)-1])}
	xs := make([]float64, len(obs))
	for i := range xs {
		xs[i] = float64(i + 1)
	}
	for k, who := range names {
		lo, med, hi := make([]float64, len(obs)), make([]float64, len(obs)), make([]float64, len(obs))
		for i := range obs {
			col := make([]float64, len(pred[who]))
			for r, row := range pred[who] {
				col[r] = row[i]
			}
			q := quantiles(col, 0.05, 0.5, 0.95)
			lo[i], med[i], hi[i] = q[0], q[1], q[2]
		}
		c := plots.SeriesColor(k)
		pp.Series = append(pp.Series, plots.Series{Name: who, X: xs, Y: med, Color: c},
			plots.Series{Name: who + " 90%", X: xs, Y: lo, Color: c, Dash: "dot", Size: 1},
			plots.Series{Name: who + " 90%", X: xs, Y: hi, Color: c, Dash: "dot", Size: 1})
	}
	var bx, by []float64
	for i, v := range obs {
		bx = append(bx, xs[i], xs[i], math.NaN())
		by = append(by, v-2*noise, v+2*noise, math.NaN())
	}
	pp.Series = append(pp.Series, plots.Series{Name: "observation ± 2 sd", X: bx, Y: by, Color: plots.TruthColor, Size: 2},
		plots.Series{Name: "observation ± 2 sd", X: xs, Y: obs, Color: plots.TruthColor, Points: true, Size: 8})
	panels = append(panels, pp)
	return plots.Panels("", 5, 960, 540, panels...)
}

// quantiles of v (sorted copy, linear interpolation).
func quantiles(v []float64, ps ...float64) []float64 {
	s := append([]float64(nil), v...)
	sortFloats(s)
	out := make([]float64, len(ps))
	for i, p := range ps {
		h := p * float64(len(s)-1)
		lo := int(math.Floor(h))
		hi := min(lo+1, len(s)-1)
		out[i] = s[lo] + (h-float64(lo))*(s[hi]-s[lo])
	}
	return out
}

// MCMC samples the posterior of obs with the ensemble sampler on the
// emulator (Gaussian likelihood with sd noise per output, the prior box) and
// returns the draws and the wall time.
func (a *Amortized) MCMC(obs []float64, noise float64, cfg mcmc.Config) ([][]float64, time.Duration, error) {
	f, err := a.MLP.BatchFunc() // its own buffers: may run beside Update
	if err != nil {
		return nil, 0, err
	}
	logL, err := mcmc.GaussianLogLikelihood(mcmc.Model(f), obs, []float64{noise})
	if err != nil {
		return nil, 0, err
	}
	cfg.Lo, cfg.Hi = a.Settings.Lo, a.Settings.Hi
	t0 := time.Now()
	res, err := mcmc.Sample(logL, len(a.Settings.ParamNames), cfg)
	if err != nil {
		return nil, 0, err
	}
	return res.Samples, time.Since(t0), nil
}

func sortFloats(s []float64) { slices.Sort(s) }
