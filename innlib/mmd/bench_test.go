package mmd

import (
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/ozarkinn/inn/innlib/internal/gemm"
)

// BenchmarkValueGrad256 is one MMD term of a bidirectional training step at
// batch 256 (8 columns, the five default kernels), with its gradient. It
// reports GFLOP/s counting every add, multiply and division as one flop
// (per pair: 3d for the distance, 6 per kernel, 3d for the gradient; the
// y–y pairs once each, without gradient) and that rate as a share of one
// core's AVX2 FMA peak (gemm.PeakGFLOPSAVX2, which counts an FMA as two
// flops, so this loop of plain operations tops out near half of it); run it
// with -cpu 1 for the share of one core.
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
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ValueGrad(x, n, y, n, d, ks, gx)
	}
	perKernel := 6.0
	withGrad := float64(2*n*n) * (6*float64(d) + perKernel*float64(len(ks)))
	without := float64(n*(n-1)/2) * (3*float64(d) + perKernel*float64(len(ks)))
	gflops := (withGrad + without) * float64(b.N) / b.Elapsed().Seconds() / 1e9
	b.ReportMetric(gflops, "GFLOP/s")
	b.ReportMetric(100*gflops/(gemm.PeakGFLOPSAVX2()*float64(runtime.GOMAXPROCS(0))), "%peak")
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
