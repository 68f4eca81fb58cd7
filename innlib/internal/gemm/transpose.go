package gemm

import "fmt"

// Transpose writes dst [cols×rows] = src [rows×cols]ᵀ, both row-major and
// contiguous. With the assembly kernels it moves 8×8 blocks through
// registers (transpose_amd64.s); the edges, and other builds, go through
// cache-sized tiles in Go. It copies values, so every kernel gives the same
// bits.
func Transpose(dst, src []float32, rows, cols int) {
	transposeKind(defaultKernel, dst, src, rows, cols)
}

func transposeKind(kind kernelKind, dst, src []float32, rows, cols int) {
	if rows < 0 || cols < 0 || len(src) < rows*cols || len(dst) < rows*cols {
		panic(fmt.Sprintf("gemm.Transpose: %d×%d matrix with %d values into %d", rows, cols, len(src), len(dst)))
	}
	r8, c8 := 0, 0
	if kind != kernelGo {
		r8, c8 = transposeBlocks(dst, src, rows, cols)
	}
	// What the blocks left: the columns past c8 of every row, then the rows
	// past r8 of the first c8 columns.
	transposeGo(dst, src, rows, cols, 0, rows, c8, cols)
	transposeGo(dst, src, rows, cols, r8, rows, 0, c8)
}

// transposeGo transposes rows [r0, r1) × columns [c0, c1) of src into dst,
// in tiles so that both sides stay in cache.
func transposeGo(dst, src []float32, rows, cols, r0, r1, c0, c1 int) {
	const tile = 16
	for rt := r0; rt < r1; rt += tile {
		re := min(rt+tile, r1)
		for ct := c0; ct < c1; ct += tile {
			ce := min(ct+tile, c1)
			for r := rt; r < re; r++ {
				for c, v := range src[r*cols+ct : r*cols+ce] {
					dst[(ct+c)*rows+r] = v
				}
			}
		}
	}
}
