//go:build !purego

package fastmath

import "unsafe"

// expAVX2 and softClampAVX2 are Exp's and SoftClamp's Go loops on n values,
// n a multiple of 8 (exp_amd64.s).
//
//go:noescape
func expAVX2(dst, x *float32, n int)

//go:noescape
func softClampAVX2(dst, x *float32, n int, c float32)

// expVector does the first len(x) rounded down to 8 values with AVX2 and
// returns how many it did; softClampVector likewise.
func expVector(dst, x []float32) int {
	n := len(x) &^ 7
	if !hasAVX2 || n == 0 {
		return 0
	}
	expAVX2(unsafe.SliceData(dst), unsafe.SliceData(x), n)
	return n
}

func softClampVector(dst, x []float32, c float32) int {
	n := len(x) &^ 7
	if !hasAVX2 || n == 0 {
		return 0
	}
	softClampAVX2(unsafe.SliceData(dst), unsafe.SliceData(x), n, c)
	return n
}
