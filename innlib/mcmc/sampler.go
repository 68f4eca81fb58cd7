package mcmc

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// pcgStream is the fixed second word of the PCG state; Config.Seed is the first.
const pcgStream = 0x9e3779b97f4a7c15

// Sample runs the affine-invariant ensemble sampler with the stretch move of
// Goodman & Weare (2010) on the dim-dimensional density logp, as emcee's
// default StretchMove does:
//
// Each step splits the walkers at random into two halves S and C. Every
// walker X_k in S proposes Y = X_j + z·(X_k − X_j) with X_j drawn uniformly
// from C and z drawn from g(z) ∝ 1/√z on [1/a, a], and accepts it with
// probability min(1, z^(dim−1) · p(Y)/p(X_k)). The proposals of a half are
// evaluated in one call of logp; then the other half moves using the updated
// first half.
//
// With a box (Config.Lo, Config.Hi) the prior is uniform on the box: a
// proposal outside it is rejected without being passed to logp.
//
// Sample returns an error for an invalid config, for initial walkers that
// are not affinely independent, for a non-finite initial log-density (naming
// the walker), and for a NaN or +Inf log-density during the run.
func Sample(logp LogDensity, dim int, cfg Config) (*Result, error) {
	if logp == nil {
		return nil, errors.New("mcmc: nil log-density")
	}
	e, err := newEnsemble(dim, cfg)
	if err != nil {
		return nil, err
	}
	// Two calls, so logp never sees more than Walkers/2 points.
	for h := range 2 {
		logp(e.startLp(h), e.startPos(h))
	}
	if err := e.checkStart(); err != nil {
		return nil, err
	}
	for !e.done() {
		if n := e.propose(); n > 0 {
			logp(e.propLp[:n], e.prop[:n*dim])
		}
		if err := e.accept(); err != nil {
			return nil, err
		}
	}
	return e.result(), nil
}

// rows cuts back into rows of length width (capacity-limited views).
func rows(back []float64, width int) [][]float64 {
	out := make([][]float64, len(back)/width)
	for i := range out {
		out[i] = back[i*width : (i+1)*width : (i+1)*width]
	}
	return out
}

// checkIndependent applies emcee's walkers_independent test: centre each
// coordinate, scale it to unit maximum and then unit norm, and require a
// condition number <= maxInitCondition.
func checkIndependent(pos []float64, nw, dim int) error {
	c := mat.NewDense(nw, dim, append([]float64(nil), pos...))
	for i := range dim {
		var mean float64
		for w := range nw {
			mean += c.At(w, i)
		}
		mean /= float64(nw)
		var maxAbs float64
		for w := range nw {
			v := c.At(w, i) - mean
			c.Set(w, i, v)
			maxAbs = math.Max(maxAbs, math.Abs(v))
		}
		if maxAbs == 0 {
			return fmt.Errorf("mcmc: all initial walkers have the same x[%d]; the stretch move cannot leave that hyperplane", i)
		}
		var ss float64
		for w := range nw {
			v := c.At(w, i) / maxAbs
			c.Set(w, i, v)
			ss += v * v
		}
		norm := math.Sqrt(ss)
		for w := range nw {
			c.Set(w, i, c.At(w, i)/norm)
		}
	}
	var svd mat.SVD
	if !svd.Factorize(c, mat.SVDNone) {
		return errors.New("mcmc: SVD of the initial ensemble failed")
	}
	if cond := svd.Cond(); !(cond <= maxInitCondition) {
		return fmt.Errorf("mcmc: initial walkers are not affinely independent (condition number %.3g > %g); the ensemble could never leave their affine hull", cond, maxInitCondition)
	}
	return nil
}
