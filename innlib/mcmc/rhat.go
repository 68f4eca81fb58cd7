package mcmc

import (
	"math"
)

// RHatThreshold is the value below which Vehtari et al. (2021) consider
// chains mixed: R̂ < 1.01.
const RHatThreshold = 1.01

// RHat returns the split rank-normalised R̂ of Vehtari, Gelman, Simpson,
// Carpenter & Bürkner (2021), "Rank-normalization, folding, and
// localization", for one scalar quantity, treating each chain (walker) as a
// chain. The chains are split in halves, the pooled draws replaced by
// normal scores of their ranks, and the classic potential scale reduction
// computed:
//
//	bulk = R̂ of the rank-normalised split chains (location differences),
//	tail = R̂ of the rank-normalised |x − median| (scale differences),
//	rhat = max(bulk, tail).
//
// The walkers of an ensemble sampler are not independent chains (every move
// uses another walker), so R̂ over walkers is a heuristic here: it detects
// walkers stuck in different places and a drifting ensemble, not an
// ensemble that is stuck as a whole.
//
// It returns NaN values (and no error) when all draws are equal, and an error
// for chains of unequal length, shorter than 4 draws, or with non-finite
// draws.
func RHat(chains [][]float64) (rhat, bulk, tail float64, err error) {
	if err := checkChains(chains); err != nil {
		return math.NaN(), math.NaN(), math.NaN(), err
	}
	var d paramDiag
	d.load(chains)
	rhat, bulk, tail = d.rhat()
	return rhat, bulk, tail, nil
}

// rhatBasic is the classic R̂ = √(((n−1)/n · W + B/n)/W) with W the mean
// within-chain variance and B/n the variance of the chain means.
func rhatBasic(chains [][]float64) float64 {
	m, n := len(chains), len(chains[0])
	if m < 2 {
		return math.NaN()
	}
	means := make([]float64, m)
	var w float64
	for k, c := range chains {
		mu, v := meanVar(c)
		means[k] = mu
		w += v
	}
	w /= float64(m)
	_, b := meanVar(means) // B/n
	if !(w > 0) {
		return math.NaN()
	}
	nf := float64(n)
	return math.Sqrt(((nf-1)/nf*w + b) / w)
}

// meanVar returns the mean and the unbiased (n−1) variance of x.
func meanVar(x []float64) (mean, variance float64) {
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
