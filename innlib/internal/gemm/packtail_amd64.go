//go:build !purego

package gemm

import "unsafe"

// packTailAVX2 is packTailGo for w = 8 or 16 and 0 < cols < w, k > 0
// (packtail_amd64.s).
//
//go:noescape
func packTailAVX2(dst, src *float32, k, ldb, cols, w int)

// packTailVector packs with AVX2 where it can and reports whether it did.
func packTailVector(pb, b []float32, k, ldb, cols, w int) bool {
	if !hasAVX2 || k <= 0 || (w != 8 && w != 16) || cols <= 0 || cols >= w {
		return false
	}
	if len(pb) < k*w || len(b) < (k-1)*ldb+cols {
		panic("gemm: internal error: packTail out of range")
	}
	packTailAVX2(unsafe.SliceData(pb), unsafe.SliceData(b), k, ldb, cols, w)
	return true
}
