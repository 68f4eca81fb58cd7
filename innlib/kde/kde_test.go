package kde

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

func near(t *testing.T, what string, got, want, relTol float64) {
	t.Helper()
	if math.Abs(got-want) > relTol*math.Abs(want) {
		t.Errorf("%s = %.17g, want %.17g (relative tolerance %g)", what, got, want, relTol)
	}
}

// Three points 0, 1, 3 by hand: mean 4/3, variance (16/9 + 1/9 + 25/9)/2 =
// 7/3, Scott's h = √(7/3)·3^(−1/5) = 1.226207990084442, and
// f(t) = Σ exp(−(t − xᵢ)²/(2h²)) / (3h√(2π)). The expected values were
// computed from this formula in Python, independently of this package.
func TestUnivariateThreePoints(t *testing.T) {
	k, err := NewUnivariate([]float64{3, 0, 1}, Scott) // Order does not matter.
	if err != nil {
		t.Fatal(err)
	}
	near(t, "h", k.Width(), 1.226207990084442, 1e-15)
	near(t, "f(1)", k.Density(1), 0.2148953653375138, 1e-14)
	near(t, "f(2.5)", k.Density(2.5), 0.16468752210209164, 1e-14)
	// Silverman: h = √(7/3)·(3·3/4)^(−1/5).
	ks, err := NewUnivariate([]float64{0, 1, 3}, Silverman)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "Silverman f(1)", ks.Density(1), 0.20979419514325326, 1e-14)
	// Beyond Cutoff widths from every point the density is exactly 0.
	if f := k.Density(3 + 9.01*k.Width()); f != 0 {
		t.Errorf("density beyond the cutoff = %g, want 0", f)
	}
}

// Three points (0, 0), (1, 2), (3, 1) by hand: covariance [[7/3, 1/2],
// [1/2, 1]], Scott's factor² 3^(−1/3), H = factor²·covariance and
// f(t) = Σ exp(−½ dᵀH⁻¹d) / (3·2π·√det H), computed in Python.
func TestMultivariateThreePoints(t *testing.T) {
	k, err := NewMultivariate([][]float64{{0, 0}, {1, 2}, {3, 1}}, Scott)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "f(1, 1)", k.Density([]float64{1, 1}), 0.060550160363845404, 1e-14)
	near(t, "f(0.5, 0.2)", k.Density([]float64{0.5, 0.2}), 0.06083744515484701, 1e-14)
	// The same kernel given explicitly.
	f2 := math.Pow(3, -1.0/3)
	kh, err := NewMultivariateCov([][]float64{{0, 0}, {1, 2}, {3, 1}}, mat.NewSymDense(2, []float64{7.0 / 3 * f2, 0.5 * f2, 0.5 * f2, f2}))
	if err != nil {
		t.Fatal(err)
	}
	near(t, "explicit H: f(1, 1)", kh.Density([]float64{1, 1}), 0.060550160363845404, 1e-14)
}

func normals(seed uint64, n int) []float64 {
	r := rand.New(rand.NewPCG(seed, 1))
	x := make([]float64, n)
	for i := range x {
		x[i] = r.NormFloat64()
	}
	return x
}

// In one dimension both estimators are the same density.
func TestMultivariateMatchesUnivariateIn1D(t *testing.T) {
	x := normals(1, 300)
	rows := make([][]float64, len(x))
	for i, v := range x {
		rows[i] = []float64{v}
	}
	for _, b := range []Bandwidth{Scott, Silverman} {
		ku, err := NewUnivariate(x, b)
		if err != nil {
			t.Fatal(err)
		}
		km, err := NewMultivariate(rows, b)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range []float64{-2, -0.3, 0, 1.7} {
			near(t, "1-D Multivariate", km.Density([]float64{p}), ku.Density(p), 1e-12)
		}
	}
}

func TestBandwidthFactors(t *testing.T) {
	// scipy: scott n^(−1/(d+4)); silverman (n(d+2)/4)^(−1/(d+4)).
	near(t, "Scott 1-D", Scott.Factor(100, 1), math.Pow(100, -0.2), 1e-15)
	near(t, "Silverman 2-D", Silverman.Factor(100, 2), math.Pow(100, -1.0/6), 1e-15)
	near(t, "Silverman/Scott 1-D", Silverman.Factor(50, 1)/Scott.Factor(50, 1), math.Pow(0.75, -0.2), 1e-15)
}

// The densities integrate to 1 (midpoint rule over ±6 sd; tolerance 1e-3,
// far above the rule's error for these smooth curves).
func TestDensityIntegratesToOne(t *testing.T) {
	x := normals(2, 500)
	k, err := NewUnivariate(x, Scott)
	if err != nil {
		t.Fatal(err)
	}
	area := 0.0
	for i := range 1200 {
		area += k.Density(-6+(float64(i)+0.5)*0.01) * 0.01
	}
	near(t, "1-D integral", area, 1, 1e-3)

	y := normals(3, 500)
	rows := make([][]float64, len(x))
	for i := range rows {
		rows[i] = []float64{x[i], 0.8*x[i] + 0.6*y[i]}
	}
	km, err := NewMultivariate(rows, Scott)
	if err != nil {
		t.Fatal(err)
	}
	area = 0
	for i := range 240 {
		for j := range 240 {
			area += km.Density([]float64{-6 + (float64(i)+0.5)*0.05, -6 + (float64(j)+0.5)*0.05}) * 0.05 * 0.05
		}
	}
	near(t, "2-D integral", area, 1, 1e-3)
}

// Linear binning keeps the total weight and the mean exactly and widens
// each point by about spacing²/6 in variance, which bounds how much the
// density moves: relative 1e-4 in 1-D (2048 nodes over ±4 sd, kernel
// variance 0.03), 5e-3 in 2-D (128 nodes, kernel variance 0.055 in sd units).
func TestBinnedMatchesExact(t *testing.T) {
	x := normals(4, 6000)
	k, err := NewUnivariate(x, Silverman)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := k.Binned(2048)
	if err != nil {
		t.Fatal(err)
	}
	var sw, swx, mean float64
	for i, v := range kb.x {
		sw += kb.w[i]
		swx += kb.w[i] * v
	}
	for _, v := range x {
		mean += v / float64(len(x))
	}
	near(t, "binned total weight", sw, 6000, 1e-12)
	near(t, "binned mean", swx/sw, mean, 1e-9)
	for _, p := range []float64{-3, -1, 0, 0.5, 2} {
		near(t, "binned 1-D density", kb.Density(p), k.Density(p), 1e-4)
	}

	y := normals(5, 6000)
	rows := make([][]float64, len(x))
	for i := range rows {
		rows[i] = []float64{x[i], 0.6*x[i] + 0.8*y[i]}
	}
	km, err := NewMultivariate(rows, Scott)
	if err != nil {
		t.Fatal(err)
	}
	kmb, err := km.Binned(128)
	if err != nil {
		t.Fatal(err)
	}
	if len(kmb.z) >= len(rows) {
		t.Errorf("binned to %d nodes, not fewer than the %d points", len(kmb.z), len(rows))
	}
	for _, p := range [][]float64{{0, 0}, {1, 1}, {-1, -0.8}} {
		near(t, "binned 2-D density", kmb.Density(p), km.Density(p), 5e-3)
	}
}

// A sample symmetric about c (normal quantiles c + Φ⁻¹((i − ½)/n)) has a
// symmetric unimodal KDE, so its mode is c; binning moves it by less than
// the node spacing.
func TestModeSymmetric(t *testing.T) {
	const n = 401
	q := make([]float64, n)
	for i := range q {
		q[i] = distuv.UnitNormal.Quantile((float64(i) + 0.5) / n)
	}
	x := make([]float64, n)
	for i, v := range q {
		x[i] = 2 + v
	}
	k, err := NewUnivariate(x, Scott)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "1-D mode", k.Mode(), 2, 1e-9)
	kb, err := k.Binned(64)
	if err != nil {
		t.Fatal(err)
	}
	if m := kb.Mode(); math.Abs(m-2) > (q[n-1]-q[0])/63 {
		t.Errorf("binned 1-D mode %v, want 2 within a node spacing", m)
	}
	// 2-D: a 21 × 21 grid of quantiles mapped through a shear, about (1, −1).
	var rows [][]float64
	for i := 0; i < n; i += 20 {
		for j := 0; j < n; j += 20 {
			rows = append(rows, []float64{1 + 2*q[i], -1 + 0.5*q[i] + 0.3*q[j]})
		}
	}
	km, err := NewMultivariate(rows, Scott)
	if err != nil {
		t.Fatal(err)
	}
	m := km.Mode()
	near(t, "2-D mode x", m[0], 1, 1e-9)
	near(t, "2-D mode y", m[1], -1, 1e-9)
}

func TestErrors(t *testing.T) {
	wantErr := func(err error, parts ...string) {
		t.Helper()
		if err == nil {
			t.Fatalf("no error, want one mentioning %q", parts)
		}
		for _, p := range parts {
			if !strings.Contains(err.Error(), p) {
				t.Errorf("error %q does not mention %q", err, p)
			}
		}
	}
	_, err := NewUnivariate([]float64{1}, Scott)
	wantErr(err, "at least 2 points")
	_, err = NewUnivariate([]float64{1, math.NaN()}, Scott)
	wantErr(err, "point 1", "NaN")
	_, err = NewUnivariate([]float64{3, 3, 3}, Scott)
	wantErr(err, "all 3")
	if !errors.Is(err, ErrDegenerate) {
		t.Errorf("constant sample: %v does not wrap ErrDegenerate", err)
	}
	_, err = NewUnivariateWidth([]float64{1, 2}, 0)
	wantErr(err, "width 0")
	_, err = NewMultivariate([][]float64{{1, 2}, {2, 4}, {3, 6}}, Scott)
	if !errors.Is(err, ErrDegenerate) {
		t.Errorf("collinear columns: %v does not wrap ErrDegenerate", err)
	}
	_, err = NewMultivariate([][]float64{{1, 2}, {2}}, Scott)
	wantErr(err, "point 1 has 1 coordinates")
	_, err = NewMultivariate([][]float64{{1, 2}, {2, math.Inf(1)}}, Scott)
	wantErr(err, "point 1, coordinate 1 is +Inf")
	_, err = NewMultivariateCov([][]float64{{1, 2}, {2, 3}}, mat.NewSymDense(1, []float64{1}))
	wantErr(err, "1×1", "2 coordinates")
	_, err = NewMultivariateCov([][]float64{{1, 2}, {2, 3}}, mat.NewSymDense(2, []float64{1, 2, 2, 1}))
	if !errors.Is(err, ErrDegenerate) {
		t.Errorf("indefinite H: %v does not wrap ErrDegenerate", err)
	}
	k, _ := NewUnivariate([]float64{1, 2, 4}, Scott)
	_, err = k.Binned(1)
	wantErr(err, "1 nodes")
	km, _ := NewMultivariate([][]float64{{0, 0}, {1, 2}, {3, 1}}, Scott)
	_, err = km.Binned(1 << 13)
	wantErr(err, "8192 nodes per axis in 2 dimensions")
}
