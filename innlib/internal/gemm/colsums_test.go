package gemm

import (
	"math"
	"math/rand/v2"
	"testing"
)

// AddColSums gives the bits of the plain loop (each column summed onto dst
// row by row), for widths around the vector blocks of 8 and 32.
func TestAddColSumsMatchesLoop(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	for _, rows := range []int{0, 1, 3, 32} {
		for _, cols := range []int{1, 7, 8, 13, 31, 32, 33, 72, 128} {
			src := make([]float32, rows*cols)
			for i := range src {
				src[i] = float32(rng.NormFloat64())
			}
			got, want := make([]float32, cols), make([]float32, cols)
			for j := range got {
				got[j] = float32(rng.NormFloat64())
				want[j] = got[j]
			}
			AddColSums(got, src, rows, cols)
			for r := 0; r < rows; r++ {
				for j := 0; j < cols; j++ {
					want[j] += src[r*cols+j]
				}
			}
			for j := range got {
				if math.Float32bits(got[j]) != math.Float32bits(want[j]) {
					t.Fatalf("%d×%d: column %d = %g, want %g", rows, cols, j, got[j], want[j])
				}
			}
		}
	}
}
