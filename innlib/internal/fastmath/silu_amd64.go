//go:build !purego

package fastmath

import (
	"unsafe"

	"golang.org/x/sys/cpu"
)

var hasAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// siluAVX2 is siluGo on n values, n a multiple of 8 (silu_amd64.s).
//
//go:noescape
func siluAVX2(dst, sig, x *float32, n int)

// siluVector computes the first len(x) rounded down to 8 values with AVX2
// and returns how many it did.
func siluVector(dst, sig, x []float32) int {
	n := len(x) &^ 7
	if !hasAVX2 || n == 0 {
		return 0
	}
	if len(dst) < n || sig != nil && len(sig) < n {
		panic("fastmath: internal error: SiLU output shorter than its input")
	}
	var sp *float32
	if sig != nil {
		sp = unsafe.SliceData(sig)
	}
	siluAVX2(unsafe.SliceData(dst), sp, unsafe.SliceData(x), n)
	return n
}
