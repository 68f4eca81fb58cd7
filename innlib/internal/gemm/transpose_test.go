package gemm

import (
	"fmt"
	"testing"
)

// Transpose moves every value to its transposed place, for shapes with and
// without whole 8×8 blocks and ragged edges, on every kernel this CPU runs;
// dst values outside the matrix are not touched.
func TestTranspose(t *testing.T) {
	for _, kind := range kinds(t) {
		for _, rows := range []int{0, 1, 7, 8, 9, 16, 30, 33} {
			for _, cols := range []int{0, 1, 5, 8, 13, 16, 24, 128} {
				src := make([]float32, rows*cols)
				for i := range src {
					src[i] = float32(i) + 0.5
				}
				dst := make([]float32, rows*cols+3)
				for i := range dst {
					dst[i] = -1
				}
				transposeKind(kind, dst, src, rows, cols)
				for r := 0; r < rows; r++ {
					for c := 0; c < cols; c++ {
						if got := dst[c*rows+r]; got != src[r*cols+c] {
							t.Fatalf("%s %d×%d: dst[%d][%d] = %v, want %v", kind, rows, cols, c, r, got, src[r*cols+c])
						}
					}
				}
				for i := rows * cols; i < len(dst); i++ {
					if dst[i] != -1 {
						t.Fatalf("%s %d×%d: dst[%d] past the matrix written", kind, rows, cols, i)
					}
				}
			}
		}
	}
}

func BenchmarkTranspose(b *testing.B) {
	for _, kind := range kinds(b) {
		b.Run(fmt.Sprint(kind), func(b *testing.B) {
			src, dst := make([]float32, 128*128), make([]float32, 128*128)
			for b.Loop() {
				transposeKind(kind, dst, src, 128, 128)
			}
		})
	}
}

// packTail (AVX2 masked loads where the CPU has them) copies exactly what
// the Go loop does: every width, column count, row count and row stride,
// with the source ending right after its last column read.
func TestPackTailMatchesGo(t *testing.T) {
	for _, w := range []int{8, 16} {
		for cols := 1; cols < w; cols++ {
			for _, k := range []int{1, 2, 7} {
				for _, ldb := range []int{cols, cols + 3, 40} {
					b := make([]float32, (k-1)*ldb+cols)
					for i := range b {
						b[i] = float32(i + 1)
					}
					got, want := make([]float32, k*w), make([]float32, k*w)
					for i := range got {
						got[i], want[i] = -1, -1
					}
					packTail(got, b, k, ldb, cols, w)
					packTailGo(want, b, k, ldb, cols, w)
					for i := range got {
						if got[i] != want[i] {
							t.Fatalf("w %d, cols %d, k %d, ldb %d: value %d = %g, want %g", w, cols, k, ldb, i, got[i], want[i])
						}
					}
					for r := 0; r < k; r++ {
						if want[r*w] != b[r*ldb] || want[r*w+w-1] != 0 {
							t.Fatalf("w %d, cols %d: the Go loop's row %d is wrong", w, cols, r)
						}
					}
				}
			}
		}
	}
}
