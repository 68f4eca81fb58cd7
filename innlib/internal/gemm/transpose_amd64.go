//go:build !purego

package gemm

import "unsafe"

// transpose8AVX2 transposes the top-left (rows&^7)×(cols&^7) of src into dst,
// in 8×8 blocks (transpose_amd64.s).
//
//go:noescape
func transpose8AVX2(dst, src *float32, rows, cols int)

// transposeBlocks transposes the whole 8×8 blocks of src and returns the
// rows and columns they covered.
func transposeBlocks(dst, src []float32, rows, cols int) (r8, c8 int) {
	r8, c8 = rows&^7, cols&^7
	if r8 == 0 || c8 == 0 {
		return 0, 0
	}
	transpose8AVX2(unsafe.SliceData(dst), unsafe.SliceData(src), rows, cols)
	return r8, c8
}
