package mcmc

import (
	"fmt"
	"math"
)

// Defaults of IntegratedTime, those of emcee's integrated_time.
const (
	// DefaultAutocorrC is Sokal's window constant c: the window M is the
	// smallest lag with M >= c·τ(M).
	DefaultAutocorrC = 5.0
	// DefaultAutocorrTol is emcee's rule: τ is trusted only when every chain
	// is longer than DefaultAutocorrTol·τ.
	DefaultAutocorrTol = 50.0
)

// IAT is an integrated autocorrelation time estimate.
type IAT struct {
	Tau    float64 // Integrated autocorrelation time τ, in steps.
	Window int     // Sokal window M, the lag at which the sum was cut.

	// TooShort reports emcee's warning: the chains are shorter than tol·τ,
	// so τ is not reliable.
	TooShort bool
}

// AutocorrFunc returns the normalised autocorrelation function ρ(k) = γ(k)/γ(0),
// k = 0..len(x)−1, of one series, estimated as emcee's function_1d does: the
// biased autocovariance from a zero-padded FFT. It returns an error for a
// constant or non-finite series or one shorter than 2.
func AutocorrFunc(x []float64) ([]float64, error) {
	if len(x) < 2 {
		return nil, fmt.Errorf("mcmc: AutocorrFunc: need at least 2 draws, got %d", len(x))
	}
	for t, v := range x {
		if !isFinite(v) {
			return nil, fmt.Errorf("mcmc: AutocorrFunc: draw %d is %v", t, v)
		}
	}
	dst := newAutocov(len(x)).into(make([]float64, len(x)), x)
	if !(dst[0] > 0) {
		return nil, fmt.Errorf("mcmc: AutocorrFunc: series is constant")
	}
	inv := 1 / dst[0]
	for k := range dst {
		dst[k] *= inv
	}
	return dst, nil
}

// IntegratedTime estimates the integrated autocorrelation time of one scalar
// quantity from several chains (the walkers), exactly as emcee's
// integrated_time: the normalised autocorrelation function of each chain is
// averaged over chains, τ(M) = 1 + 2 Σ_{k=1..M} ρ̄(k), and M is Sokal's
// automatic window, the smallest M with M >= c·τ(M). Zero c and tol select
// DefaultAutocorrC and DefaultAutocorrTol.
//
// Averaging ρ over walkers before summing (rather than averaging τ) is the
// estimator emcee recommends; it has lower variance for short chains.
func IntegratedTime(chains [][]float64, c, tol float64) (IAT, error) {
	if c == 0 {
		c = DefaultAutocorrC
	}
	if tol == 0 {
		tol = DefaultAutocorrTol
	}
	if !(c > 0) || !(tol > 0) {
		return IAT{}, fmt.Errorf("mcmc: IntegratedTime: need c > 0 and tol > 0, got c = %v, tol = %v", c, tol)
	}
	if err := checkChains(chains); err != nil {
		return IAT{}, err
	}
	n := len(chains[0])
	ac := newAutocov(n)
	f := make([]float64, n)
	g := make([]float64, n)
	for k, x := range chains {
		ac.into(g, x)
		if !(g[0] > 0) {
			return IAT{}, fmt.Errorf("mcmc: IntegratedTime: chain %d is constant", k)
		}
		inv := 1 / g[0]
		for i, v := range g {
			f[i] += v * inv
		}
	}
	invW := 1 / float64(len(chains))
	// τ(M) = 2 Σ_{k<=M} ρ̄(k) − 1; the first M with M >= c·τ(M) ends the sum.
	var sum, tau float64
	for m := range n {
		sum += f[m] * invW
		tau = 2*sum - 1
		if float64(m) >= c*tau {
			return IAT{Tau: tau, Window: m, TooShort: tol*tau > float64(n)}, nil
		}
	}
	// Not reached in exact arithmetic: the biased autocovariances of a
	// centred series sum to zero over all lags, so τ(n−1) = 0 <= (n−1)/c.
	// Rounding could leave τ(n−1) slightly positive; report it as unreliable.
	return IAT{Tau: tau, Window: n - 1, TooShort: true}, nil
}

// AutocorrTime returns IntegratedTime with the default c and tol for each
// parameter of the post-burn-in chain, like emcee's get_autocorr_time.
func (r *Result) AutocorrTime() ([]IAT, error) {
	out := make([]IAT, r.Dim)
	for j := range out {
		iat, err := IntegratedTime(r.Trace(j), 0, 0)
		if err != nil {
			return nil, fmt.Errorf("mcmc: parameter %d: %w", j, err)
		}
		out[j] = iat
	}
	return out, nil
}

// isFinite reports whether v is neither NaN nor infinite.
func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
