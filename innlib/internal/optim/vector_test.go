package optim

import (
	"math"
	"math/rand/v2"
	"testing"
)

// vectorCase returns x, y of length n with values spanning many magnitudes
// and signs, and a few zeros.
func vectorCase(n int, seed uint64) (x, y []float32) {
	rng := rand.New(rand.NewPCG(seed, 3))
	x, y = make([]float32, n), make([]float32, n)
	for i := range x {
		x[i] = float32(rng.NormFloat64() * math.Pow(10, float64(rng.IntN(9)-6)))
		if rng.IntN(10) > 0 {
			y[i] = float32(rng.NormFloat64() * math.Pow(10, float64(rng.IntN(9)-6)))
		}
	}
	return x, y
}

// sumBound is the float64 rounding bound of a sum of n terms of absolute
// sum abs, in any order: (n−1)·2⁻⁵³·abs, doubled for the lanes' reduction.
func sumBound(n int, abs float64) float64 { return 2 * float64(n) * 0x1p-53 * abs }

// The vector loops (and their Go tails) give the sequential float64 sums to
// float64 rounding, and the float32 results bit for bit: lengths around the
// 16-float block exercise the tails.
func TestDotSq(t *testing.T) {
	for _, n := range []int{0, 1, 15, 16, 17, 33, 1000} {
		x, y := vectorCase(n, uint64(n))
		var xy, yy, axy float64
		for i := range x {
			xy += float64(x[i]) * float64(y[i])
			axy += math.Abs(float64(x[i]) * float64(y[i]))
			yy += float64(y[i]) * float64(y[i])
		}
		gxy, gyy := DotSq(x, y)
		if math.Abs(gxy-xy) > sumBound(n, axy) || math.Abs(gyy-yy) > sumBound(n, yy) {
			t.Errorf("n %d: DotSq = %.17g, %.17g, sequential sums %.17g, %.17g", n, gxy, gyy, xy, yy)
		}
	}
}

func TestAddSqProjectSq(t *testing.T) {
	for _, n := range []int{0, 1, 15, 16, 17, 33, 1000} {
		for _, c := range []float32{0, -0.75, 1.3} {
			for _, zero := range []bool{false, true} {
				x, dst := vectorCase(n, uint64(n)+100)
				x0 := append([]float32(nil), x...)
				want := append([]float32(nil), dst...)
				var sq float64
				for i := range want {
					if c == 0 {
						want[i] += x[i]
					} else {
						want[i] = want[i] + (x[i] - c*want[i])
					}
					sq += float64(want[i]) * float64(want[i])
				}
				var got float64
				if c == 0 {
					got = AddSq(dst, x, zero)
				} else {
					got = ProjectSq(dst, x, c, zero)
				}
				for i := range dst {
					// Where the compiler fuses multiply-adds, the Go
					// expression above rounds differently from the loops.
					if exactGo && math.Float32bits(dst[i]) != math.Float32bits(want[i]) {
						t.Fatalf("n %d, c %g: element %d is %v, want %v", n, c, i, dst[i], want[i])
					}
					if wx := map[bool]float32{false: x0[i], true: 0}[zero]; math.Float32bits(x[i]) != math.Float32bits(wx) {
						t.Fatalf("n %d, c %g, zeroX %v: x[%d] is %v afterwards, want %v", n, c, zero, i, x[i], wx)
					}
				}
				if math.Abs(got-sq) > sumBound(n, sq) {
					t.Errorf("n %d, c %g: squared norm %.17g, sequential %.17g", n, c, got, sq)
				}
			}
		}
	}
}

func BenchmarkDotSq(b *testing.B) {
	x, y := vectorCase(153192, 1)
	for b.Loop() {
		DotSq(x, y)
	}
}

func BenchmarkProjectSq(b *testing.B) {
	x, y := vectorCase(153192, 1)
	for b.Loop() {
		ProjectSq(y, x, 1e-9, false)
	}
}
