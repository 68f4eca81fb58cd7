package metrics

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// This file holds simulation-based calibration (SBC; Talts et al. 2018): if
// truths are drawn from the prior, data simulated from them, and L draws
// taken from the computed posterior of each data set, the rank of each true
// parameter among its L draws is uniform on 0..L exactly when the posteriors
// are calibrated. Overconfident posteriors pile ranks at 0 and L (a U shape),
// underconfident ones in the middle, biased ones on one side.

// Rank returns, for each parameter j, the SBC rank of truth[j] among the
// posterior draws: the number of l with draws[l][j] < truth[j], an integer in
// 0..L where L = len(draws). Ties count as not less; with continuous draws
// they have probability zero. dst may be nil; otherwise it must have
// len(truth) entries.
func Rank(dst []int, truth []float64, draws [][]float64) ([]int, error) {
	dim, err := checkMat("Rank", "draws", draws)
	if err != nil {
		return nil, err
	}
	if err := checkVec("Rank", "truth", truth); err != nil {
		return nil, err
	}
	if len(truth) != dim {
		return nil, fmt.Errorf("metrics.Rank: truth has %d values, draws %d columns: %w", len(truth), dim, ErrShape)
	}
	if dst == nil {
		dst = make([]int, dim)
	} else if len(dst) != dim {
		return nil, fmt.Errorf("metrics.Rank: dst has length %d, want %d: %w", len(dst), dim, ErrShape)
	}
	rank(dst, truth, draws)
	return dst, nil
}

func rank(dst []int, truth []float64, draws [][]float64) {
	clear(dst)
	for _, r := range draws {
		for j, v := range r {
			if v < truth[j] {
				dst[j]++
			}
		}
	}
}

// Ranks returns the SBC ranks of many simulations: ranks[s][j] is Rank of
// truths[s][j] among posts[s]. All posteriors must have the same number of
// draws L, so that the ranks share the range 0..L.
func Ranks(truths [][]float64, posts [][][]float64) ([][]int, error) {
	dim, _, err := checkSims("Ranks", truths, posts, true)
	if err != nil {
		return nil, err
	}
	ranks := make([][]int, len(truths))
	for s := range ranks {
		ranks[s] = make([]int, dim)
		rank(ranks[s], truths[s], posts[s])
	}
	return ranks, nil
}

// checkSims checks truths [S][dim] and posts [S][L_s][dim] and returns dim
// and L_0; with sameL it requires every L_s to equal L_0.
func checkSims(fn string, truths [][]float64, posts [][][]float64, sameL bool) (dim, l int, err error) {
	if dim, err = checkMat(fn, "truths", truths); err != nil {
		return 0, 0, err
	}
	if len(posts) != len(truths) {
		return 0, 0, fmt.Errorf("metrics.%s: %d truths, %d posteriors: %w", fn, len(truths), len(posts), ErrShape)
	}
	for s, p := range posts {
		d, err := checkMat(fn, fmt.Sprintf("posts[%d]", s), p)
		if err != nil {
			return 0, 0, err
		}
		if d != dim {
			return 0, 0, fmt.Errorf("metrics.%s: posts[%d] has %d columns, truths %d: %w", fn, s, d, dim, ErrShape)
		}
		if sameL && len(p) != len(posts[0]) {
			return 0, 0, fmt.Errorf("metrics.%s: posts[%d] has %d draws, posts[0] %d; ranks need equal counts: %w",
				fn, s, len(p), len(posts[0]), ErrShape)
		}
	}
	return dim, len(posts[0]), nil
}

// checkRanks checks ranks in 0..l, l >= 1.
func checkRanks(fn string, ranks []int, l int) error {
	if len(ranks) == 0 {
		return fmt.Errorf("metrics.%s: no ranks: %w", fn, ErrEmpty)
	}
	if l < 1 {
		return fmt.Errorf("metrics.%s: L = %d draws, want >= 1: %w", fn, l, ErrDomain)
	}
	for i, r := range ranks {
		if r < 0 || r > l {
			return fmt.Errorf("metrics.%s: ranks[%d] = %d outside 0..%d: %w", fn, i, r, l, ErrDomain)
		}
	}
	return nil
}

// RankChiSquare tests SBC ranks in 0..L for uniformity with Pearson's
// chi-square test: rank r falls in bin ⌊r·bins/(L+1)⌋, bin b expects
// S·(size of b)/(L+1) of the S ranks (bins of unequal size are allowed when
// bins does not divide L+1), and p is the chi-square survival function with
// bins − 1 degrees of freedom. The approximation wants at least about 5
// expected ranks per bin. 2 <= bins <= L+1.
func RankChiSquare(ranks []int, l, bins int) (chi2, p float64, err error) {
	if err := checkRanks("RankChiSquare", ranks, l); err != nil {
		return 0, 0, err
	}
	if bins < 2 || bins > l+1 {
		return 0, 0, fmt.Errorf("metrics.RankChiSquare: %d bins for %d rank values, want 2..%d: %w", bins, l+1, l+1, ErrDomain)
	}
	obs := make([]float64, bins)
	size := make([]float64, bins)
	for r := 0; r <= l; r++ {
		size[r*bins/(l+1)]++
	}
	for _, r := range ranks {
		obs[r*bins/(l+1)]++
	}
	n := float64(len(ranks))
	for b, o := range obs {
		e := n * size[b] / float64(l+1)
		chi2 += (o - e) * (o - e) / e
	}
	p = distuv.ChiSquared{K: float64(bins - 1)}.Survival(chi2)
	return chi2, p, nil
}

// RankKS tests SBC ranks in 0..L for uniformity with a Kolmogorov–Smirnov
// test against the discrete uniform CDF F(r) = (r+1)/(L+1):
//
//	D = max_{r=0..L} |#{ranks ≤ r}/S − (r+1)/(L+1)|,
//
// with the asymptotic p-value KolmogorovQ((√S + 0.12 + 0.11/√S)·D). For a
// discrete null the p-value is conservative (too large), slightly so for
// L ≳ 100.
func RankKS(ranks []int, l int) (d, p float64, err error) {
	if err := checkRanks("RankKS", ranks, l); err != nil {
		return 0, 0, err
	}
	count := make([]int, l+1)
	for _, r := range ranks {
		count[r]++
	}
	n := float64(len(ranks))
	var cum int
	for r, c := range count {
		cum += c
		d = math.Max(d, math.Abs(float64(cum)/n-float64(r+1)/float64(l+1)))
	}
	sn := math.Sqrt(n)
	return d, KolmogorovQ((sn + 0.12 + 0.11/sn) * d), nil
}
