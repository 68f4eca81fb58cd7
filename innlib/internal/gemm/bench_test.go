package gemm

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
)

// Network shapes: the 128-wide hidden layer, the input and output layers of a
// coupling subnetwork on a 10,000-sample batch, and the MCMC case of 8 walkers.
var benchShapes = [][3]int{ // m, k, n
	{8, 7, 128}, // an MCMC half-ensemble through a flow subnetwork's first layer
	{10000, 128, 128},
	{10000, 8, 128},
	{10000, 128, 8},
	{8, 128, 128},
	{256, 128, 128},
}

// BenchmarkMulTo reports GFLOP/s (2mnk per product) for each kernel, on one
// goroutine (t1) and with the default split (tN).
func BenchmarkMulTo(b *testing.B) {
	for _, s := range benchShapes {
		m, k, n := s[0], s[1], s[2]
		rng := rand.New(rand.NewPCG(1, 1))
		a, c := randMatrix(rng, m, k, k), make([]float32, m*n)
		w := Pack(randMatrix(rng, k, n, n), k, n, n)
		for _, kind := range kinds(b) {
			for _, threads := range []int{1, 0} {
				name := fmt.Sprintf("%dx%dx%d/%s/t%d", m, k, n, kind, threads)
				if threads == 0 {
					name = fmt.Sprintf("%dx%dx%d/%s/tN", m, k, n, kind)
				}
				b.Run(name, func(b *testing.B) {
					defer SetMaxThreads(SetMaxThreads(threads))
					for b.Loop() {
						w.mulTo(kind, c, n, a, k, m, false)
					}
					reportFlops(b, 2*float64(m*n*k), kind, threads)
				})
			}
		}
	}
}

// BenchmarkMatMul is the unpacked path (B read in place), single goroutine.
func BenchmarkMatMul(b *testing.B) {
	for _, s := range benchShapes {
		m, k, n := s[0], s[1], s[2]
		rng := rand.New(rand.NewPCG(1, 1))
		a, bm, c := randMatrix(rng, m, k, k), randMatrix(rng, k, n, n), make([]float32, m*n)
		b.Run(fmt.Sprintf("%dx%dx%d/%s/t1", m, k, n, defaultKernel), func(b *testing.B) {
			defer SetMaxThreads(SetMaxThreads(1))
			for b.Loop() {
				matMul(defaultKernel, m, n, k, a, k, bm, n, c, n, false)
			}
			reportFlops(b, 2*float64(m*n*k), defaultKernel, 1)
		})
	}
}

// BenchmarkDense is the fused layer (bias + leaky ReLU), single goroutine.
func BenchmarkDense(b *testing.B) {
	for _, s := range benchShapes {
		m, k, n := s[0], s[1], s[2]
		rng := rand.New(rand.NewPCG(1, 1))
		a, out := randMatrix(rng, m, k, k), make([]float32, m*n)
		w, bias := Pack(randMatrix(rng, k, n, n), k, n, n), randMatrix(rng, 1, n, n)
		b.Run(fmt.Sprintf("%dx%dx%d/%s/t1", m, k, n, defaultKernel), func(b *testing.B) {
			defer SetMaxThreads(SetMaxThreads(1))
			for b.Loop() {
				dense(defaultKernel, out, a, m, w, bias, 0.01, true)
			}
			reportFlops(b, 2*float64(m*n*k), defaultKernel, 1)
		})
	}
}

// reportFlops reports GFLOP/s for flops per iteration, and their share of the
// FMA peak of the cores used: PeakGFLOPS of kind (one core, measured) times
// the goroutines (threads; 0 is GOMAXPROCS).
func reportFlops(b *testing.B, flops float64, kind kernelKind, threads int) {
	gflops := flops * float64(b.N) / b.Elapsed().Seconds() / 1e9
	b.ReportMetric(gflops, "GFLOP/s")
	if threads <= 0 {
		threads = runtime.GOMAXPROCS(0)
	}
	b.ReportMetric(100*gflops/(peakGFLOPS(kind)*float64(threads)), "%peak")
}

// BenchmarkPeak measures one core's FMA peak for each kernel (PeakGFLOPS)
// and the clock it implies: the peak over lanes × 2 flops × 2 FMA ports.
func BenchmarkPeak(b *testing.B) {
	for _, kind := range kinds(b) {
		b.Run(kind.String(), func(b *testing.B) {
			peaks.Delete(kind)
			var p float64
			for b.Loop() {
				p = peakGFLOPS(kind)
				peaks.Delete(kind)
			}
			lanes := map[kernelKind]float64{kernelGo: 1, kernelAVX2: 8, kernelAVX512: 16}[kind]
			b.ReportMetric(p, "GFLOP/s")
			b.ReportMetric(p/(lanes*2*2), "GHz_if_2_FMA_ports")
		})
	}
}

// BenchmarkWeightGrad is a dense layer's weight gradient inᵀ·dz for a shard
// of 128 rows of a 128-wide layer: MatMulTA reading in's columns in place,
// against a plain transpose of in and a product (training transposed, in
// tiles, before MatMulTA).
func BenchmarkWeightGrad(b *testing.B) {
	rows, in, out := 128, 128, 128
	rng := rand.New(rand.NewPCG(1, 1))
	x, dz, g := randMatrix(rng, rows, in, in), randMatrix(rng, rows, out, out), make([]float32, in*out)
	xt := make([]float32, in*rows)
	for _, kind := range kinds(b) {
		b.Run("MatMulTA/"+kind.String(), func(b *testing.B) {
			defer SetMaxThreads(SetMaxThreads(1))
			for b.Loop() {
				matMulTA(kind, in, out, rows, x, in, dz, out, g, out, true)
			}
			reportFlops(b, 2*float64(rows*in*out), kind, 1)
		})
		b.Run("TransposeMatMul/"+kind.String(), func(b *testing.B) {
			defer SetMaxThreads(SetMaxThreads(1))
			for b.Loop() {
				for r := 0; r < rows; r++ {
					for c := 0; c < in; c++ {
						xt[c*rows+r] = x[r*in+c]
					}
				}
				matMul(kind, in, out, rows, xt, rows, dz, out, g, out, true)
			}
			reportFlops(b, 2*float64(rows*in*out), kind, 1)
		})
	}
}
