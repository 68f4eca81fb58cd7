package metrics

import (
	"math"

	"gonum.org/v1/gonum/stat"
)

// KS2 returns the two-sample Kolmogorov–Smirnov statistic
//
//	D = sup_t |F_a(t) − F_b(t)|
//
// between the empirical CDFs of a and b (sizes n and m may differ; ties are
// handled exactly, by gonum's stat.KolmogorovSmirnov), and its asymptotic
// two-sided p-value
//
//	p = Q_KS( (√nₑ + 0.12 + 0.11/√nₑ) · D ),  nₑ = n·m/(n + m),
//
// with Stephens' small-sample correction (Numerical Recipes, §14.3.3). The
// p-value is good to about two digits once nₑ ≥ 4 and assumes continuous
// data; scipy's ks_2samp uses an exact distribution for small samples, so
// the p-values differ there, the statistic does not.
func KS2(a, b []float64) (d, p float64, err error) {
	if err := checkVec("KS2", "a", a); err != nil {
		return 0, 0, err
	}
	if err := checkVec("KS2", "b", b); err != nil {
		return 0, 0, err
	}
	d = stat.KolmogorovSmirnov(sortedCopy(a), nil, sortedCopy(b), nil)
	ne := float64(len(a)) * float64(len(b)) / float64(len(a)+len(b))
	p = KolmogorovQ((math.Sqrt(ne) + 0.12 + 0.11/math.Sqrt(ne)) * d)
	return d, p, nil
}

// KolmogorovQ returns the survival function of the Kolmogorov distribution,
//
//	Q_KS(λ) = P(K > λ) = 2 Σ_{k≥1} (−1)^{k−1} exp(−2k²λ²),
//
// the limit law of √n·D. For λ < 1.18 the equivalent series
// 1 − (√(2π)/λ) Σ_{k≥1} exp(−(2k−1)²π²/(8λ²)) is used, which converges fast
// there; four terms of either series give double precision. Q_KS(λ) = 1 for
// λ ≤ 0.
func KolmogorovQ(lambda float64) float64 {
	switch {
	case math.IsNaN(lambda):
		return math.NaN()
	case lambda <= 0:
		return 1
	case lambda < 1.18:
		y := math.Exp(-math.Pi * math.Pi / (8 * lambda * lambda))
		s := y + math.Pow(y, 9) + math.Pow(y, 25) + math.Pow(y, 49)
		return clamp01(1 - math.Sqrt(2*math.Pi)/lambda*s)
	default:
		x := math.Exp(-2 * lambda * lambda)
		return clamp01(2 * (x - math.Pow(x, 4) + math.Pow(x, 9) - math.Pow(x, 16)))
	}
}

func clamp01(v float64) float64 { return math.Min(1, math.Max(0, v)) }
