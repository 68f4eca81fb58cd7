package mmd

import (
	"math"
	"math/rand/v2"
	"testing"
)

func randomRows(rng *rand.Rand, n, d int, shift float64) []float32 {
	v := make([]float32, n*d)
	for i := range v {
		v[i] = float32(rng.NormFloat64() + shift)
	}
	return v
}

// The float32 path agrees with the float64 sums to float32 precision, on
// sizes that leave partial blocks of 8 (n, m not multiples of 8) and at a
// training batch's size, for the value and every gradient entry.
func TestValueGrad32MatchesFloat64(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	ks := Widths(0.2, 0.5, 1, 2, 5)
	for _, s := range []struct{ n, m, d int }{{1, 1, 1}, {7, 5, 3}, {37, 29, 13}, {256, 256, 8}, {32, 32, 13}} {
		x, y := randomRows(rng, s.n, s.d, 0), randomRows(rng, s.m, s.d, 0.3)
		g32, g64 := make([]float32, s.n*s.d), make([]float32, s.n*s.d)
		v32 := valueGrad32(x, s.n, y, s.m, s.d, ks, g32)
		v64 := valueGrad64(x, s.n, y, s.m, s.d, ks, g64)
		// The value is a difference of means of order len(ks): its error
		// scales with them, not with the (smaller) difference.
		if math.Abs(v32-v64) > 2e-6*float64(len(ks)) {
			t.Errorf("%v: value %.9g in float32, %.9g in float64", s, v32, v64)
		}
		scale := 0.0
		for _, g := range g64 {
			scale = math.Max(scale, math.Abs(float64(g)))
		}
		for i := range g64 {
			if math.Abs(float64(g32[i]-g64[i])) > 1e-5*scale {
				t.Fatalf("%v: gradient %d = %g in float32, %g in float64 (largest %g)", s, i, g32[i], g64[i], scale)
			}
		}
	}
}

// ValueGrad takes the float32 path for plain kernels: its gradient matches
// central differences of the float64 estimate (Samples).
func TestValueGradPlainFiniteDifferences(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	n, m, d := 11, 9, 4
	x, y := randomRows(rng, n, d, 0), randomRows(rng, m, d, 0.5)
	ks := Widths(0.5, 2)
	rows := func(v []float32, r int) [][]float64 { return toRows(v, r, d) }
	gx := make([]float32, n*d)
	got := ValueGrad(x, n, y, m, d, ks, gx)
	xs, ys := rows(x, n), rows(y, m)
	want, _ := Samples(xs, ys, ks)
	if math.Abs(got-want) > 1e-6 {
		t.Fatalf("value %g, Samples gives %g", got, want)
	}
	const eps = 1e-4
	for i := 0; i < n; i++ {
		for c := 0; c < d; c++ {
			old := xs[i][c]
			xs[i][c] = old + eps
			lp, _ := Samples(xs, ys, ks)
			xs[i][c] = old - eps
			lm, _ := Samples(xs, ys, ks)
			xs[i][c] = old
			if fd := (lp - lm) / (2 * eps); math.Abs(fd-float64(gx[i*d+c])) > 1e-5 {
				t.Fatalf("gradient [%d,%d] = %g, finite differences %g", i, c, gx[i*d+c], fd)
			}
		}
	}
}

// The vector loop (AVX2 where the CPU has it) gives the Go loop's bits, from
// any first column, with and without the gradient.
func TestImqVectorMatchesGo(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	cs := []float32{0.04, 0.25, 1, 4, 25}
	for _, d := range []int{1, 3, 8, 13} {
		for _, nb := range []int{8, 21, 64} {
			a := randomRows(rng, 1, d, 0)
			bT := randomRows(rng, d, nb, 0)
			for j0 := 0; j0 < 3; j0++ {
				blocks := (nb - j0) / 8
				var sumV, sumG lanes
				accV, accG := make([]lanes, d), make([]lanes, d)
				done := imqVector(a, bT, nb, j0, blocks, cs, &sumV, accV)
				if done != 0 && done != 8*blocks {
					t.Fatalf("vector loop did %d columns of %d blocks", done, blocks)
				}
				imqGo(a, bT, nb, j0+done, nb, cs, &sumV, accV)
				imqGo(a, bT, nb, j0, nb, cs, &sumG, accG)
				same := func(x, y float32) bool {
					if exactGo {
						return math.Float32bits(x) == math.Float32bits(y)
					}
					return math.Abs(float64(x-y)) <= 1e-5*math.Max(1, math.Abs(float64(y)))
				}
				for l := range sumV {
					if !same(sumV[l], sumG[l]) {
						t.Fatalf("d %d, %d columns from %d: lane %d sum %g (vector) vs %g (Go)", d, nb, j0, l, sumV[l], sumG[l])
					}
					for c := range accV {
						if !same(accV[c][l], accG[c][l]) {
							t.Fatalf("d %d, %d columns from %d: gradient %d lane %d %g (vector) vs %g (Go)", d, nb, j0, c, l, accV[c][l], accG[c][l])
						}
					}
				}
			}
		}
	}
}
