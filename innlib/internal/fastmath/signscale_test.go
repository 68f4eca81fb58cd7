package fastmath

import (
	"math"
	"math/rand/v2"
	"testing"
)

// ScaleBySign matches the derivative written with a branch, bit for bit,
// on every length up to 40 (the vector loop and its tail), with signed
// zeros, infinities and NaNs of both signs among the inputs.
func TestScaleBySign(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	special := []float32{0, float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.Inf(-1)),
		math.Float32frombits(0x7fc00000), math.Float32frombits(0xffc00000), 1e-40, -1e-40}
	for n := 0; n <= 40; n++ {
		z := make([]float32, n)
		dh := make([]float32, n)
		for i := range z {
			z[i] = float32(rng.NormFloat64())
			if rng.IntN(4) == 0 {
				z[i] = special[rng.IntN(len(special))]
			}
			dh[i] = float32(rng.NormFloat64())
		}
		want := make([]float32, n)
		for i, v := range z {
			if math.Signbit(float64(v)) {
				want[i] = dh[i] * 0.01
			} else {
				want[i] = dh[i] * 1
			}
		}
		ScaleBySign(dh, z, 1, 0.01)
		for i := range dh {
			if math.Float32bits(dh[i]) != math.Float32bits(want[i]) {
				t.Fatalf("length %d, value %d (z = %g): got %g, want %g", n, i, z[i], dh[i], want[i])
			}
		}
	}
}
