package mcmc

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// ensemble is one run of the stretch-move sampler as a state machine, so
// that Sample can drive one and SampleEnsembles several in lockstep: propose
// fills prop with the in-box proposals of the next half-step, the caller
// evaluates them into propLp, and accept applies the Metropolis rule and
// moves on. The random stream is drawn in the same order either way.
type ensemble struct {
	cfg           Config
	dim, nw, half int
	rng           *rand.Rand
	lo, hi        []float64 // the box; ±Inf where there is none
	pos, lp       []float64 // walkers, row-major, and their log-densities
	res           *Result
	t, h          int // the step and the half of it that propose moves next
	n             int // proposals waiting for accept
	aMinus1, invA float64
	dimMinus1     float64
	perm, owner   []int     // the step's random halving; the walker of each proposal
	prop, propLp  []float64 // the in-box proposals (row-major) and their log-densities
	logJac        []float64 // log z^(dim−1) of each proposal
}

// newEnsemble validates cfg and places the walkers; their log-densities
// are the caller's to fill (startPos, startLp) before checkStart.
func newEnsemble(dim int, cfg Config) (*ensemble, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(dim); err != nil {
		return nil, err
	}
	e := &ensemble{cfg: cfg, dim: dim, nw: cfg.Walkers, half: cfg.Walkers / 2,
		rng: rand.New(rand.NewPCG(cfg.Seed, pcgStream))}
	// An absent box is the infinite box, so the inner loop needs no branch.
	e.lo, e.hi = make([]float64, dim), make([]float64, dim)
	for i := range dim {
		if cfg.Lo != nil {
			e.lo[i], e.hi[i] = cfg.Lo[i], cfg.Hi[i]
		} else {
			e.lo[i], e.hi[i] = math.Inf(-1), math.Inf(1)
		}
	}
	e.pos = make([]float64, e.nw*dim)
	if cfg.Init != nil {
		for w, x := range cfg.Init {
			copy(e.pos[w*dim:], x)
		}
	} else {
		for k := range e.pos {
			i := k % dim
			e.pos[k] = e.lo[i] + (e.hi[i]-e.lo[i])*e.rng.Float64()
		}
	}
	if err := checkIndependent(e.pos, e.nw, dim); err != nil {
		return nil, err
	}
	e.lp = make([]float64, e.nw)

	nPost := cfg.Steps - cfg.BurnIn
	nKeep := (nPost + cfg.Thin - 1) / cfg.Thin
	e.res = &Result{
		Dim:             dim,
		Walkers:         e.nw,
		Steps:           cfg.Steps,
		BurnIn:          cfg.BurnIn,
		Thin:            cfg.Thin,
		Samples:         rows(make([]float64, nKeep*e.nw*dim), dim),
		LogDensity:      make([]float64, nKeep*e.nw),
		Chain:           rows(make([]float64, e.nw*nPost*dim), nPost*dim),
		Accepted:        make([]int, e.nw),
		FinalLogDensity: e.lp,
		Evaluations:     e.nw,
	}
	// Buffers reused by every half-step.
	e.perm, e.owner = make([]int, e.nw), make([]int, e.half)
	e.prop, e.propLp, e.logJac = make([]float64, e.half*dim), make([]float64, e.half), make([]float64, e.half)
	for w := range e.perm {
		e.perm[w] = w
	}
	a := cfg.StretchA
	e.aMinus1, e.invA, e.dimMinus1 = a-1, 1/a, float64(dim-1)
	return e, nil
}

// startPos and startLp are half h (0 or 1) of the initial walkers and the
// place for their log-densities.
func (e *ensemble) startPos(h int) []float64 {
	return e.pos[h*e.half*e.dim : (h+1)*e.half*e.dim]
}
func (e *ensemble) startLp(h int) []float64 { return e.lp[h*e.half : (h+1)*e.half] }

// checkStart rejects initial walkers without a positive, finite density.
func (e *ensemble) checkStart() error {
	for w, l := range e.lp {
		if math.IsNaN(l) || math.IsInf(l, 0) {
			return fmt.Errorf("mcmc: initial log-density of walker %d is %v at x = %v; start every walker where the density is positive and finite", w, l, e.pos[w*e.dim:(w+1)*e.dim])
		}
	}
	return nil
}

// done reports whether every step has run.
func (e *ensemble) done() bool { return e.t >= e.cfg.Steps }

// propose makes the moves of the next half-step (drawing a fresh random
// halving first at the start of a step, emcee's randomize_split) and
// returns how many of them are inside the box: those are prop[:n·dim],
// waiting for their log-densities in propLp[:n]. A proposal outside the box
// has zero prior density: it is rejected without being evaluated.
func (e *ensemble) propose() int {
	dim, half := e.dim, e.half
	if e.h == 0 {
		for i := e.nw - 1; i > 0; i-- {
			j := e.rng.IntN(i + 1)
			e.perm[i], e.perm[j] = e.perm[j], e.perm[i]
		}
	}
	s := e.perm[e.h*half : (e.h+1)*half]
	c := e.perm[(1-e.h)*half : (2-e.h)*half]
	n := 0
	for _, w := range s {
		// z = ((a−1)u + 1)²/a has density ∝ 1/√z on [1/a, a].
		g := e.aMinus1*e.rng.Float64() + 1
		z := g * g * e.invA
		j := c[e.rng.IntN(half)]
		xw, xj := e.pos[w*dim:(w+1)*dim], e.pos[j*dim:(j+1)*dim]
		q := e.prop[n*dim : (n+1)*dim]
		in := true
		for i := range q {
			v := xj[i] + z*(xw[i]-xj[i])
			q[i] = v
			in = in && v >= e.lo[i] && v <= e.hi[i]
		}
		if !in {
			continue
		}
		e.owner[n] = w
		e.logJac[n] = e.dimMinus1 * math.Log(z)
		n++
	}
	e.n = n
	return n
}

// accept applies the Metropolis rule to the proposals with their
// log-densities in propLp, then moves to the next half-step, recording the
// walkers after the second half of a post-burn-in step.
func (e *ensemble) accept() error {
	dim := e.dim
	e.res.Evaluations += e.n
	for k := range e.n {
		w, l := e.owner[k], e.propLp[k]
		if math.IsNaN(l) || math.IsInf(l, 1) {
			return fmt.Errorf("mcmc: step %d: log-density of the proposal of walker %d is %v at x = %v", e.t, w, l, e.prop[k*dim:(k+1)*dim])
		}
		diff := e.logJac[k] + l - e.lp[w]
		// Always draw u so the random stream does not depend on diff;
		// log(u) < 0 <= diff needs no logarithm.
		u := e.rng.Float64()
		if diff >= 0 || math.Log(u) < diff {
			copy(e.pos[w*dim:(w+1)*dim], e.prop[k*dim:(k+1)*dim])
			e.lp[w] = l
			e.res.Accepted[w]++
		}
	}
	e.n = 0
	if e.h == 0 {
		e.h = 1
		return nil
	}
	e.h = 0
	if p := e.t - e.cfg.BurnIn; p >= 0 {
		res, nw := e.res, e.nw
		for w := range nw {
			copy(res.Chain[w][p*dim:(p+1)*dim], e.pos[w*dim:(w+1)*dim])
		}
		if p%e.cfg.Thin == 0 {
			s := p / e.cfg.Thin
			for w := range nw {
				copy(res.Samples[s*nw+w], e.pos[w*dim:(w+1)*dim])
				res.LogDensity[s*nw+w] = e.lp[w]
			}
		}
	}
	e.t++
	return nil
}

// result finishes the run's Result.
func (e *ensemble) result() *Result {
	res := e.res
	res.Final = rows(e.pos, e.dim)
	res.AcceptanceFraction, res.MeanAcceptance = acceptanceFractions(res.Accepted, e.cfg.Steps)
	return res
}
