// Package gemm multiplies row-major float32 matrices fast enough to evaluate
// trained networks on the CPU. GoMLX's pure-Go backend reaches only a few
// GFLOP/s on the tall, narrow products of a coupling network ([B,8]·[8,128],
// [B,128]·[128,128], [B,128]·[128,8]); this package aims at tens of GFLOP/s
// per core.
//
// A weight matrix is multiplied many times, so it is packed once into
// contiguous column panels (Pack); MatMul also accepts an unpacked B and copies
// only a ragged last panel. Dense fuses the bias and a leaky ReLU into the
// product, so that the output is written once.
//
//	w := gemm.Pack(weights, k, n, n)            // weights: k×n, row-major
//	gemm.Dense(h, x, rows, w, bias, 0.01, true) // h = leakyReLU(x·w + bias)
//	w.MulTo(c, n, a, k, rows, false)            // c = a·w
//	gemm.MatMul(m, n, k, a, k, b, n, c, n, true) // c += a·b
//
// Training, whose weights change every step, reads them in place:
// DenseUnpacked is Dense on an unpacked B, and MatMulTA computes Aᵀ·B (a
// layer's weight gradient, inᵀ·dz) reading A's columns in place instead of
// transposing it.
//
//	gemm.DenseUnpacked(h, x, rows, k, n, weights, bias, 0.01, true)
//	gemm.MatMulTA(k, n, rows, x, k, dz, n, gradW, n, true) // gradW += xᵀ·dz
//
// The input gradient dz·Wᵀ needs Wᵀ, whose rows the kernels read as panels:
// training transposes each weight matrix once per step (Transpose, 8×8
// blocks in AVX2 registers) and reuses it in every backward pass of the
// step. Products on unpacked matrices take their panel lists from a pool, so
// a training step does not allocate in here.
//
// A micro-kernel computes a tile of up to 6 rows of C from a 16- or 8-column
// panel of B. On amd64 it is assembly: AVX2+FMA (kernel_amd64.s), with
// AVX-512 for pairs of 16-column panels where the CPU has it
// (kernel_avx512_amd64.s). Elsewhere, or built with -tags purego, a
// register-blocked pure-Go kernel runs. Kernel reports which. The
// environment variable INNLIB_GEMM_KERNEL (KernelEnv) = avx2 or go caps the
// choice, to measure on an AVX-512 machine what an AVX2-only machine (or
// the fallback) gets.
//
// The benchmarks report GFLOP/s and their share (%peak) of the FMA peak of
// the cores they use, PeakGFLOPS: one core's rate on a loop of independent
// FMAs, measured (not assumed) on the thread's CPU clock. On the development
// VM (Intel Xeon, 2.1 GHz, 2 FMA ports) it is 67 GFLOP/s per core with AVX2
// (8 lanes × 2 flops × 2 ports × 2.1 GHz) and 139 with AVX-512.
//
// Products large enough to pay for goroutines are split by rows over up to
// GOMAXPROCS goroutines; SetMaxThreads(1) keeps every call on the calling
// goroutine, for callers that parallelise themselves, and DenseSerial keeps
// one call there. When other processes
// keep the cores busy the split can cost more than it saves; measure.
//
// Results do not depend on the number of goroutines or on the leading
// dimensions: each element of C is summed over k in a fixed order. The kernels
// round differently from one another (the assembly fuses each multiply-add;
// the 8-column and single-panel AVX-512 kernels sum even and odd k apart),
// always within the classical bound for a float32 dot product,
// |error| ≲ k·2⁻²⁴·Σ|aᵢbᵢ| (the tests allow (k+4)·2⁻²⁴ of Σ|aᵢbᵢ| + |bias| + |old C|).
package gemm
