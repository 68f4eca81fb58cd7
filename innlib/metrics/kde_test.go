package metrics

import (
	"errors"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// A sample symmetric about 2 (normal quantiles 2 + Φ⁻¹((i−½)/n)) has a
// unimodal KDE symmetric about 2, so its mode is 2. Tolerance 1e-6: the
// grid step is 0.014, and mean shift must close the gap.
func TestKDEModeSymmetric(t *testing.T) {
	n := 401
	x := make([]float64, n)
	for i := range x {
		x[i] = 2 + distuv.UnitNormal.Quantile((float64(i)+0.5)/float64(n))
	}
	x[0], x[n-1] = x[n-1], x[0] // Unsorted input.
	m, err := KDEMode(x)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "KDE mode", m, 2, 1e-6)
}

// Two clusters, 70 draws near 5 and 30 near 0 (sd 0.1): the mode is at the
// larger cluster, within 0.05 of its centre (the other cluster's kernels
// pull it by less than 1e-3 at Scott's bandwidth ≈ 0.9).
func TestKDEModeBimodal(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 1))
	var x []float64
	for i := range 100 {
		c := 5.0
		if i%10 < 3 {
			c = 0
		}
		x = append(x, c+0.1*rng.NormFloat64())
	}
	m, err := KDEMode(x)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "KDE mode of two clusters", m, 5, 0.05)
	if _, err := KDEMode([]float64{3, 3, 3}); !errors.Is(err, ErrDomain) {
		t.Errorf("constant sample: err = %v, want ErrDomain", err)
	}
}

// Joint mode: a correlated 2-D sample symmetric about μ = (1, −2) (a
// 21 × 21 grid of normal quantiles mapped through A) has its mode at μ; the
// marginal modes are μ too. Tolerance 1e-6 as above.
func TestJointModeSymmetric(t *testing.T) {
	const k = 21
	var x [][]float64
	for i := range k {
		for j := range k {
			u := distuv.UnitNormal.Quantile((float64(i) + 0.5) / k)
			v := distuv.UnitNormal.Quantile((float64(j) + 0.5) / k)
			x = append(x, []float64{1 + 2*u, -2 + 0.5*u + 0.3*v})
		}
	}
	x[0], x[len(x)-1] = x[len(x)-1], x[0]
	m, err := JointMode(nil, x)
	if err != nil {
		t.Fatal(err)
	}
	nearAll(t, "joint mode", m, []float64{1, -2}, 1e-6)
	mm, err := MarginalModes(nil, x)
	if err != nil {
		t.Fatal(err)
	}
	nearAll(t, "marginal modes", mm, []float64{1, -2}, 1e-6)
}

// Joint mode of two 2-D clusters of 300 and 100 correlated draws: at the
// centre of the larger one, within 0.05 (its sd is 0.1 per axis); and found
// in the right units when a column is scaled by 1e4, since the kernel is
// whitened.
func TestJointModeClusters(t *testing.T) {
	rng := rand.New(rand.NewPCG(32, 1))
	var x [][]float64
	for i := range 400 {
		c := []float64{3, 1e4}
		if i%4 == 0 {
			c = []float64{0, 0}
		}
		a, b := rng.NormFloat64(), rng.NormFloat64()
		x = append(x, []float64{c[0] + 0.1*a, c[1] + 1e4*(0.08*a+0.06*b)})
	}
	m, err := JointMode(nil, x)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "joint mode x", m[0], 3, 0.05)
	near(t, "joint mode y", m[1], 1e4, 0.05*1e4)
	if _, err := JointMode(nil, [][]float64{{1, 2}, {2, 4}, {3, 6}, {4, 8}}); !errors.Is(err, ErrDomain) {
		t.Errorf("collinear columns: err = %v, want ErrDomain", err)
	}
}
