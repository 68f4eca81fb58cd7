//go:build !purego

package optim

import (
	"unsafe"

	"golang.org/x/sys/cpu"
)

var hasAVX2 = cpu.X86.HasAVX2

// adamAVX2 is adamGo on n float32 values, n a multiple of 8, setting the
// gradients to zero after reading them if zero is not 0 (adam_amd64.s).
//
//go:noescape
func adamAVX2(p, grad, m1, m2 *float32, n int, k *adamConsts, zero int)

// adamVector updates the first len(p) rounded down to 8 values with AVX2
// (zeroing their gradients if zero is set) and returns how many it did.
func adamVector(p, g, m1, m2 []float32, k *adamConsts, zero bool) int {
	n := len(p) &^ 7
	if !hasAVX2 || n == 0 {
		return 0
	}
	if len(g) < n || len(m1) < n || len(m2) < n {
		panic("optim: internal error: Adam's gradients or moments shorter than its parameters")
	}
	adamAVX2(unsafe.SliceData(p), unsafe.SliceData(g), unsafe.SliceData(m1), unsafe.SliceData(m2), n, k, b2i(zero))
	return n
}

// hasVector says that the AVX2 loops of vector.go may run.
var hasVector = hasAVX2 && cpu.X86.HasFMA

// The AVX2 loops of DotSq, AddSq and ProjectSq on n values, n a multiple of
// 16 (vector_amd64.s).
//
//go:noescape
func dotSqAVX2(x, y *float32, n int) (xy, yy float64)

//go:noescape
func addSqAVX2(dst, x *float32, n, zero int) (sq float64)

//go:noescape
func projectSqAVX2(dst, x *float32, n int, c float32, zero int) (sq float64)

func dotSqVector(x, y []float32) (xy, yy float64) {
	return dotSqAVX2(unsafe.SliceData(x), unsafe.SliceData(y), len(x))
}

func addSqVector(dst, x []float32, zero bool) float64 {
	return addSqAVX2(unsafe.SliceData(dst), unsafe.SliceData(x), len(dst), b2i(zero))
}

func projectSqVector(dst, x []float32, c float32, zero bool) float64 {
	return projectSqAVX2(unsafe.SliceData(dst), unsafe.SliceData(x), len(dst), c, b2i(zero))
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
