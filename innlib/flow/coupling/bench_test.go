package coupling

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkAffine times each plain-Go map of the affine coupling on rows×w
// values: 8×6 as one MCMC call of the Ozark INN (13 columns, halves 6 and
// 7), 32×6 as a training batch, 256×6 as a large one.
func BenchmarkAffine(b *testing.B) {
	const w, clamp = 6, 2
	for _, rows := range []int{8, 32, 256} {
		n := rows * w
		rng := rand.New(rand.NewPCG(1, 2))
		randn := func() []float32 {
			v := make([]float32, n)
			for i := range v {
				v[i] = float32(rng.NormFloat64())
			}
			return v
		}
		x, h := randn(), [][]float32{randn(), randn()}
		y, keep, d := make([]float32, n), make([]float32, n), make([]float32, n)
		dh := [][]float32{make([]float32, n), make([]float32, n)}
		logDet, dLogDet := make([]float64, rows), make([]float64, rows)
		b.Run(fmt.Sprintf("Forward%d", rows), func(b *testing.B) {
			for b.Loop() {
				Affine.Forward(y, x, h, keep, logDet, w, clamp)
			}
		})
		b.Run(fmt.Sprintf("Inverse%d", rows), func(b *testing.B) {
			for b.Loop() {
				Affine.Inverse(y, x, h, keep, clamp)
			}
		})
		b.Run(fmt.Sprintf("Backward%d", rows), func(b *testing.B) {
			for b.Loop() {
				copy(d, x)
				Affine.Backward(d, x, keep, dLogDet, w, clamp, dh)
			}
		})
		b.Run(fmt.Sprintf("InverseBackward%d", rows), func(b *testing.B) {
			for b.Loop() {
				copy(d, x)
				Affine.InverseBackward(d, x, keep, clamp, dh)
			}
		})
	}
}
