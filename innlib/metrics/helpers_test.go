package metrics

import (
	"math"
	"math/rand/v2"
	"testing"
)

// normals returns n draws of dim independent N(mean_j, sd²) values.
func normals(rng *rand.Rand, n int, mean []float64, sd float64) [][]float64 {
	x := make([][]float64, n)
	for i := range x {
		x[i] = make([]float64, len(mean))
		for j, m := range mean {
			x[i][j] = m + sd*rng.NormFloat64()
		}
	}
	return x
}

func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if !(math.Abs(got-want) <= tol) {
		t.Errorf("%s = %.12g, want %.12g ± %g", what, got, want, tol)
	}
}

func nearAll(t *testing.T, what string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: got %d values %v, want %d", what, len(got), got, len(want))
	}
	for i := range got {
		if !(math.Abs(got[i]-want[i]) <= tol) {
			t.Errorf("%s[%d] = %.12g, want %.12g ± %g", what, i, got[i], want[i], tol)
		}
	}
}
