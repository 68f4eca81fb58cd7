package gemm

import (
	"runtime"
	"sync"
	"time"
)

// PeakGFLOPS returns one core's measured float32 FMA peak, in GFLOP/s, for
// the kernel in use (Kernel): a loop of independent fused multiply-adds on
// 16-wide (avx512), 8-wide (avx2) registers, or scalar Go multiply-adds
// (go). It is lanes × 2 flops × FMA ports × clock, measured rather than
// assumed: it takes the clock the core actually runs at (turbo, or a
// hypervisor's share) and the number of FMA ports it has. It is timed by the
// thread's CPU clock (on Linux; wall time elsewhere), so that other processes
// sharing the core do not lower it, and the best of ten 20 ms runs is kept,
// measured once per process and kernel.
func PeakGFLOPS() float64 { return peakGFLOPS(defaultKernel) }

// PeakGFLOPSAVX2 is PeakGFLOPS for 8-wide AVX2 registers, whatever the
// kernel in use: the peak of the loops outside gemm that are written for
// AVX2 (the MMD terms, the activations), also on a CPU with AVX-512. It
// is the Go peak on a CPU without AVX2.
func PeakGFLOPSAVX2() float64 {
	if hasAVX2 {
		return peakGFLOPS(kernelAVX2)
	}
	return peakGFLOPS(kernelGo)
}

var peaks sync.Map // kernelKind -> float64

func peakGFLOPS(kind kernelKind) float64 {
	if v, ok := peaks.Load(kind); ok {
		return v.(float64)
	}
	iters, flopsPerIter := 1<<14, 0.0
	var loop func(int)
	switch kind {
	case kernelAVX512:
		loop, flopsPerIter = fmaLoopAVX512, 12*16*2
	case kernelAVX2:
		loop, flopsPerIter = fmaLoopAVX2, 12*8*2
	default:
		loop, flopsPerIter = goFMALoop, 12*2
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	best := 0.0
	for range 10 {
		start, n := threadTime(), 0
		for threadTime()-start < 20*time.Millisecond {
			loop(iters)
			n += iters
		}
		best = max(best, float64(n)*flopsPerIter/(threadTime()-start).Seconds()/1e9)
	}
	peaks.Store(kind, best)
	return best
}

// goFMALoop is the pure-Go kernel's peak: twelve independent scalar
// multiply-add chains (Go does not fuse them below GOAMD64=v3, so each is a
// multiply and an add).
func goFMALoop(n int) {
	var s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11 float32
	a, b := peakA, peakB // package variables: the compiler cannot fold them
	for range n {
		s0 = s0*a + b
		s1 = s1*a + b
		s2 = s2*a + b
		s3 = s3*a + b
		s4 = s4*a + b
		s5 = s5*a + b
		s6 = s6*a + b
		s7 = s7*a + b
		s8 = s8*a + b
		s9 = s9*a + b
		s10 = s10*a + b
		s11 = s11*a + b
	}
	peakSink = s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7 + s8 + s9 + s10 + s11
}

var peakA, peakB, peakSink float32 = 0.5, 1, 0

var processStart = time.Now()

// wallTime is a monotonic clock for threadTime's fallback.
func wallTime() time.Duration { return time.Since(processStart) }
