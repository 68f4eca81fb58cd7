//go:build !purego

package fastmath

import "unsafe"

// scaleBySignAVX2 is scaleBySignGo on n values, n a multiple of 8
// (signscale_amd64.s).
//
//go:noescape
func scaleBySignAVX2(dh, z *float32, n int, pos, neg float32)

// scaleBySignVector does the first len(z) rounded down to 8 values with
// AVX2 and returns how many it did.
func scaleBySignVector(dh, z []float32, pos, neg float32) int {
	n := len(z) &^ 7
	if !hasAVX2 || n == 0 {
		return 0
	}
	scaleBySignAVX2(unsafe.SliceData(dh), unsafe.SliceData(z), n, pos, neg)
	return n
}
