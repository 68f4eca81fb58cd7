package metrics

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// Hand case x = 1,2,3, y = 2,4,7: Σdx·dy = 5, Σdx² = 2, Σdy² = 114/9,
// r = 5/sqrt(2·114/9). Tolerance 1e-14.
func TestPearsonHand(t *testing.T) {
	r, err := Pearson([]float64{1, 2, 3}, []float64{2, 4, 7})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "r", r, 5/math.Sqrt(2*114.0/9), 1e-14)
	if _, err := Pearson([]float64{1, 2, 3}, []float64{1, 1, 1}); !errors.Is(err, ErrDomain) {
		t.Errorf("constant y: err = %v, want ErrDomain", err)
	}
}

// Columns 1 and 2 with correlation 0.6: with 5000 draws the standard error is
// (1 − ρ²)/√n ≈ 0.009; tolerance 0.03.
func TestColumnPearson(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	s := normals(rng, 5000, []float64{0, 0, 0}, 1)
	for _, r := range s {
		r[2] = 0.6*r[1] + 0.8*r[2]
	}
	r, err := ColumnPearson(s, 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "r(1,2)", r, 0.6, 0.03)
	if _, err := ColumnPearson(s, 1, 3); !errors.Is(err, ErrDomain) {
		t.Errorf("column 3 of 3: err = %v, want ErrDomain", err)
	}
}
