package metrics

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat"
)

// Hand cases (tolerance 1e-15, a few exact float steps):
//   - {0,1} vs {1,2}: each unit of mass moves 1.
//   - {0} vs {0,2}: half the mass moves 2.
//   - {0,0,3} vs {1}: 2/3 moves 1 and 1/3 moves 2: 4/3 (different sizes).
func TestWasserstein1Hand(t *testing.T) {
	for _, c := range []struct {
		a, b []float64
		want float64
	}{
		{[]float64{0, 1}, []float64{1, 2}, 1},
		{[]float64{1, 0}, []float64{2, 1}, 1},
		{[]float64{0}, []float64{0, 2}, 1},
		{[]float64{0, 0, 3}, []float64{1}, 4.0 / 3},
		{[]float64{5, 5}, []float64{5}, 0},
	} {
		got, err := Wasserstein1(c.a, c.b)
		if err != nil {
			t.Fatal(err)
		}
		near(t, "W1", got, c.want, 1e-15)
		back, _ := Wasserstein1(c.b, c.a)
		near(t, "W1 swapped", back, c.want, 1e-15)
	}
	r, _ := Wasserstein1Range([]float64{0, 1}, []float64{1, 2}, 10, 14)
	near(t, "W1Range", r, 0.25, 1e-15)
}

// gonum's quadratic implementation must agree on random samples of unequal
// size with ties; 1e-12 allows for different summation order.
func TestWasserstein1MatchesGonum(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 1))
	a := make([]float64, 300)
	b := make([]float64, 217)
	for i := range a {
		a[i] = math.Round(10*rng.NormFloat64()) / 10 // Ties, within and across samples.
	}
	for i := range b {
		b[i] = math.Round(10*(0.3+1.5*rng.NormFloat64())) / 10
	}
	got, _ := Wasserstein1(a, b)
	near(t, "W1 vs gonum", got, stat.WassersteinDistance(a, b, nil, nil), 1e-12)
}

// W1 between N(0,1) and N(0.7,1) is 0.7. With 20000 draws each the sampling
// error of the empirical W1 is about 0.01; tolerance 0.03.
func TestWasserstein1Normals(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 9))
	a := normals(rng, 20000, []float64{0, 0}, 1)
	b := normals(rng, 20000, []float64{0.7, 0}, 1)
	w, err := Wasserstein1Columns(nil, a, b, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	nearAll(t, "W1 normals", w, []float64{0.7, 0}, 0.03)
	// Normalised by prior widths 7 and 1: 0.1 and 0, tolerance scaled too.
	wr, err := Wasserstein1Columns(nil, a, b, []float64{-3, -1}, []float64{4, 0})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "W1/range col 0", wr[0], 0.1, 0.03/7)
	near(t, "W1/range col 1", wr[1], 0, 0.03)
	if _, err := Wasserstein1Columns(nil, a, b, []float64{0}, nil); !errors.Is(err, ErrEmpty) && !errors.Is(err, ErrShape) {
		t.Errorf("half a box: err = %v, want an error", err)
	}
}
