//go:build !purego

package gemm

import "unsafe"

// addColSumsAVX2 sums the first cols8 columns (a multiple of 8) of src
// onto dst (colsums_amd64.s).
//
//go:noescape
func addColSumsAVX2(dst, src *float32, rows, cols, cols8 int)

// addColSumsVector sums the columns below cols rounded down to 8 with AVX2,
// where the CPU has it, and returns how many columns it did.
func addColSumsVector(dst, src []float32, rows, cols int) int {
	c8 := cols &^ 7
	if !hasAVX2 || c8 == 0 || rows <= 0 {
		return 0
	}
	addColSumsAVX2(unsafe.SliceData(dst), unsafe.SliceData(src), rows, cols, c8)
	return c8
}
