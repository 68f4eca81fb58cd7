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
	if f == nil {
		return nil, errors.New("mcmc: GaussianLogLikelihood: nil model")
	}
	m := len(obs)
	if m == 0 {
		return nil, errors.New("mcmc: GaussianLogLikelihood: no observations")
	}
	for k, v := range obs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("mcmc: GaussianLogLikelihood: obs[%d] is %v", k, v)
		}
	}
	if len(sigma) != 1 && len(sigma) != m {
		return nil, fmt.Errorf("mcmc: GaussianLogLikelihood: len(sigma) = %d, want 1 or len(obs) = %d", len(sigma), m)
	}
	// Multiplying by 1/σ is cheaper than dividing in the hot loop.
	invSigma := make([]float64, m)
	for k := range invSigma {
		s := sigma[0]
		if len(sigma) == m {
			s = sigma[k]
		}
		if !(s > 0) || math.IsInf(s, 1) {
			return nil, fmt.Errorf("mcmc: GaussianLogLikelihood: sigma[%d] = %v, want finite and > 0", min(k, len(sigma)-1), s)
		}
		invSigma[k] = 1 / s
	}
	y := append([]float64(nil), obs...)
	var out []float64
	return func(dst, x []float64) {
		n := len(dst)
		if cap(out) < n*m {
			out = make([]float64, n*m)
		}
		out = out[:n*m]
		f(out, x)
		for i := range n {
			row := out[i*m : (i+1)*m]
			var ss float64
			for k, fk := range row {
				r := (y[k] - fk) * invSigma[k]
				ss += r * r
			}
			dst[i] = -0.5 * ss
		}
	}, nil
}
