package fastmath

import (
	"math"
	"math/rand/v2"
	"testing"
)

// SiLUDeriv (the AVX2 loop where the CPU has it, Go on the tail) gives the
// plain expression's bits, for lengths around the 8-lane block (in builds
// whose Go code does not fuse multiply-adds).
func TestSiLUDeriv(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	for _, n := range []int{0, 1, 7, 8, 9, 100} {
		x := make([]float32, n)
		dh := make([]float32, n)
		for i := range x {
			x[i] = float32(rng.NormFloat64() * 4)
			dh[i] = float32(rng.NormFloat64())
		}
		sig, h := make([]float32, n), make([]float32, n)
		SiLU(h, sig, x)
		want := make([]float32, n)
		for i := range want {
			want[i] = dh[i] * (sig[i] + h[i]*(1-sig[i]))
		}
		SiLUDeriv(dh, sig, h)
		for i := range dh {
			// Where the compiler fuses multiply-adds, the Go expression
			// rounds differently from the assembly: allow 2 ulps' worth.
			if exactGo && math.Float32bits(dh[i]) != math.Float32bits(want[i]) ||
				math.Abs(float64(dh[i]-want[i])) > 0x1p-22*math.Abs(float64(want[i]))+1e-30 {
				t.Fatalf("n %d: element %d is %v, want %v", n, i, dh[i], want[i])
			}
		}
	}
}
