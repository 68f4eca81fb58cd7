package flowgrad

import (
	"math"
	"math/rand/v2"
	"testing"
)

// affine (the bias added by the kernel: first, as the accumulators' start,
// in the assembly kernels; last in the Go kernel) is in·W + b to float32
// rounding, on the shapes of the flows' subnetworks.
func TestAffineMatchesProductThenBias(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	for _, s := range []struct{ rows, in, out int }{{8, 7, 128}, {32, 128, 128}, {32, 128, 14}, {256, 6, 128}, {3, 128, 12}} {
		p := make([]float32, s.in*s.out+s.out)
		for i := range p {
			p[i] = float32(rng.NormFloat64())
		}
		in := make([]float32, s.rows*s.in)
		for i := range in {
			in[i] = float32(rng.NormFloat64())
		}
		l := layer{In: s.in, Out: s.out, W: 0, B: s.in * s.out}
		got := make([]float32, s.rows*s.out)
		affine(p, l, in, s.rows, got)
		for r := 0; r < s.rows; r++ {
			for j := 0; j < s.out; j++ {
				want, size := float64(p[l.B+j]), math.Abs(float64(p[l.B+j]))
				for k := 0; k < s.in; k++ {
					v := float64(in[r*s.in+k]) * float64(p[k*s.out+j])
					want += v
					size += math.Abs(v)
				}
				// float32 sums of s.in+1 terms: a few ulps of the terms' size.
				if g := float64(got[r*s.out+j]); math.Abs(g-want) > 1e-6*size*math.Sqrt(float64(s.in+1)) {
					t.Fatalf("%+v: value [%d,%d] = %g, want %g", s, r, j, g, want)
				}
			}
		}
	}
}
