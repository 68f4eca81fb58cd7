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
	return essBasic(zScale(splitChains(chains)), new(autocovs), false), nil
}

// ESSTail returns the tail effective sample size (Vehtari et al. 2021): the
// smaller of the ESS of the indicator chains I(x <= q05) and I(x <= q95),
// split, with q the pooled 5% and 95% quantiles. It says how well the 90%
// interval ends are estimated.
func ESSTail(chains [][]float64) (float64, error) {
	if err := checkChains(chains); err != nil {
		return math.NaN(), err
	}
	return essTailFrom(chains, pooledSorted(chains), make([]float64, len(chains)*len(chains[0])), new(autocovs)), nil
}

// essTailFrom is ESSTail given all draws sorted; ind is a buffer of
// len(chains)·len(chains[0]).
func essTailFrom(chains [][]float64, sorted, ind []float64, acs *autocovs) float64 {
	n := len(chains[0])
	split := splitChains(rows(ind, n))
	ess := math.Inf(1)
	for _, p := range tailProbs {
		q := quantile7(sorted, p)
		for k, c := range chains {
			row := ind[k*n : (k+1)*n]
			for t, v := range c {
				row[t] = 0
				if v <= q {
					row[t] = 1
				}
			}
		}
		ess = math.Min(ess, essBasic(split, acs, true))
	}
	return ess
}

// essBasic is the ESS of Vehtari et al. (2021), section 3.2, as ArviZ's _ess
// computes it: ρ̂_t = 1 − (W − mean_chains γ_t)/var⁺ with the biased
// autocovariances γ_t, summed in pairs while positive (Geyer's initial
// positive sequence), made monotone (initial monotone sequence), and
// ESS = mn/τ̂ with τ̂ >= 1/log10(mn). binary says the chains hold only 0
// and 1 (the tail indicators), whose autocovariances may be counted directly.
func essBasic(chains [][]float64, acs *autocovs, binary bool) float64 {
	m, n := len(chains), len(chains[0])
	size := float64(m * n)
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, c := range chains {
		for _, v := range c {
			// Finite draws: plain comparisons give math.Min and math.Max.
			if v < lo {
				lo = v
			}
			if v > hi {
				hi = v
			}
		}
	}
	if hi-lo < 1e-15 { // NumPy's float64 resolution, as ArviZ tests.
		return size
	}
	means := make([]float64, m)
	for k, c := range chains {
		means[k], _ = meanVar(c)
	}
	for _, lags := range lagTries(n) {
		// meanAcov[t] is the autocovariance at lag t averaged over chains:
		// the chains' power spectra summed, one inverse transform; sparse
		// indicator chains' products summed directly.
		ac := acs.get(n, lags)
		direct := acs.direct(lags)
		ffts := 0
		for _, c := range chains {
			if binary && acs.indicatorSums(direct, c, len(ac.pad)) {
				continue
			}
			ac.center(c)
			ac.add(1)
			ffts++
		}
		meanAcov := ac.out
		if ffts > 0 {
			meanAcov = ac.sum(1 / (float64(len(ac.pad)) * float64(n)))
		} else {
			clear(meanAcov)
		}
		if binary {
			for t, v := range direct {
				meanAcov[t] += v / float64(n)
			}
		}
		for t := range meanAcov {
			meanAcov[t] /= float64(m)
		}
		if ess, ok := essFromAcov(meanAcov, means, n, size); ok {
			return ess
		}
	}
	panic("unreachable: lagTries ends with n−1")
}

// essFromAcov finishes essBasic from the mean autocovariances at lags
// 0..len(meanAcov)−1; ok is false when Geyer's sequence needs more lags.
func essFromAcov(meanAcov, means []float64, n int, size float64) (ess float64, ok bool) {
	lags := len(meanAcov) - 1
	nf := float64(n)
	meanVarW := meanAcov[0] * nf / (nf - 1) // W, the mean within-chain variance.
	varPlus := meanVarW * (nf - 1) / nf
	if len(means) > 1 {
		_, vb := meanVar(means)
		varPlus += vb
	}
	rhoAt := func(t int) float64 { return 1 - (meanVarW-meanAcov[t])/varPlus }

	rho := make([]float64, lags+1)
	rhoEven, rhoOdd := 1.0, rhoAt(1)
	rho[0], rho[1] = rhoEven, rhoOdd
	// Geyer's initial positive sequence: add pairs while their sum is positive.
	t := 1
	for t < n-3 && rhoEven+rhoOdd > 0 {
		if t+2 > lags {
			return 0, false
		}
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
	ess = size / tau
	for _, r := range rho {
		if math.IsNaN(r) {
			return math.NaN(), true
		}
	}
	return ess, true
}
