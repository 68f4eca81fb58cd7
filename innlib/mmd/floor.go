package mmd

import (
	"fmt"
	"math/rand/v2"
)

// Floor returns the expected value of the estimate (the V-statistic) for two
// samples of n points each that come from the same distribution and are
// paired: point i of one and point i of the other differ by a random vector
// whose squared length d² has the given draws. The estimate is biased: even
// for equal distributions it averages
//
//	E[MMD²] = (2/n) Σ_k (1 − E k(d²)),
//
// because the n pairs (i, i) compare a point with itself in the first two
// means but not in the cross term; the terms with i ≠ j cancel on average.
// So a loss measured on small batches sits higher than the same loss on a
// large set, by about 1/n: compare estimates at different n through their
// floors, not directly. For two independent samples, d² is the squared
// distance between two independent draws.
func Floor(n int, d2 []float64, ks []Kernel) (float64, error) {
	if err := Validate(ks); err != nil {
		return 0, err
	}
	if n < 1 || len(d2) == 0 {
		return 0, fmt.Errorf("mmd: Floor needs n >= 1 and some distances, got n = %d and %d", n, len(d2))
	}
	var s float64
	for _, v := range d2 {
		if !(v >= 0) {
			return 0, fmt.Errorf("mmd: squared distance %g", v)
		}
		for _, k := range ks {
			s += 1 - k.eval(v)
		}
	}
	return 2 / float64(n) * s / float64(len(d2)), nil
}

// GaussianGapDraws returns draws of |z − ε|² for independent z, ε ~ N(0, I)
// in dim dimensions (2·χ²(dim)): the pair distances of a latent term that
// compares dim standard-normal coordinates and shares the rest, as the
// bidirectional INN's latent MMD compares [z, y] with [N(0, I), y].
func GaussianGapDraws(dim, draws int, seed uint64) []float64 {
	r := rand.New(rand.NewPCG(seed, 0x9a9))
	out := make([]float64, draws)
	for i := range out {
		for range dim {
			d := r.NormFloat64() - r.NormFloat64()
			out[i] += d * d
		}
	}
	return out
}
