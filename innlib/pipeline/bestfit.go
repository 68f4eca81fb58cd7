package pipeline

import (
	"fmt"
	"math"
	"path/filepath"
	"sort"
	"sync"

	"gonum.org/v1/gonum/optimize"

	"github.com/ozarkinn/inn/innlib/dataset"
	"github.com/ozarkinn/inn/innlib/emulator"
	"github.com/ozarkinn/inn/innlib/inn"
	"github.com/ozarkinn/inn/innlib/metrics"
)

// bestFit finds, for every case, the least-squares fit to the observation
// inside the prior box (the MLP emulator's search from each method's
// best-fitting draws and MAP), and then says which fraction of each method's
// draws, and whether its MAP, come near it.
func (x *experiment) bestFit() error { return x.runStage("best fit") }

// planBestFit adds a job per case, which starts once every method's
// posterior of the case is summarised.
func (x *experiment) planBestFit(g *graph) error {
	tr := x.in.Train
	var spacing *float64
	if sp := runSpacing(tr.X, tr.Lo, tr.Hi); !math.IsNaN(sp) {
		spacing = &sp
	}
	// The models' identities for the cache keys, computed once by the
	// first best-fit job (the models are trained by then).
	var (
		idsOnce sync.Once
		ids     [3]string
		runs    string // digest of the runs the searches start near
		idsErr  error
	)
	for i, c := range x.in.Cases {
		needs := append([]*job{x.ready.mlp, x.ready.inn}, x.ready.summarised[i]...)
		g.add(caseJob("best fit", c), "best fit", needs, func() error {
			idsOnce.Do(func() {
				ids, idsErr = fitModelIDs(x.models.MLP, x.models.INN, tr.X)
				runs = digest(tr.X)
			})
			if idsErr != nil {
				return idsErr
			}
			starts := x.bestStarts(i)
			// Cached in OutDir/cache, keyed on everything the searches start
			// from: deterministic given these, and -reuse starts from the same.
			key := struct {
				Obs, Lo, Hi  []float64
				Starts, Runs string
				Models       [3]string
				Steps        int
				Version      int // Bumped when the searches' arithmetic changes.
			}{c.Obs, tr.Lo, tr.Hi, digest(starts), runs, ids, x.cfg.FitSteps, 1}
			file := filepath.Join("cache", "bestfit_"+c.Name+".json")
			bf, err := memo(filepath.Join(x.cfg.OutDir, file), filepath.Join(x.folder.dir, file), key, func() (*BestFit, error) {
				return bestFit(x.models.MLP, x.models.INN, tr, spacing, c.Obs, starts, x.cfg.FitSteps)
			})
			x.work[i].bestFit = bf
			return err
		}, spanBestFit)
	}
	return nil
}

// recordBestFit adds each case's best fit to the results and says which
// posteriors come near it.
func (x *experiment) recordBestFit() {
	for i := range x.in.Cases {
		bf := x.work[i].bestFit
		x.res.Cases[i].BestFit = bf
		for k := range x.res.Cases[i].Posteriors {
			p := &x.res.Cases[i].Posteriors[k]
			setNearBest(p, p.drawRMSE, bf.RMSE)
		}
	}
}

// fitModelIDs identifies the emulators of the best fits for their cache
// key: the MLP's weights and its outputs at the runs (which change with its
// arithmetic too), and the INN's outputs there ("" when it cannot emulate).
func fitModelIDs(mlp *emulator.MLP, second *inn.Model, runs [][]float64) ([3]string, error) {
	ids := [3]string{mlp.Fingerprint()}
	var err error
	if ids[1], err = surrogateProbe(mlp, runs, 64); err != nil {
		return ids, err
	}
	if second != nil && second.CanEmulate() {
		y, err := second.Forward(runs)
		if err != nil {
			return ids, err
		}
		ids[2] = digest(y)
	}
	return ids, nil
}

// bestFit refines the best posterior draws with the emulator's in-box search,
// and says how far the fit is from the training runs and what the INN's
// forward pass (when it has one) predicts there. spacing is runSpacing of
// tr's runs (the same for every case, so computed once), nil when undefined.
func bestFit(mlp *emulator.MLP, second *inn.Model, tr *dataset.Ensemble, spacing *float64, obs []float64, starts [][]float64, steps int) (*BestFit, error) {
	if len(starts) == 0 {
		return nil, fmt.Errorf("no in-box starting points")
	}
	f, err := mlp.BestFit(obs, starts, steps)
	if err != nil {
		return nil, err
	}
	nrmse, err := metrics.NRMSE(obs, f.Y)
	if err != nil {
		return nil, err
	}
	bf := &BestFit{X: f.X, Y: f.Y, RMSE: f.RMSE, NRMSE: nrmse, R2: r2(obs, f.Y),
		NearestRunDistance: nearestRunDistance(f.X, tr.X, tr.Lo, tr.Hi), RunSpacing: spacing}
	if second != nil && second.CanEmulate() {
		y, err := second.Forward([][]float64{f.X})
		if err != nil {
			return nil, err
		}
		rmse, err := metrics.RMSE(obs, y[0])
		if err != nil {
			return nil, err
		}
		bf.INNY, bf.INNRMSE = y[0], &rmse
		x, y2, r, err := innBestFit(second, obs, append(starts[:len(starts):len(starts)], f.X), tr.Lo, tr.Hi)
		if err != nil {
			return nil, fmt.Errorf("the INN's best fit: %w", err)
		}
		my, err := mlp.Predict([][]float64{x})
		if err != nil {
			return nil, err
		}
		mr, err := metrics.RMSE(obs, my[0])
		if err != nil {
			return nil, err
		}
		bf.INNFit = &INNFit{X: x, Y: y2, RMSE: r, MLPY: my[0], MLPRMSE: mr, NearestRunDistance: nearestRunDistance(x, tr.X, tr.Lo, tr.Hi)}
	}
	return bf, nil
}

// The best in-box fit can lie where no training run is: there the emulator
// extrapolates, and a second emulator (the INN's forward pass) may disagree.
// These helpers measure how far a point is from the runs, in box-normalised
// units (each parameter scaled to [0, 1] by its prior box), so that the
// distance can be read against the runs' own spacing.

// nearestRunDistance is the Euclidean distance from x to the nearest row of
// runs, in box-normalised units.
func nearestRunDistance(x []float64, runs [][]float64, lo, hi []float64) float64 {
	best := math.Inf(1)
	for _, r := range runs {
		best = math.Min(best, boxDistance(x, r, lo, hi))
	}
	return best
}

// runSpacing is the median over runs of the distance to the nearest other
// run, in box-normalised units: how far apart the runs typically are.
func runSpacing(runs [][]float64, lo, hi []float64) float64 {
	if len(runs) < 2 {
		return math.NaN()
	}
	d := make([]float64, len(runs))
	for i := range runs {
		d[i] = math.Inf(1)
	}
	for i := range runs {
		for k := i + 1; k < len(runs); k++ {
			v := boxDistance(runs[i], runs[k], lo, hi)
			d[i], d[k] = math.Min(d[i], v), math.Min(d[k], v)
		}
	}
	med, err := metrics.Quantile(0.5, d)
	if err != nil { // Only for non-finite parameters.
		return math.NaN()
	}
	return med
}

func boxDistance(a, b, lo, hi []float64) float64 {
	var s float64
	for j := range a {
		u := (a[j] - b[j]) / (hi[j] - lo[j])
		s += u * u
	}
	return math.Sqrt(s)
}

// innBestFit runs Nelder-Mead from the innFitStarts starts the INN fits
// best, each for at most innFitEvaluations forward passes (15 µs each).
const (
	innFitStarts      = 4
	innFitEvaluations = 1500
)

// innBestFit searches the prior box for the least-squares fit to obs under
// the INN's forward pass, by Nelder-Mead in logit-box coordinates from the
// starts the INN fits best. It is the
// INN emulator's own best fit, to set beside the MLP emulator's.
func innBestFit(m *inn.Model, obs []float64, starts [][]float64, lo, hi []float64) (x, y []float64, rmse float64, err error) {
	fitOf := func(rows [][]float64) ([]float64, [][]float64, error) {
		p, err := m.Forward(rows)
		if err != nil {
			return nil, nil, err
		}
		out := make([]float64, len(rows))
		for i := range rows {
			if out[i], err = metrics.RMSE(obs, p[i]); err != nil {
				return nil, nil, err
			}
		}
		return out, p, nil
	}
	f0, _, err := fitOf(starts)
	if err != nil {
		return nil, nil, 0, err
	}
	order := make([]int, len(starts))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return f0[order[a]] < f0[order[b]] })
	const eps = 1e-6 // Keeps the logit finite for starts on an edge.
	toT := func(x []float64) []float64 {
		t := make([]float64, len(x))
		for j := range x {
			u := math.Min(math.Max((x[j]-lo[j])/(hi[j]-lo[j]), eps), 1-eps)
			t[j] = math.Log(u / (1 - u))
		}
		return t
	}
	toX := func(t []float64) []float64 {
		x := make([]float64, len(t))
		for j := range t {
			x[j] = lo[j] + (hi[j]-lo[j])/(1+math.Exp(-t[j]))
		}
		return x
	}
	var fErr error
	p := optimize.Problem{Func: func(t []float64) float64 {
		v, _, err := fitOf([][]float64{toX(t)})
		if err != nil {
			fErr = err
			return math.Inf(1)
		}
		return v[0]
	}}
	x, rmse = starts[order[0]], f0[order[0]]
	for _, k := range order[:min(innFitStarts, len(order))] {
		r, err := optimize.Minimize(p, toT(starts[k]), &optimize.Settings{FuncEvaluations: innFitEvaluations}, &optimize.NelderMead{})
		if fErr != nil {
			return nil, nil, 0, fErr
		}
		if r == nil { // Only on a bad problem or settings; err says which.
			return nil, nil, 0, err
		}
		if r.F < rmse {
			x, rmse = toX(r.X), r.F
		}
	}
	_, pred, err := fitOf([][]float64{x})
	if err != nil {
		return nil, nil, 0, err
	}
	return x, pred[0], rmse, nil
}
