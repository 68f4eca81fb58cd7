package mcmc

import (
	"errors"
	"fmt"
)

// MultiLogDensity evaluates the log-densities of several samplers at once:
// row i of x (row-major, dim columns, len(dst) rows) is a point of sampler
// which[i], and the function writes that sampler's log p(x_i) into dst[i].
// The rules of LogDensity apply to each row; the function must not modify x
// or which or retain any of the slices.
type MultiLogDensity func(dst, x []float64, which []int)

// SampleEnsembles runs one sampler per config, as Sample would run each of
// them on its own (sampler s on the density logp(·, ·, s)), but in lockstep:
// every half-step, the in-box proposals of all samplers still running go to
// logp in one call. A batched surrogate costs far more per call than per
// point at the few points one half-ensemble proposes (its weights are read
// once per call), so a call on the proposals of several samplers costs less
// than one call per sampler.
//
// Each sampler keeps its own random stream, box and number of steps
// (samplers that finish drop out of the calls), so when logp computes each
// row independently of the others in the call, result s is Sample's result
// for cfgs[s] bit for bit. An error of one sampler stops them all and is a
// *SamplerError naming it.
func SampleEnsembles(logp MultiLogDensity, dim int, cfgs []Config) ([]*Result, error) {
	if logp == nil {
		return nil, errors.New("mcmc: nil log-density")
	}
	if len(cfgs) == 0 {
		return nil, errors.New("mcmc: SampleEnsembles: no configs")
	}
	es := make([]*ensemble, len(cfgs))
	most := 0 // points in a call: at most half of every ensemble
	for s, c := range cfgs {
		e, err := newEnsemble(dim, c)
		if err != nil {
			return nil, &SamplerError{Sampler: s, Err: err}
		}
		es[s], most = e, most+e.half
	}
	x, lp, which := make([]float64, most*dim), make([]float64, most), make([]int, most)
	// The starting walkers, half an ensemble of each sampler per call.
	for h := range 2 {
		n := 0
		for s, e := range es {
			n += copy(x[n*dim:], e.startPos(h)) / dim
			for k := n - e.half; k < n; k++ {
				which[k] = s
			}
		}
		logp(lp[:n], x[:n*dim], which[:n])
		n = 0
		for _, e := range es {
			n += copy(e.startLp(h), lp[n:])
		}
	}
	for s, e := range es {
		if err := e.checkStart(); err != nil {
			return nil, &SamplerError{Sampler: s, Err: err}
		}
	}
	for running := true; running; {
		running = false
		n := 0
		for s, e := range es {
			if e.done() {
				continue
			}
			running = true
			k := e.propose()
			copy(x[n*dim:], e.prop[:k*dim])
			for i := n; i < n+k; i++ {
				which[i] = s
			}
			n += k
		}
		if n > 0 {
			logp(lp[:n], x[:n*dim], which[:n])
		}
		n = 0
		for s, e := range es {
			if e.done() {
				continue
			}
			n += copy(e.propLp[:e.n], lp[n:])
			if err := e.accept(); err != nil {
				return nil, &SamplerError{Sampler: s, Err: err}
			}
		}
	}
	out := make([]*Result, len(es))
	for s, e := range es {
		out[s] = e.result()
	}
	return out, nil
}

// SamplerError is an error of sampler Sampler (an index into the configs)
// of SampleEnsembles.
type SamplerError struct {
	Sampler int
	Err     error
}

func (e *SamplerError) Error() string { return fmt.Sprintf("sampler %d: %v", e.Sampler, e.Err) }
func (e *SamplerError) Unwrap() error { return e.Err }
