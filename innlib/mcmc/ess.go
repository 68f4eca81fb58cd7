package mcmc

import (
	"math"
)

// MinESS is the smallest bulk and tail effective sample size that Summary
// accepts without a warning; Vehtari et al. (2021) recommend ESS > 400
// (100 per chain for four chains) before trusting R̂ and posterior summaries.
const MinESS = 400

// tailProbs are the quantiles whose indicator chains define the tail ESS.
var tailProbs = [2]float64{0.05, 0.95}

// ESSBulk returns the bulk effective sample size of one scalar quantity
// (Vehtari et al. 2021): the ESS of the rank-normalised split chains,
// estimated from the autocorrelations combined over chains and truncated
// with Geyer's initial monotone sequence. For independent draws it is close
// to the total number of draws. All draws equal give the number of draws.
func ESSBulk(chains [][]float64) (float64, error) {
	if err := checkChains(chains); err != nil {
		return math.NaN(), err
	}
	return essBasic(zScale(splitChains(chains))), nil
}

// ESSTail returns the tail effective sample size (Vehtari et al. 2021): the
// smaller of the ESS of the indicator chains I(x <= q05) and I(x <= q95),
// split, with q the pooled 5% and 95% quantiles. It says how well the 90%
// interval ends are estimated.
func ESSTail(chains [][]float64) (float64, error) {
	if err := checkChains(chains); err != nil {
		return math.NaN(), err
	}
	return essTailFrom(chains, pooledSorted(chains)), nil
}

// essTailFrom is ESSTail given all draws sorted.
func essTailFrom(chains [][]float64, sorted []float64) float64 {
	n := len(chains[0])
	ind := rows(make([]float64, len(chains)*n), n)
	ess := math.Inf(1)
	for _, p := range tailProbs {
		q := quantile7(sorted, p)
		for k, c := range chains {
			for t, v := range c {
				ind[k][t] = 0
				if v <= q {
					ind[k][t] = 1
				}
			}
		}
		ess = math.Min(ess, essBasic(splitChains(ind)))
	}
	return ess
}

// essBasic is the ESS of Vehtari et al. (2021), section 3.2, as ArviZ's _ess
// computes it: ρ̂_t = 1 − (W − mean_chains γ_t)/var⁺ with the biased
// autocovariances γ_t, summed in pairs while positive (Geyer's initial
// positive sequence), made monotone (initial monotone sequence), and
// ESS = mn/τ̂ with τ̂ >= 1/log10(mn).
func essBasic(chains [][]float64) float64 {
	m, n := len(chains), len(chains[0])
	size := float64(m * n)
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, c := range chains {
		for _, v := range c {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if hi-lo < 1e-15 { // NumPy's float64 resolution, as ArviZ tests.
		return size
	}

	// meanAcov[t] is the autocovariance at lag t averaged over chains.
	meanAcov := make([]float64, n)
	g := make([]float64, n)
	ac := newAutocov(n)
	means := make([]float64, m)
	for k, c := range chains {
		ac.into(g, c)
		for t, v := range g {
			meanAcov[t] += v
		}
		means[k], _ = meanVar(c)
	}
	for t := range meanAcov {
		meanAcov[t] /= float64(m)
	}
	nf := float64(n)
	meanVarW := meanAcov[0] * nf / (nf - 1) // W, the mean within-chain variance.
	varPlus := meanVarW * (nf - 1) / nf
	if m > 1 {
		_, vb := meanVar(means)
		varPlus += vb
	}
	rhoAt := func(t int) float64 { return 1 - (meanVarW-meanAcov[t])/varPlus }

	rho := make([]float64, n)
	rhoEven, rhoOdd := 1.0, rhoAt(1)
	rho[0], rho[1] = rhoEven, rhoOdd
	// Geyer's initial positive sequence: add pairs while their sum is positive.
	t := 1
	for t < n-3 && rhoEven+rhoOdd > 0 {
		rhoEven, rhoOdd = rhoAt(t+1), rhoAt(t+2)
		if rhoEven+rhoOdd >= 0 {
			rho[t+1], rho[t+2] = rhoEven, rhoOdd
		}
		t += 2
	}
	maxT := t - 2
	// The last positive even term improves the estimate (antithetic chains).
	if rhoEven > 0 {
		rho[maxT+1] = rhoEven
	}
	// Geyer's initial monotone sequence: pair sums may not increase.
	for t := 1; t <= maxT-2; t += 2 {
		if rho[t+1]+rho[t+2] > rho[t-1]+rho[t] {
			rho[t+1] = (rho[t-1] + rho[t]) / 2
			rho[t+2] = rho[t+1]
		}
	}
	tau := -1.0
	for _, r := range rho[:maxT+1] {
		tau += 2 * r
	}
	tau += rho[maxT+1]
	tau = math.Max(tau, 1/math.Log10(size))
	ess := size / tau
	for _, r := range rho {
		if math.IsNaN(r) {
			return math.NaN()
		}
	}
	return ess
}
