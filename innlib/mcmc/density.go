package mcmc

import (
	"errors"
	"fmt"
	"math"
)

// LogDensity evaluates an unnormalised log-density at a batch of points, so
// that a batched surrogate such as a neural network is called once per
// half-ensemble move rather than once per walker.
//
// x holds n = len(dst) points row-major, len(x) == n·dim; the function writes
// log p(x_i) into dst[i]. −Inf means zero density (the proposal is rejected);
// NaN and +Inf make Sample fail. n is between 1 and Walkers/2 and varies
// between calls when a box rejects some proposals. The sampler reuses x and
// dst: the function must not modify x or retain either slice.
type LogDensity func(dst, x []float64)

// Model is a batched forward model, for example a surrogate of the land model:
// x holds n points row-major (dim columns) and the function writes the model
// outputs for point i into dst[i·m : (i+1)·m], where m is the number of
// outputs. n = len(dst)/m.
type Model func(dst, x []float64)

// GaussianLogLikelihood returns the log-likelihood of the observations obs
// under independent Gaussian errors around the outputs of f,
//
//	log L(x) = −½ Σ_k ((obs_k − f_k(x)) / σ_k)²,
//
// as a LogDensity. The constant −Σ_k log(σ_k √(2π)) is dropped: it does not
// change the posterior. sigma holds either one value for all outputs or one
// per output; all must be finite and > 0. With a box prior in Config this is
// the log-posterior up to a constant.
//
// The returned function keeps an output buffer between calls, so it must not
// be called concurrently; obs and sigma are copied.
func GaussianLogLikelihood(f Model, obs, sigma []float64) (LogDensity, error) {
	g, err := newGaussian(f, [][]float64{obs}, sigma, "GaussianLogLikelihood")
	if err != nil {
		return nil, err
	}
	return func(dst, x []float64) { g.eval(dst, x, nil) }, nil
}

// GaussianLogLikelihoods is GaussianLogLikelihood for several observation
// vectors of the same model, as a MultiLogDensity for SampleEnsembles: a row
// of sampler s is scored against obs[s], and one call of f computes the
// outputs of every row. All obs[s] have the same length, and there is one
// per config given to SampleEnsembles (a row of a sampler without one
// panics, naming the mismatch).
func GaussianLogLikelihoods(f Model, obs [][]float64, sigma []float64) (MultiLogDensity, error) {
	if len(obs) == 0 {
		return nil, errors.New("mcmc: GaussianLogLikelihoods: no observation vectors")
	}
	g, err := newGaussian(f, obs, sigma, "GaussianLogLikelihoods")
	if err != nil {
		return nil, err
	}
	return g.eval, nil
}

// gaussian is the likelihood of GaussianLogLikelihood(s).
type gaussian struct {
	f        Model
	y        [][]float64 // one observation vector per sampler
	invSigma []float64   // multiplying by 1/σ is cheaper than dividing
	out      []float64   // the model's outputs, kept between calls
}

func newGaussian(f Model, obs [][]float64, sigma []float64, name string) (*gaussian, error) {
	if f == nil {
		return nil, fmt.Errorf("mcmc: %s: nil model", name)
	}
	m := len(obs[0])
	if m == 0 {
		return nil, fmt.Errorf("mcmc: %s: no observations", name)
	}
	g := &gaussian{f: f, y: make([][]float64, len(obs)), invSigma: make([]float64, m)}
	for s, o := range obs {
		where := ""
		if len(obs) > 1 {
			where = fmt.Sprintf(" of sampler %d", s)
		}
		if len(o) != m {
			return nil, fmt.Errorf("mcmc: %s: %d observations%s, want %d like sampler 0", name, len(o), where, m)
		}
		for k, v := range o {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("mcmc: %s: obs[%d]%s is %v", name, k, where, v)
			}
		}
		g.y[s] = append([]float64(nil), o...)
	}
	if len(sigma) != 1 && len(sigma) != m {
		return nil, fmt.Errorf("mcmc: %s: len(sigma) = %d, want 1 or len(obs) = %d", name, len(sigma), m)
	}
	for k := range g.invSigma {
		s := sigma[0]
		if len(sigma) == m {
			s = sigma[k]
		}
		if !(s > 0) || math.IsInf(s, 1) {
			return nil, fmt.Errorf("mcmc: %s: sigma[%d] = %v, want finite and > 0", name, min(k, len(sigma)-1), s)
		}
		g.invSigma[k] = 1 / s
	}
	return g, nil
}

// eval writes the log-likelihood of each row of x into dst, row i scored
// against the observations of sampler which[i] (the only one when which is
// nil).
func (g *gaussian) eval(dst, x []float64, which []int) {
	n, m := len(dst), len(g.invSigma)
	if cap(g.out) < n*m {
		g.out = make([]float64, n*m)
	}
	out := g.out[:n*m]
	g.f(out, x)
	y := g.y[0]
	for i := range n {
		if which != nil {
			if s := which[i]; s < 0 || s >= len(g.y) {
				panic(fmt.Sprintf("mcmc: GaussianLogLikelihoods: a point of sampler %d, but observations for %d samplers", s, len(g.y)))
			}
			y = g.y[which[i]]
		}
		row := out[i*m : (i+1)*m]
		var ss float64
		for k, fk := range row {
			r := (y[k] - fk) * g.invSigma[k]
			ss += r * r
		}
		dst[i] = -0.5 * ss
	}
}
