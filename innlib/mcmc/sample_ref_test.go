package mcmc

// The Sample of commit e8c172a, kept verbatim (renamed refSample) as the
// reference that the state machine behind Sample and SampleEnsembles must
// reproduce bit for bit (TestSampleMatchesReference).

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

func refSample(logp LogDensity, dim int, cfg Config) (*Result, error) {
	if logp == nil {
		return nil, errors.New("mcmc: nil log-density")
	}
	cfg = cfg.withDefaults()
	if err := cfg.validate(dim); err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, pcgStream))
	nw, half := cfg.Walkers, cfg.Walkers/2

	// An absent box is the infinite box, so the inner loop needs no branch.
	lo, hi := make([]float64, dim), make([]float64, dim)
	for i := range dim {
		if cfg.Lo != nil {
			lo[i], hi[i] = cfg.Lo[i], cfg.Hi[i]
		} else {
			lo[i], hi[i] = math.Inf(-1), math.Inf(1)
		}
	}

	pos := make([]float64, nw*dim)
	if cfg.Init != nil {
		for w, x := range cfg.Init {
			copy(pos[w*dim:], x)
		}
	} else {
		for k := range pos {
			i := k % dim
			pos[k] = lo[i] + (hi[i]-lo[i])*rng.Float64()
		}
	}
	if err := checkIndependent(pos, nw, dim); err != nil {
		return nil, err
	}

	lp := make([]float64, nw)
	// Two calls, so logp never sees more than Walkers/2 points.
	logp(lp[:half], pos[:half*dim])
	logp(lp[half:], pos[half*dim:])
	for w, l := range lp {
		if math.IsNaN(l) || math.IsInf(l, 0) {
			return nil, fmt.Errorf("mcmc: initial log-density of walker %d is %v at x = %v; start every walker where the density is positive and finite", w, l, pos[w*dim:(w+1)*dim])
		}
	}

	nPost := cfg.Steps - cfg.BurnIn
	nKeep := (nPost + cfg.Thin - 1) / cfg.Thin
	res := &Result{
		Dim:             dim,
		Walkers:         nw,
		Steps:           cfg.Steps,
		BurnIn:          cfg.BurnIn,
		Thin:            cfg.Thin,
		Samples:         rows(make([]float64, nKeep*nw*dim), dim),
		LogDensity:      make([]float64, nKeep*nw),
		Chain:           rows(make([]float64, nw*nPost*dim), nPost*dim),
		Accepted:        make([]int, nw),
		FinalLogDensity: lp,
		Evaluations:     nw,
	}

	// Buffers reused by every half-step: the in-box proposals (row-major),
	// their log-densities, the walker that made each, and log z^(dim−1).
	var (
		perm   = make([]int, nw)
		prop   = make([]float64, half*dim)
		propLp = make([]float64, half)
		owner  = make([]int, half)
		logJac = make([]float64, half)
	)
	for w := range perm {
		perm[w] = w
	}
	a := cfg.StretchA
	aMinus1, invA, dimMinus1 := a-1, 1/a, float64(dim-1)

	for t := range cfg.Steps {
		// emcee's randomize_split: a fresh random halving every step.
		for i := nw - 1; i > 0; i-- {
			j := rng.IntN(i + 1)
			perm[i], perm[j] = perm[j], perm[i]
		}
		for h := range 2 {
			s := perm[h*half : (h+1)*half]
			c := perm[(1-h)*half : (2-h)*half]
			n := 0
			for _, w := range s {
				// z = ((a−1)u + 1)²/a has density ∝ 1/√z on [1/a, a].
				g := aMinus1*rng.Float64() + 1
				z := g * g * invA
				j := c[rng.IntN(half)]
				xw, xj := pos[w*dim:(w+1)*dim], pos[j*dim:(j+1)*dim]
				q := prop[n*dim : (n+1)*dim]
				in := true
				for i := range q {
					v := xj[i] + z*(xw[i]-xj[i])
					q[i] = v
					in = in && v >= lo[i] && v <= hi[i]
				}
				if !in {
					continue // Zero prior density: rejected, never evaluated.
				}
				owner[n] = w
				logJac[n] = dimMinus1 * math.Log(z)
				n++
			}
			if n == 0 {
				continue
			}
			logp(propLp[:n], prop[:n*dim])
			res.Evaluations += n
			for k := range n {
				w, l := owner[k], propLp[k]
				if math.IsNaN(l) || math.IsInf(l, 1) {
					return nil, fmt.Errorf("mcmc: step %d: log-density of the proposal of walker %d is %v at x = %v", t, w, l, prop[k*dim:(k+1)*dim])
				}
				diff := logJac[k] + l - lp[w]
				// Always draw u so the random stream does not depend on diff;
				// log(u) < 0 <= diff needs no logarithm.
				u := rng.Float64()
				if diff >= 0 || math.Log(u) < diff {
					copy(pos[w*dim:(w+1)*dim], prop[k*dim:(k+1)*dim])
					lp[w] = l
					res.Accepted[w]++
				}
			}
		}

		if t < cfg.BurnIn {
			continue
		}
		p := t - cfg.BurnIn
		for w := range nw {
			copy(res.Chain[w][p*dim:(p+1)*dim], pos[w*dim:(w+1)*dim])
		}
		if p%cfg.Thin == 0 {
			s := p / cfg.Thin
			for w := range nw {
				copy(res.Samples[s*nw+w], pos[w*dim:(w+1)*dim])
				res.LogDensity[s*nw+w] = lp[w]
			}
		}
	}

	res.Final = rows(pos, dim)
	res.AcceptanceFraction, res.MeanAcceptance = acceptanceFractions(res.Accepted, cfg.Steps)
	return res, nil
}
