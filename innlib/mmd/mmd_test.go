package mmd

import (
	"math"
	"math/rand/v2"
	"testing"
)

func normalSample(rng *rand.Rand, n, d int, shift float64) [][]float64 {
	s := make([][]float64, n)
	for i := range s {
		s[i] = make([]float64, d)
		for j := range s[i] {
			s[i][j] = rng.NormFloat64() + shift
		}
	}
	return s
}

func TestIdenticalSamplesGiveZero(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	x := normalSample(rng, 50, 3, 0)
	v, err := Samples(x, x, Widths(0.2, 1, 3))
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(v) > 1e-12 {
		t.Fatalf("MMD of a sample with itself = %g, want 0", v)
	}
}

func TestGrowsWithShift(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	x := normalSample(rng, 200, 2, 0)
	prev := -1.0
	for _, shift := range []float64{0, 0.25, 0.5, 1, 2} {
		y := normalSample(rand.New(rand.NewPCG(3, 3)), 200, 2, shift)
		v, err := Samples(x, y, Widths(0.5, 1, 2))
		if err != nil {
			t.Fatal(err)
		}
		if v <= prev {
			t.Fatalf("MMD at shift %g is %g, not above %g at the smaller shift", shift, v, prev)
		}
		prev = v
	}
}

// TestHandComputed: x = {0, 1}, y = {2} in one dimension, one kernel C = 1, A = 1.
// Kxx: pairs d² = 0,1,1,0 -> (1 + 1/2 + 1/2 + 1)/4 = 0.75.
// Kyy: 1.  Kxy: d² = 4, 1 -> (1/5 + 1/2)/2 = 0.35.
// MMD² = 0.75 + 1 − 0.7 = 1.05.
// With A = 2, C = 1: Kxx = (1 + 1/4 + 1/4 + 1)/4 = 0.625, Kxy = (1/25 + 1/4)/2 = 0.145
// -> 0.625 + 1 − 0.29 = 1.335.
func TestHandComputed(t *testing.T) {
	x := [][]float64{{0}, {1}}
	y := [][]float64{{2}}
	for _, c := range []struct {
		k    Kernel
		want float64
	}{{Kernel{C: 1, A: 1}, 1.05}, {Kernel{C: 1, A: 2}, 1.335}} {
		got, err := Samples(x, y, []Kernel{c.k})
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(got-c.want) > 1e-12 {
			t.Errorf("kernel %+v: MMD² = %.15g, want %g", c.k, got, c.want)
		}
	}
}

func TestBadInput(t *testing.T) {
	if _, err := Samples(nil, [][]float64{{1}}, Widths(1)); err == nil {
		t.Error("empty sample: want an error")
	}
	if _, err := Samples([][]float64{{1, 2}}, [][]float64{{1}}, Widths(1)); err == nil {
		t.Error("ragged rows: want an error")
	}
	if _, err := Samples([][]float64{{1}}, [][]float64{{1}}, []Kernel{{C: -1, A: 1}}); err == nil {
		t.Error("negative C: want an error")
	}
}

func TestValueGradMatchesSamplesAndFiniteDifferences(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	n, m, d := 7, 5, 3
	x := make([]float32, n*d)
	y := make([]float32, m*d)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	for i := range y {
		y[i] = float32(rng.NormFloat64() + 0.5)
	}
	ks := []Kernel{{C: 0.5, A: 1}, {C: 2, A: 0.7}}
	rows := func(v []float32, r int) [][]float64 { return toRows(v, r, d) }
	gx := make([]float32, n*d)
	got := ValueGrad(x, n, y, m, d, ks, gx)
	want, err := Samples(rows(x, n), rows(y, m), ks)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(got-want) > 1e-9 {
		t.Fatalf("value %g, Samples gives %g", got, want)
	}
	// Central differences in float64 through Samples.
	xs := rows(x, n)
	const eps = 1e-5
	for i := 0; i < n; i++ {
		for c := 0; c < d; c++ {
			old := xs[i][c]
			xs[i][c] = old + eps
			lp, _ := Samples(xs, rows(y, m), ks)
			xs[i][c] = old - eps
			lm, _ := Samples(xs, rows(y, m), ks)
			xs[i][c] = old
			fd := (lp - lm) / (2 * eps)
			if math.Abs(fd-float64(gx[i*d+c])) > 1e-5 {
				t.Fatalf("gradient [%d,%d] = %g, finite differences %g", i, c, gx[i*d+c], fd)
			}
		}
	}
}

// Floor is the mean of the estimate for equal distributions: simulated
// batches of paired samples that share 5 coordinates and draw 3 afresh
// average what Floor predicts, at two batch sizes, and the ratio follows 1/n.
func TestFloorMatchesSimulation(t *testing.T) {
	ks := Widths(0.2, 0.5, 1, 2, 5)
	r := rand.New(rand.NewPCG(4, 4))
	sim := func(n, reps int) float64 {
		var sum float64
		for range reps {
			a, b := make([][]float64, n), make([][]float64, n)
			for i := range a {
				a[i], b[i] = make([]float64, 8), make([]float64, 8)
				for j := range 8 {
					if j < 3 {
						a[i][j], b[i][j] = r.NormFloat64(), r.NormFloat64()
					} else {
						a[i][j] = r.NormFloat64()
						b[i][j] = a[i][j]
					}
				}
			}
			v, err := Samples(a, b, ks)
			if err != nil {
				t.Fatal(err)
			}
			sum += v
		}
		return sum / float64(reps)
	}
	d2 := GaussianGapDraws(3, 200000, 1)
	for _, n := range []int{10, 32, 200} {
		want, err := Floor(n, d2, ks)
		if err != nil {
			t.Fatal(err)
		}
		reps := 4000 / n
		got := sim(n, reps)
		// The estimate's sd over batches is about its mean here; with
		// reps batches the mean's error is ~1/sqrt(reps) of it (< 16%).
		if math.Abs(got-want) > 0.2*want {
			t.Errorf("n = %d: simulated mean %.4g, Floor %.4g", n, got, want)
		}
	}
	f32, _ := Floor(32, d2, ks)
	f200, _ := Floor(200, d2, ks)
	if math.Abs(f32/f200-200.0/32) > 1e-9 {
		t.Errorf("Floor(32)/Floor(200) = %v, want 200/32", f32/f200)
	}
	if _, err := Floor(0, d2, ks); err == nil {
		t.Error("n = 0 gave no error")
	}
	if _, err := Floor(5, []float64{-1}, ks); err == nil {
		t.Error("a negative squared distance gave no error")
	}
}

// toRows returns the r rows of d values of v as float64 points.
func toRows(v []float32, r, d int) [][]float64 {
	out := make([][]float64, r)
	for i := range out {
		for c := 0; c < d; c++ {
			out[i] = append(out[i], float64(v[i*d+c]))
		}
	}
	return out
}
