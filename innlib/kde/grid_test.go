package kde

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// correlated returns n points (x, 0.3 + 2·(0.7x + 0.71y)): a tilted ridge,
// so the whitening has a cross term.
func correlated(seed uint64, n int) [][]float64 {
	x, y := normals(seed, n), normals(seed+100, n)
	rows := make([][]float64, n)
	for i := range rows {
		rows[i] = []float64{x[i], 0.3 + 2*(0.7*x[i]+0.71*y[i])}
	}
	return rows
}

func linspace(lo, hi float64, n int) []float64 {
	g := make([]float64, n)
	for i := range g {
		g[i] = lo + (hi-lo)*float64(i)/float64(n-1)
	}
	return g
}

// gridMatchesDensity checks every node of k.Grid against Density, which
// evaluates the kernel sum point by point: relative 1e-11 where the density
// is above 1e-12 of its peak (below that the two can differ in which terms
// of size e^−40.5 sit at the cutoff), absolute 1e-12 of the peak elsewhere.
func gridMatchesDensity(t *testing.T, name string, k *Multivariate, gx, gy []float64) {
	t.Helper()
	z, err := k.Grid(gx, gy)
	if err != nil {
		t.Fatal(err)
	}
	if len(z) != len(gy) {
		t.Fatalf("%s: %d rows, want %d", name, len(z), len(gy))
	}
	want := make([][]float64, len(gy))
	peak := 0.0
	for j, y := range gy {
		want[j] = make([]float64, len(gx))
		for i, x := range gx {
			want[j][i] = k.Density([]float64{x, y})
			peak = max(peak, want[j][i])
		}
	}
	if peak == 0 {
		t.Fatalf("%s: density 0 everywhere on the grid: the test grid misses the points", name)
	}
	bad := 0
	for j := range gy {
		if len(z[j]) != len(gx) {
			t.Fatalf("%s: row %d has %d values, want %d", name, j, len(z[j]), len(gx))
		}
		for i := range gx {
			g, w := z[j][i], want[j][i]
			tol := 1e-12 * peak
			if w > tol {
				tol = 1e-11 * w
			}
			if math.Abs(g-w) > tol && bad < 5 {
				bad++
				t.Errorf("%s: at (%g, %g) Grid %.17g, Density %.17g", name, gx[i], gy[j], g, w)
			}
		}
	}
}

func TestGridMatchesDensity(t *testing.T) {
	pts := correlated(7, 3000)
	k, err := NewMultivariate(pts, Scott)
	if err != nil {
		t.Fatal(err)
	}
	// Around the points, and a grid far wider than them (most nodes beyond
	// the cutoff of most points; steps of several kernel widths).
	gridMatchesDensity(t, "60×60 around the points", k, linspace(-4, 4, 60), linspace(-6, 7, 60))
	gridMatchesDensity(t, "wide grid", k, linspace(-300, 200, 61), linspace(-40, 50, 37))
	// x decreasing, and a grid covering part of the points only.
	gridMatchesDensity(t, "decreasing x, partial", k, linspace(1.5, -0.5, 25), linspace(0, 3, 9))
	// Unevenly spaced x: the point-by-point path.
	gridMatchesDensity(t, "uneven x", k, []float64{-2, -1, 0, 0.3, 2}, linspace(-3, 3, 7))
	// Binned (weighted) points and an explicit kernel.
	kb, err := k.Binned(64)
	if err != nil {
		t.Fatal(err)
	}
	gridMatchesDensity(t, "binned", kb, linspace(-4, 4, 40), linspace(-6, 7, 45))
	kh, err := NewMultivariateCov(pts, mat.NewSymDense(2, []float64{0.04, -0.01, -0.01, 0.09}))
	if err != nil {
		t.Fatal(err)
	}
	gridMatchesDensity(t, "explicit kernel", kh, linspace(-4, 4, 50), linspace(-6, 7, 50))
}

// The grid of the three hand-computed points (TestMultivariateThreePoints)
// holds the values computed in Python.
func TestGridThreePoints(t *testing.T) {
	k, err := NewMultivariate([][]float64{{0, 0}, {1, 2}, {3, 1}}, Scott)
	if err != nil {
		t.Fatal(err)
	}
	z, err := k.Grid([]float64{0, 0.5, 1}, []float64{0.2, 1})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "f(1, 1)", z[1][2], 0.060550160363845404, 1e-13)
	near(t, "f(0.5, 0.2)", z[0][1], 0.06083744515484701, 1e-13)
}

func TestGridErrors(t *testing.T) {
	k, err := NewMultivariate([][]float64{{0, 0, 1}, {1, 2, 0}, {3, 1, 1}, {2, 2, 2}}, Scott)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := k.Grid([]float64{0, 1}, []float64{0, 1}); err == nil {
		t.Error("Grid of a 3-D estimate: no error")
	}
	k2, err := NewMultivariate([][]float64{{0, 0}, {1, 2}, {3, 1}}, Scott)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := k2.Grid([]float64{0, math.NaN(), 1}, []float64{0, 1}); err == nil {
		t.Error("Grid with a NaN node: no error")
	}
}

func BenchmarkGrid60(b *testing.B) {
	k, err := NewMultivariate(correlated(7, 10000), Scott)
	if err != nil {
		b.Fatal(err)
	}
	gx, gy := linspace(-4, 4, 60), linspace(-6, 7, 60)
	b.Run("Grid", func(b *testing.B) {
		for b.Loop() {
			if _, err := k.Grid(gx, gy); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Density", func(b *testing.B) {
		t := make([]float64, 2)
		for b.Loop() {
			for _, y := range gy {
				for _, x := range gx {
					t[0], t[1] = x, y
					k.Density(t)
				}
			}
		}
	})
}

func TestUnivariateGridMatchesDensity(t *testing.T) {
	x := normals(11, 5000)
	k, err := NewUnivariate(x, Scott)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := k.Binned(2048)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		k    *Univariate
		grid []float64
	}{
		{"around the points", k, linspace(-4, 4, 200)},
		{"binned", kb, linspace(-4, 4, 200)},
		{"wide, steps of several widths", kb, linspace(-300, 200, 101)},
		{"decreasing, partial", kb, linspace(1, -0.5, 30)},
		{"uneven", kb, []float64{-1, 0, 0.1, 2}},
	} {
		got := c.k.Grid(c.grid)
		peak := 0.0
		want := make([]float64, len(c.grid))
		for i, g := range c.grid {
			want[i] = c.k.Density(g)
			peak = max(peak, want[i])
		}
		if peak == 0 {
			t.Fatalf("%s: density 0 on the whole grid", c.name)
		}
		for i := range c.grid {
			tol := 1e-12 * peak
			if want[i] > tol {
				tol = 1e-11 * want[i]
			}
			if math.Abs(got[i]-want[i]) > tol {
				t.Errorf("%s: at %g Grid %.17g, Density %.17g", c.name, c.grid[i], got[i], want[i])
			}
		}
	}
}

// Plotting grids (lo + i·step, the last set to hi) take the recurrence at
// any offset and scale; a grid with one node moved does not.
func TestEvenlySpaced(t *testing.T) {
	plotGrid := func(lo, hi float64, n int) []float64 {
		g := make([]float64, n)
		step := (hi - lo) / float64(n-1)
		for i := range g {
			g[i] = lo + float64(i)*step
		}
		g[n-1] = hi
		return g
	}
	for _, c := range [][2]float64{{35000, 45000}, {1.5e-6, 4e-6}, {-3, 7}, {0.1, 0.4}, {600, 1000}, {2, -2}} {
		for _, n := range []int{3, 60, 200} {
			for _, g := range [][]float64{plotGrid(c[0], c[1], n), linspace(c[0], c[1], n)} {
				if !evenlySpaced(g) {
					t.Errorf("%d nodes over [%g, %g]: not evenly spaced", n, c[0], c[1])
				}
			}
		}
	}
	g := plotGrid(0, 1, 50)
	g[20] += 1e-9
	if evenlySpaced(g) {
		t.Error("a node moved by 1e-9: still evenly spaced")
	}
	if evenlySpaced([]float64{1, 2}) || evenlySpaced([]float64{1, 1, 1}) {
		t.Error("two nodes, or one value repeated: evenly spaced")
	}
}

// A grid holding NaN or an infinity is not evenly spaced, so Grid evaluates
// it point by point, as Density does (it used to index out of range on a
// leading NaN).
func TestUnivariateGridNonFinite(t *testing.T) {
	k, err := NewUnivariate(normals(12, 500), Scott)
	if err != nil {
		t.Fatal(err)
	}
	nan, inf := math.NaN(), math.Inf(1)
	for _, grid := range [][]float64{{nan, 1, 2}, {0, 1, inf}, {0, nan, 2}, {-inf, 0, inf}} {
		if evenlySpaced(grid) {
			t.Errorf("%v: evenly spaced", grid)
		}
		got := k.Grid(grid)
		for i, g := range grid {
			want := k.Density(g)
			if !(got[i] == want || math.IsNaN(got[i]) && math.IsNaN(want)) {
				t.Errorf("%v: at %g Grid %g, Density %g", grid, g, got[i], want)
			}
		}
	}
}
