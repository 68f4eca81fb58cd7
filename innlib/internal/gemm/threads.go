package gemm

import (
	"runtime"
	"sync/atomic"
)

// minFMAsPerThread is the work (m·n·k) each goroutine must get: waking a
// helper costs microseconds, and tens of them when other processes hold the
// cores (as measured: 256×128×128 ran at half speed on two goroutines). 4M
// multiply-adds take the assembly kernels 50-100 µs.
const minFMAsPerThread = 1 << 22

var maxThreads atomic.Int64 // 0: GOMAXPROCS

// SetMaxThreads limits the goroutines one product may use and returns the
// previous limit. n = 1 keeps every call on the calling goroutine (for callers
// that parallelise themselves); n ≤ 0 restores the default, GOMAXPROCS.
func SetMaxThreads(n int) (previous int) {
	return int(maxThreads.Swap(int64(max(n, 0))))
}

// threadsFor returns how many goroutines an m×n×k product should use.
func threadsFor(m, n, k int) int {
	t := int(maxThreads.Load())
	if t <= 0 {
		t = runtime.GOMAXPROCS(0)
	}
	work := int64(m) * int64(max(n, 1)) * int64(max(k, 1)) // overflows int on 32-bit
	return max(1, min(t, int(min(work/minFMAsPerThread, int64(t))), (m+tileRows-1)/tileRows))
}
