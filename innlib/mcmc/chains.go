package mcmc

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/dsp/fourier"
	"gonum.org/v1/gonum/stat/distuv"
)

// minChainLen is the shortest chain the diagnostics accept: splitting must
// leave at least two draws per half.
const minChainLen = 4

// checkChains validates scalar chains: at least one, all of the same length
// >= minChainLen, all finite.
func checkChains(chains [][]float64) error {
	if len(chains) == 0 {
		return errors.New("mcmc: no chains")
	}
	n := len(chains[0])
	if n < minChainLen {
		return fmt.Errorf("mcmc: chains have %d draws, need at least %d", n, minChainLen)
	}
	for k, c := range chains {
		if len(c) != n {
			return fmt.Errorf("mcmc: chain %d has %d draws, chain 0 has %d", k, len(c), n)
		}
		for t, v := range c {
			if !isFinite(v) {
				return fmt.Errorf("mcmc: chain %d draw %d is %v", k, t, v)
			}
		}
	}
	return nil
}

// splitChains cuts every chain into its first and last halves (dropping the
// middle draw of an odd-length chain), as Vehtari et al. (2021) do, so that a
// trend within a chain shows up as disagreement between chains. The halves
// are views.
func splitChains(chains [][]float64) [][]float64 {
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

// zScale returns the rank-normalised chains: every draw replaced by
// Φ⁻¹((r − 3/8)/(S + 1/4)), with r its rank among all S draws pooled (ties
// get their average rank), following Vehtari et al. (2021), eq. (14).
func zScale(chains [][]float64) [][]float64 {
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

// quantile7 returns the p-quantile of sorted x by linear interpolation
// between order statistics (R type 7, NumPy's default, which ArviZ uses).
func quantile7(sorted []float64, p float64) float64 {
	h := float64(len(sorted)-1) * p
	lo := int(math.Floor(h))
	if lo >= len(sorted)-1 {
		return sorted[len(sorted)-1]
	}
	return sorted[lo] + (h-float64(lo))*(sorted[lo+1]-sorted[lo])
}

// pooledSorted returns all draws of chains in one sorted slice.
func pooledSorted(chains [][]float64) []float64 {
	all := make([]float64, 0, len(chains)*len(chains[0]))
	for _, c := range chains {
		all = append(all, c...)
	}
	slices.Sort(all)
	return all
}

// autocov computes biased autocovariances with a zero-padded FFT, reusing
// its buffers between series of the same length.
type autocov struct {
	n    int
	fft  *fourier.FFT
	pad  []float64
	coef []complex128
}

// newAutocov prepares for series of length n. The padding to
// 2·nextPow2(n) is what emcee's function_1d uses; it is at least 2n, so the
// circular correlation equals the linear one at lags 0..n−1.
func newAutocov(n int) *autocov {
	m := 1
	for m < n {
		m <<= 1
	}
	m *= 2
	return &autocov{n: n, fft: fourier.NewFFT(m), pad: make([]float64, m), coef: make([]complex128, m/2+1)}
}

// into writes γ_k = (1/n) Σ_{t<n−k} (x_t − x̄)(x_{t+k} − x̄) for k = 0..n−1
// into dst (len n) and returns it.
func (a *autocov) into(dst, x []float64) []float64 {
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
