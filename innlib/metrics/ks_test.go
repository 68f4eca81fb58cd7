package metrics

import (
	"math"
	"math/rand/v2"
	"testing"
)

// Hand cases (exact fractions, tolerance 1e-15):
//   - a = 1,2,3; b = 2.5,4: on [2, 2.5) F_a = 2/3, F_b = 0, so D = 2/3.
//   - a = 1,2,2,3; b = 2,2,4,5 (ties across samples): F_a − F_b is 1/4 on
//     [1,2), 3/4−2/4 on [2,3), 1−2/4 on [3,4): D = 1/2. Stepping through the
//     tied 2s one sample at a time would wrongly give 3/4.
func TestKS2Hand(t *testing.T) {
	d, _, err := KS2([]float64{3, 1, 2}, []float64{4, 2.5})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "D", d, 2.0/3, 1e-15)
	d, _, _ = KS2([]float64{1, 2, 2, 3}, []float64{2, 2, 4, 5})
	near(t, "D with ties", d, 0.5, 1e-15)
}

// KolmogorovQ against the defining series summed to 200 terms (1e-12;
// the series converges for λ ≥ 0.3) and against tabulated values: Q(1) =
// 0.2699996717, and 1.3581 is the 5% critical value (4 digits tabulated).
func TestKolmogorovQ(t *testing.T) {
	for l := 0.3; l <= 3; l += 0.01 {
		var s float64
		for k := 1; k <= 200; k++ {
			s += 2 * math.Pow(-1, float64(k-1)) * math.Exp(-2*float64(k*k)*l*l)
		}
		near(t, "KolmogorovQ", KolmogorovQ(l), s, 1e-12)
	}
	near(t, "Q(1)", KolmogorovQ(1), 0.2699996717, 1e-10)
	near(t, "Q(1.3581)", KolmogorovQ(1.3581), 0.05, 1e-4)
	if KolmogorovQ(0) != 1 || KolmogorovQ(50) != 0 {
		t.Errorf("Q(0) = %g, Q(50) = %g, want 1 and 0", KolmogorovQ(0), KolmogorovQ(50))
	}
}

// p-values: same distribution (n = 1000, 800) should not be rejected at 1%
// (fixed seed; holds for 99% of seeds), a 0.5 sd shift must be (p < 1e-6:
// D ≈ 0.2 gives λ ≈ 4.2).
func TestKS2PValue(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 2))
	col := func(x [][]float64) []float64 { return column(nil, x, 0) }
	a := col(normals(rng, 1000, []float64{0}, 1))
	b := col(normals(rng, 800, []float64{0}, 1))
	c := col(normals(rng, 800, []float64{0.5}, 1))
	if d, p, _ := KS2(a, b); p < 0.01 {
		t.Errorf("same distribution: D = %g, p = %g, want p >= 0.01", d, p)
	}
	if d, p, _ := KS2(a, c); p > 1e-6 {
		t.Errorf("shifted: D = %g, p = %g, want p < 1e-6", d, p)
	}
}
