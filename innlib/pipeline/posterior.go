package pipeline

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"sort"

	"gonum.org/v1/gonum/stat"

	"github.com/ozarkinn/inn/innlib/dataset"
	"github.com/ozarkinn/inn/innlib/metrics"
)

// A posterior summary is the same for every method (the INN, the conditional
// flow, MCMC): marginals, MAP, scores against a synthetic truth and the
// posterior predictive through the independent emulator. The invert and MCMC
// stages both use it.

// bestStarts is how many of a posterior's draws (those the emulator fits
// best) seed the best in-box fit.
const bestStarts = 16

// summariser summarises and writes the posterior draws of one experiment.
type summariser struct {
	ens *dataset.Ensemble // Names and prior box.
	// predict is the independent emulator: draws → outputs, for the
	// posterior predictive.
	predict  func([][]float64) ([][]float64, error)
	mapDraws int    // Draws the KDE MAP is computed from.
	seed     uint64 // Seeds the KDE MAP's subsample.
	outDir   string // Where samples/ and cache/ are.
	prev     string // The previous results, whose cache the KDE MAP may read ("" for none).
}

func (x *experiment) summariser() summariser {
	return summariser{ens: x.in.Train, predict: x.models.MLP.Predict, mapDraws: x.cfg.MAPDraws, seed: x.cfg.Seed, outDir: x.cfg.OutDir, prev: x.folder.dir}
}

// write writes a recipe's draws for a case as CSV and summarises them.
//
// density, when not nil, gives the recipe's own log posterior density of each
// draw; the MAP is then the draw where it is highest. Otherwise the MAP is the
// mode of a KDE of the draws.
func (sm summariser) write(recipe string, s [][]float64, density []float64, c Case) (PosteriorSummary, [][]float64, error) {
	e := sm.ens
	file := filepath.Join("samples", fmt.Sprintf("%s_%s.csv", c.Name, recipe))
	if err := writeSamplesCSV(filepath.Join(sm.outDir, file), e.ParamNames, s); err != nil {
		return PosteriorSummary{}, nil, err
	}
	ps, best, pred, err := sm.summarise(recipe, s, density, c)
	if err != nil {
		return ps, nil, fmt.Errorf("pipeline: case %s, %s: %w", c.Name, recipe, err)
	}
	ps.SamplesFile = file
	ps.PredictiveFile = filepath.Join("samples", fmt.Sprintf("%s_%s_predictive.csv", c.Name, recipe))
	if err := writeSamplesCSV(filepath.Join(sm.outDir, ps.PredictiveFile), e.OutputNames, pred); err != nil {
		return ps, nil, err
	}
	return ps, best, nil
}

// summarise computes a recipe's summary for one case. It also returns the
// draws whose emulated outputs fit the observation best, and the emulated
// outputs of every draw (the posterior predictive).
func (sm summariser) summarise(recipe string, s [][]float64, density []float64, c Case) (ps PosteriorSummary, best, pred [][]float64, err error) {
	e := sm.ens
	ps = PosteriorSummary{Recipe: recipe, Samples: len(s)}
	n := len(e.ParamNames)
	ps.OutOfBox = outOfBox(s, e.Lo, e.Hi)
	var mapX []float64
	if density != nil {
		k := 0
		for i, v := range density {
			if v > density[k] {
				k = i
			}
		}
		mapX = append([]float64(nil), s[k]...)
		ps.MAPMethod = "the draw with the highest posterior density under the method's own density (the sampler's log posterior; the flow's density in its unconstrained coordinates)"
	} else {
		mapX, err = sm.kdeMAPCached(c.Name+"_"+recipe, s)
		switch {
		case errors.Is(err, metrics.ErrDomain):
			// Draws piled on a box edge (an observation far outside the
			// runs) make a constant or collinear column: no full-covariance
			// KDE exists. The median of each parameter stands in, and says so.
			ps.MAPMethod = fmt.Sprintf("%s: no KDE mode, because %v", MAPFallback, err)
			if mapX, err = medians(s); err != nil {
				return ps, nil, nil, err
			}
		case err != nil:
			return ps, nil, nil, err
		default:
			ps.MAPMethod = fmt.Sprintf("mode of a Gaussian KDE (Scott's bandwidth, full covariance) of %d draws, found by mean shift", min(sm.mapDraws, len(s)))
		}
	}
	if e.Lo != nil { // The KDE mode of draws near an edge can fall just outside the box.
		for j := range mapX {
			mapX[j] = math.Min(math.Max(mapX[j], e.Lo[j]), e.Hi[j])
		}
	}
	ps.MAP = mapX
	var contraction []float64
	if e.Lo != nil {
		pv, err := metrics.UniformVariances(nil, e.Lo, e.Hi)
		if err != nil {
			return ps, nil, nil, err
		}
		if contraction, err = metrics.Contraction(nil, s, pv); err != nil {
			return ps, nil, nil, err
		}
	}
	allInside := true
	for j := 0; j < n; j++ {
		col, err := metrics.Column(nil, s, j)
		if err != nil {
			return ps, nil, nil, err
		}
		q, err := metrics.Quantiles(nil, []float64{0.025, 0.5, 0.975}, col)
		if err != nil {
			return ps, nil, nil, err
		}
		mean, sd := stat.MeanStdDev(col, nil)
		p := ParamSummary{Name: e.ParamNames[j], Mean: mean, SD: sd, Q025: q[0], Q50: q[1], Q975: q[2], MAP: mapX[j]}
		if contraction != nil {
			p.Contraction = contraction[j]
		}
		if c.Truth != nil {
			t := c.Truth[j]
			z := (mean - t) / sd
			in := t >= q[0] && t <= q[2]
			allInside = allInside && in
			p.Truth, p.ZScore, p.Inside95 = &t, &z, &in
		}
		ps.Params = append(ps.Params, p)
	}
	if c.Truth != nil {
		raw, err := metrics.NRMSE(c.Truth, mapX)
		if err != nil {
			return ps, nil, nil, err
		}
		ps.MAPNRMSERaw, ps.TruthInside95 = &raw, &allInside
		if e.Lo != nil {
			rng, err := metrics.NRMSERange(c.Truth, mapX, e.Lo, e.Hi)
			if err != nil {
				return ps, nil, nil, err
			}
			mid := make([]float64, n)
			for j := range mid {
				mid[j] = (e.Lo[j] + e.Hi[j]) / 2
			}
			midRaw, err := metrics.NRMSE(c.Truth, mid)
			if err != nil {
				return ps, nil, nil, err
			}
			ps.MAPNRMSERange, ps.MidpointNRMSERaw = &rng, &midRaw
		}
	}
	// Posterior predictive through the independent emulator.
	pred, err = sm.predict(s)
	if err != nil {
		return ps, nil, nil, err
	}
	mapPred, err := sm.predict([][]float64{mapX})
	if err != nil {
		return ps, nil, nil, err
	}
	ps.MAPPrediction = mapPred[0]
	ps.ObsInside95 = true
	meanPred := make([]float64, len(c.Obs))
	for j, name := range e.OutputNames {
		col, _ := metrics.Column(nil, pred, j)
		q, err := metrics.Quantiles(nil, []float64{0.025, 0.5, 0.975}, col)
		if err != nil {
			return ps, nil, nil, err
		}
		mean, _ := stat.MeanStdDev(col, nil)
		meanPred[j] = mean
		in := c.Obs[j] >= q[0] && c.Obs[j] <= q[2]
		ps.ObsInside95 = ps.ObsInside95 && in
		ps.Predictive = append(ps.Predictive, Predictive{Name: name, Mean: mean, Q025: q[0], Q50: q[1], Q975: q[2],
			Obs: c.Obs[j], Inside95: in, MAP: mapPred[0][j]})
	}
	if ps.MAPPredNRMSE, err = metrics.NRMSE(c.Obs, mapPred[0]); err != nil {
		return ps, nil, nil, err
	}
	if ps.MAPPredRMSE, err = metrics.RMSE(c.Obs, mapPred[0]); err != nil {
		return ps, nil, nil, err
	}
	ps.MAPPredR2 = r2(c.Obs, mapPred[0])
	ps.PredMeanRMSE, _ = metrics.RMSE(c.Obs, meanPred)
	if ps.drawRMSE, err = drawRMSEs(pred, c.Obs); err != nil {
		return ps, nil, nil, err
	}
	if ps.DrawFit, err = drawFit(ps.drawRMSE); err != nil {
		return ps, nil, nil, err
	}
	// The draws the emulator fits best seed the best in-box fit.
	order := make([]int, len(pred))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return ps.drawRMSE[order[a]] < ps.drawRMSE[order[b]] })
	for _, i := range order[:min(bestStarts, len(order))] {
		if e.Lo == nil || outOfBox([][]float64{s[i]}, e.Lo, e.Hi) == 0 {
			best = append(best, s[i])
		}
	}
	return ps, best, pred, nil
}

// drawRMSEs returns the RMSE of each draw's emulated outputs against obs.
func drawRMSEs(pred [][]float64, obs []float64) ([]float64, error) {
	out := make([]float64, len(pred))
	for i, p := range pred {
		r, err := metrics.RMSE(obs, p)
		if err != nil {
			return nil, fmt.Errorf("draw %d: %w", i, err)
		}
		out[i] = r
	}
	return out, nil
}

// drawFit summarises the draws' RMSEs; NearBest waits for the best fit.
func drawFit(rmse []float64) (DrawFit, error) {
	q, err := metrics.Quantiles(nil, []float64{0, 0.05, 0.5}, rmse)
	if err != nil {
		return DrawFit{}, err
	}
	return DrawFit{MinRMSE: q[0], Q05RMSE: q[1], MedianRMSE: q[2]}, nil
}

// setNearBest fills the DrawFit fields that compare with the best in-box fit
// from the draws' RMSEs. An exact best fit or no draws leave them unset.
func setNearBest(ps *PosteriorSummary, rmse []float64, best float64) {
	if best < NearBestMinRMSE || len(rmse) == 0 {
		return
	}
	limit := (1 + NearBestTolerance) * best
	n := 0
	for _, r := range rmse {
		if r <= limit {
			n++
		}
	}
	frac := float64(n) / float64(len(rmse))
	near := ps.MAPPredRMSE <= limit
	ps.DrawFit.NearBest, ps.DrawFit.MAPNearBest = &frac, &near
}

// MAPFallback starts the MAP method of a posterior whose draws admit no
// full-covariance KDE (a constant or collinear column).
const MAPFallback = "the median of each parameter's draws"

// medians returns the median of each column of s.
func medians(s [][]float64) ([]float64, error) {
	if len(s) == 0 {
		return nil, fmt.Errorf("no draws")
	}
	out := make([]float64, len(s[0]))
	for j := range out {
		col, err := metrics.Column(nil, s, j)
		if err != nil {
			return nil, err
		}
		q, err := metrics.Quantiles(nil, []float64{0.5}, col)
		if err != nil {
			return nil, err
		}
		out[j] = q[0]
	}
	return out, nil
}

// kdeMAPCached is kdeMAP, stored in OutDir/cache/map_<name>.json keyed on
// the draws, so that a rerun with the same draws (-reuse samples the same
// models with the same seeds) reads the mode back instead of searching again.
func (sm summariser) kdeMAPCached(name string, s [][]float64) ([]float64, error) {
	if sm.outDir == "" {
		return kdeMAP(s, sm.mapDraws, sm.seed)
	}
	key := struct {
		Draws    string
		MAPDraws int
		Seed     uint64
		Version  int // Bumped when the search's arithmetic changes.
	}{digest(s), sm.mapDraws, sm.seed, 1}
	file := filepath.Join("cache", "map_"+name+".json")
	prev := ""
	if sm.prev != "" {
		prev = filepath.Join(sm.prev, file)
	}
	return memo(filepath.Join(sm.outDir, file), prev, key, func() ([]float64, error) { return kdeMAP(s, sm.mapDraws, sm.seed) })
}

// kdeMAP is the mode of a KDE of the draws, on a seeded subsample (the search is O(draws²)).
func kdeMAP(s [][]float64, draws int, seed uint64) ([]float64, error) {
	sub := s
	if len(s) > draws {
		rng := rand.New(rand.NewPCG(seed, 0x6d6170))
		idx := rng.Perm(len(s))[:draws]
		sort.Ints(idx)
		sub = make([][]float64, len(idx))
		for i, k := range idx {
			sub[i] = s[k]
		}
	}
	return metrics.JointMode(nil, sub)
}

// r2 is 1 − SSE/SST of sim against obs across the entries of one vector (the
// paper's R² of the MAP fit to the five annual values); nil where it is
// undefined (every output observed the same, SST = 0), which JSON cannot hold as NaN.
func r2(obs, sim []float64) *float64 {
	v, err := metrics.R2(obs, sim)
	if err != nil || math.IsNaN(v) {
		return nil
	}
	return &v
}

// fmtR2 prints an R² that may be undefined (nil).
func fmtR2(v *float64) string {
	if v == nil {
		return "undefined"
	}
	return fmt.Sprintf("%.3f", *v)
}

func outOfBox(s [][]float64, lo, hi []float64) float64 {
	if lo == nil || len(s) == 0 {
		return 0
	}
	out := 0
	for _, r := range s {
		for j, v := range r {
			if v < lo[j] || v > hi[j] {
				out++
				break
			}
		}
	}
	return float64(out) / float64(len(s))
}
