//go:build !purego

package fastmath

import "unsafe"

// siluDerivAVX2 is SiLUDeriv's Go loop on n values, n a multiple of 8
// (siluderiv_amd64.s).
//
//go:noescape
func siluDerivAVX2(dh, sig, h *float32, n int)

// siluDerivVector does the first len(dh) rounded down to 8 values with AVX2
// and returns how many it did.
func siluDerivVector(dh, sig, h []float32) int {
	n := len(dh) &^ 7
	if !hasAVX2 || n == 0 {
		return 0
	}
	siluDerivAVX2(unsafe.SliceData(dh), unsafe.SliceData(sig), unsafe.SliceData(h), n)
	return n
}
