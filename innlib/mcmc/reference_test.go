package mcmc

// The Summarize of commit a20e83c, kept verbatim (names prefixed "ref") as
// the straightforward reference that TestSummarizeMatchesReference compares
// the optimised code with: full sorts, one rank sort per rank
// normalisation, one FFT pair per chain at emcee's power-of-two padding.

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/dsp/fourier"
	"gonum.org/v1/gonum/stat/distuv"
)

// refSummarize computes the summary and diagnostics of each of the dim
// parameters from row-major chains (chains[w][t·dim+j], the layout of
// Result.Chain). An autocorrelation time that cannot be computed (a constant
// parameter) is reported as NaN with a warning.
func refSummarize(chains [][]float64, dim int) (*Summary, error) {
	if dim < 1 {
		return nil, fmt.Errorf("mcmc: refSummarize: dim must be >= 1, got %d", dim)
	}
	if len(chains) == 0 {
		return nil, fmt.Errorf("mcmc: refSummarize: no chains")
	}
	for w, c := range chains {
		if len(c)%dim != 0 || len(c) != len(chains[0]) {
			return nil, fmt.Errorf("mcmc: refSummarize: chain %d has length %d, want %d (a multiple of dim = %d)", w, len(c), len(chains[0]), dim)
		}
	}
	s := &Summary{Params: make([]ParamSummary, dim), Walkers: len(chains), ChainLen: len(chains[0]) / dim}
	for j := range dim {
		col := column(chains, dim, j)
		if err := checkChains(col); err != nil {
			return nil, fmt.Errorf("mcmc: refSummarize: parameter %d: %w", j, err)
		}
		p := &s.Params[j]
		sorted := refPooledSorted(col)
		p.Mean, p.SD = refMeanVar(sorted)
		p.SD = math.Sqrt(p.SD)
		p.Q05, p.Median, p.Q95 = refQuantile7(sorted, 0.05), refQuantile7(sorted, 0.5), refQuantile7(sorted, 0.95)

		iat, err := refIntegratedTime(col, 0, 0)
		if err != nil {
			iat = IAT{Tau: math.NaN(), TooShort: true}
		}
		p.IAT = iat
		// RHat, ESSBulk and ESSTail, sharing the ranks and sorts.
		split := refSplitChains(col)
		z := refZScale(split)
		sortedSplit := sorted
		if len(split[0])*len(split) != len(sorted) { // Odd length: middle draws dropped.
			sortedSplit = refPooledSorted(split)
		}
		p.RHat, p.RHatBulk, p.RHatTail = refRhatFrom(split, z, sortedSplit)
		p.ESSBulk = refEssBasic(z)
		p.ESSTail = refEssTailFrom(col, sorted)

		switch {
		case err != nil:
			s.warn("parameter %d: no autocorrelation time: %v", j, err)
		case iat.TooShort:
			s.warn("parameter %d: chain of %d steps is shorter than %g·τ = %.0f; τ = %.1f is unreliable", j, s.ChainLen, DefaultAutocorrTol, DefaultAutocorrTol*iat.Tau, iat.Tau)
		}
		if !(p.RHat < RHatThreshold) {
			s.warn("parameter %d: R-hat = %.4f >= %g", j, p.RHat, RHatThreshold)
		}
		if !(p.ESSBulk >= MinESS) || !(p.ESSTail >= MinESS) {
			s.warn("parameter %d: ESS bulk = %.0f, tail = %.0f; want >= %d", j, p.ESSBulk, p.ESSTail, MinESS)
		}
	}
	return s, nil
}

// refEssTailFrom is ESSTail given all draws sorted.
func refEssTailFrom(chains [][]float64, sorted []float64) float64 {
	n := len(chains[0])
	ind := rows(make([]float64, len(chains)*n), n)
	ess := math.Inf(1)
	for _, p := range tailProbs {
		q := refQuantile7(sorted, p)
		for k, c := range chains {
			for t, v := range c {
				ind[k][t] = 0
				if v <= q {
					ind[k][t] = 1
				}
			}
		}
		ess = math.Min(ess, refEssBasic(refSplitChains(ind)))
	}
	return ess
}

// refEssBasic is the ESS of Vehtari et al. (2021), section 3.2, as ArviZ's _ess
// computes it: ρ̂_t = 1 − (W − mean_chains γ_t)/var⁺ with the biased
// autocovariances γ_t, summed in pairs while positive (Geyer's initial
// positive sequence), made monotone (initial monotone sequence), and
// ESS = mn/τ̂ with τ̂ >= 1/log10(mn).
func refEssBasic(chains [][]float64) float64 {
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
	ac := refNewAutocov(n)
	means := make([]float64, m)
	for k, c := range chains {
		ac.into(g, c)
		for t, v := range g {
			meanAcov[t] += v
		}
		means[k], _ = refMeanVar(c)
	}
	for t := range meanAcov {
		meanAcov[t] /= float64(m)
	}
	nf := float64(n)
	meanVarW := meanAcov[0] * nf / (nf - 1) // W, the mean within-chain variance.
	varPlus := meanVarW * (nf - 1) / nf
	if m > 1 {
		_, vb := refMeanVar(means)
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

// refRhatFrom computes R̂ from the split chains, their rank-normalised values z
// and all split draws sorted, so that refSummarize can share that work.
func refRhatFrom(split, z [][]float64, sortedSplit []float64) (rhat, bulk, tail float64) {
	bulk = refRhatBasic(z)
	// Folding: distance from the pooled median of the split draws.
	med := refQuantile7(sortedSplit, 0.5)
	n := len(split[0])
	folded := rows(make([]float64, len(split)*n), n)
	for k, c := range split {
		for t, v := range c {
			folded[k][t] = math.Abs(v - med)
		}
	}
	tail = refRhatBasic(refZScale(folded))
	return math.Max(bulk, tail), bulk, tail
}

// refRhatBasic is the classic R̂ = √(((n−1)/n · W + B/n)/W) with W the mean
// within-chain variance and B/n the variance of the chain means.
func refRhatBasic(chains [][]float64) float64 {
	m, n := len(chains), len(chains[0])
	if m < 2 {
		return math.NaN()
	}
	means := make([]float64, m)
	var w float64
	for k, c := range chains {
		mu, v := refMeanVar(c)
		means[k] = mu
		w += v
	}
	w /= float64(m)
	_, b := refMeanVar(means) // B/n
	if !(w > 0) {
		return math.NaN()
	}
	nf := float64(n)
	return math.Sqrt(((nf-1)/nf*w + b) / w)
}

// refIntegratedTime estimates the integrated autocorrelation time of one scalar
// quantity from several chains (the walkers), exactly as emcee's
// integrated_time: the normalised autocorrelation function of each chain is
// averaged over chains, τ(M) = 1 + 2 Σ_{k=1..M} ρ̄(k), and M is Sokal's
// automatic window, the smallest M with M >= c·τ(M). Zero c and tol select
// DefaultAutocorrC and DefaultAutocorrTol.
//
// Averaging ρ over walkers before summing (rather than averaging τ) is the
// estimator emcee recommends; it has lower variance for short chains.
func refIntegratedTime(chains [][]float64, c, tol float64) (IAT, error) {
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
	ac := refNewAutocov(n)
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

// refSplitChains cuts every chain into its first and last halves (dropping the
// middle draw of an odd-length chain), as Vehtari et al. (2021) do, so that a
// trend within a chain shows up as disagreement between chains. The halves
// are views.
func refSplitChains(chains [][]float64) [][]float64 {
	n := len(chains[0])
	h := n / 2
	out := make([][]float64, 0, 2*len(chains))
	for _, c := range chains {
		out = append(out, c[:h:h])
	}
	for _, c := range chains {
		out = append(out, c[n-h:])
	}
	return out
}

// refZScale returns the rank-normalised chains: every draw replaced by
// Φ⁻¹((r − 3/8)/(S + 1/4)), with r its rank among all S draws pooled (ties
// get their average rank), following Vehtari et al. (2021), eq. (14).
func refZScale(chains [][]float64) [][]float64 {
	n := len(chains[0])
	s := len(chains) * n
	// Sorting (value, position) pairs is cache-friendly, unlike sorting
	// indices with a comparison that looks the values up.
	type draw struct {
		v float64
		k int
	}
	d := make([]draw, 0, s)
	for _, c := range chains {
		for _, v := range c {
			d = append(d, draw{v, len(d)})
		}
	}
	// Draws are finite (checkChains), so plain comparisons suffice.
	slices.SortFunc(d, func(a, b draw) int {
		if a.v < b.v {
			return -1
		}
		if a.v > b.v {
			return 1
		}
		return 0
	})
	back := make([]float64, s)
	denom := float64(s) + 0.25
	for i := 0; i < s; {
		j := i + 1
		for j < s && d[j].v == d[i].v {
			j++
		}
		// 1-based ranks i+1..j share their average.
		r := float64(i+1+j) / 2
		z := distuv.UnitNormal.Quantile((r - 0.375) / denom)
		for _, e := range d[i:j] {
			back[e.k] = z
		}
		i = j
	}
	return rows(back, n)
}

// refQuantile7 returns the p-quantile of sorted x by linear interpolation
// between order statistics (R type 7, NumPy's default, which ArviZ uses).
func refQuantile7(sorted []float64, p float64) float64 {
	h := float64(len(sorted)-1) * p
	lo := int(math.Floor(h))
	if lo >= len(sorted)-1 {
		return sorted[len(sorted)-1]
	}
	return sorted[lo] + (h-float64(lo))*(sorted[lo+1]-sorted[lo])
}

// refPooledSorted returns all draws of chains in one sorted slice.
func refPooledSorted(chains [][]float64) []float64 {
	all := make([]float64, 0, len(chains)*len(chains[0]))
	for _, c := range chains {
		all = append(all, c...)
	}
	slices.Sort(all)
	return all
}

// refAutocov computes biased autocovariances with a zero-padded FFT, reusing
// its buffers between series of the same length.
type refAutocov struct {
	n    int
	fft  *fourier.FFT
	pad  []float64
	coef []complex128
}

// refNewAutocov prepares for series of length n. The padding to
// 2·nextPow2(n) is what emcee's function_1d uses; it is at least 2n, so the
// circular correlation equals the linear one at lags 0..n−1.
func refNewAutocov(n int) *refAutocov {
	m := 1
	for m < n {
		m <<= 1
	}
	m *= 2
	return &refAutocov{n: n, fft: fourier.NewFFT(m), pad: make([]float64, m), coef: make([]complex128, m/2+1)}
}

// into writes γ_k = (1/n) Σ_{t<n−k} (x_t − x̄)(x_{t+k} − x̄) for k = 0..n−1
// into dst (len n) and returns it.
func (a *refAutocov) into(dst, x []float64) []float64 {
	var mean float64
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	for t, v := range x {
		a.pad[t] = v - mean
	}
	clear(a.pad[len(x):])
	a.fft.Coefficients(a.coef, a.pad)
	for i, c := range a.coef {
		a.coef[i] = complex(real(c)*real(c)+imag(c)*imag(c), 0)
	}
	a.fft.Sequence(a.pad, a.coef)
	// Sequence is unnormalised: divide by the FFT length, then by n.
	scale := 1 / (float64(len(a.pad)) * float64(a.n))
	for k := range dst {
		dst[k] = a.pad[k] * scale
	}
	return dst
}

// refMeanVar returns the mean and the unbiased (n−1) variance of x.
func refMeanVar(x []float64) (mean, variance float64) {
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	for _, v := range x {
		d := v - mean
		variance += d * d
	}
	return mean, variance / float64(len(x)-1)
}
