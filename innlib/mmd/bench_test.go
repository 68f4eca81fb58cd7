package mmd

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkValueGrad256 is one MMD term of a bidirectional training step at
// batch 256 (8 columns, the five default kernels), with its gradient.
func BenchmarkValueGrad256(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	n, d := 256, 8
	x := make([]float32, n*d)
	y := make([]float32, n*d)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
		y[i] = float32(rng.NormFloat64())
	}
	gx := make([]float32, n*d)
	ks := Widths(0.2, 0.5, 1, 2, 5)
	for i := 0; i < b.N; i++ {
		ValueGrad(x, n, y, n, d, ks, gx)
	}
}

// BenchmarkSamples2000 is one posterior comparison of the main job: 2000
// draws against 2000, 8 parameters, the five default kernels.
func BenchmarkSamples2000(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	rows := func() [][]float64 {
		s := make([][]float64, 2000)
		for i := range s {
			s[i] = make([]float64, 8)
			for c := range s[i] {
				s[i][c] = rng.NormFloat64()
			}
		}
		return s
	}
	x, y := rows(), rows()
	ks := Widths(0.2, 0.5, 1, 2, 5)
	for i := 0; i < b.N; i++ {
		if _, err := Samples(x, y, ks); err != nil {
			b.Fatal(err)
		}
	}
}
