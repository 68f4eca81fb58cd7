package mcmc

import (
	"errors"
	"fmt"
	"math"
	"slices"
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
	if len(chains)*n > math.MaxInt32 { // Ranks are sorted as int32 positions.
		return fmt.Errorf("mcmc: %d chains of %d draws is more than %d draws", len(chains), n, math.MaxInt32)
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
