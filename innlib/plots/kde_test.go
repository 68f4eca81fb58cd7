package plots

import (
	"math"
	"math/rand/v2"
	"testing"
)

func normals(seed uint64, n int, mu, sd float64) []float64 {
	r := rand.New(rand.NewPCG(seed, 9))
	out := make([]float64, n)
	for i := range out {
		out[i] = mu + sd*r.NormFloat64()
	}
	return out
}

func TestKDE1DMatchesNormalDensity(t *testing.T) {
	xs := normals(1, 4000, 2, 0.5)
	grid := linspace(0, 4, 81)
	d, err := KDE1D(xs, grid, Scott)
	if err != nil {
		t.Fatal(err)
	}
	area := 0.0
	for i, v := range d {
		area += v * 0.05
		// KDE of a normal sample: N(2, 0.5² + h²), h ≈ 0.5·4000^(-1/5).
		h := 0.5 * math.Pow(4000, -0.2)
		s := math.Sqrt(0.25 + h*h)
		want := math.Exp(-0.5*math.Pow((grid[i]-2)/s, 2)) / (s * math.Sqrt(2*math.Pi))
		if math.Abs(v-want) > 0.04 {
			t.Errorf("density at %v = %v, want about %v", grid[i], v, want)
		}
	}
	if math.Abs(area-1) > 0.01 {
		t.Errorf("KDE integrates to %v", area)
	}
}

func TestKDE1DBinnedEqualsExact(t *testing.T) {
	xs := normals(2, 6000, 0, 1) // above binNodes1D: the binned path
	grid := linspace(-4, 4, 41)
	got, err := KDE1D(xs, grid, Silverman)
	if err != nil {
		t.Fatal(err)
	}
	// Exact sum for comparison.
	mean, v := 0.0, 0.0
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	for _, x := range xs {
		v += (x - mean) * (x - mean)
	}
	h := math.Sqrt(v/float64(len(xs)-1)) * Silverman.factor(len(xs), 1)
	for i, g := range grid {
		s := 0.0
		for _, x := range xs {
			u := (g - x) / h
			s += math.Exp(-0.5 * u * u)
		}
		s /= float64(len(xs)) * h * math.Sqrt(2*math.Pi)
		if math.Abs(got[i]-s) > 1e-4*math.Max(s, 1e-2) {
			t.Errorf("at %v binned %v, exact %v", g, got[i], s)
		}
	}
}

func TestKDEBandwidthFactors(t *testing.T) {
	// scipy: scott n^(-1/(d+4)); silverman (n(d+2)/4)^(-1/(d+4)).
	if f := Scott.factor(100, 1); math.Abs(f-math.Pow(100, -0.2)) > 1e-15 {
		t.Errorf("scott %v", f)
	}
	if f := Silverman.factor(100, 2); math.Abs(f-math.Pow(100.0, -1.0/6)) > 1e-15 {
		t.Errorf("silverman 2-D %v", f) // (100·4/4)^(-1/6)
	}
}

func TestKDE1DConstantAndBadSamples(t *testing.T) {
	d, err := KDE1D([]float64{3, 3, 3}, linspace(0, 6, 61), Scott)
	if err != nil {
		t.Fatal(err)
	}
	if d[30] <= d[29] || d[30] <= 0 {
		t.Errorf("constant sample should give a spike at 3: %v %v", d[29], d[30])
	}
	_, err = KDE1D([]float64{1}, linspace(0, 1, 3), Scott)
	wantInputErr(t, err, "at least 2")
	_, err = KDE1D([]float64{1, math.NaN()}, linspace(0, 1, 3), Scott)
	wantInputErr(t, err, "samples[1]", "NaN")
}

func TestKDE2DIntegratesAndTilts(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	n := 3000
	xs, ys := make([]float64, n), make([]float64, n)
	for i := range xs {
		a, b := r.NormFloat64(), r.NormFloat64()
		xs[i], ys[i] = a, 0.9*a+math.Sqrt(0.19)*b
	}
	g := linspace(-4, 4, 41)
	z, err := KDE2D(xs, ys, g, g, Scott)
	if err != nil {
		t.Fatal(err)
	}
	area := 0.0
	for _, row := range z {
		for _, v := range row {
			area += v * 0.2 * 0.2
		}
	}
	if math.Abs(area-1) > 0.02 {
		t.Errorf("2-D KDE integrates to %v", area)
	}
	// Positive correlation: (1, 1) is far denser than (1, -1). z[j][i] is
	// the density at (g[i], g[j]).
	if !(z[25][25] > 20*z[15][25]) {
		t.Errorf("ridge not tilted: z(1,1) = %v, z(1,-1) = %v", z[25][25], z[15][25])
	}
	// The binned path (n > 128²) agrees with the exact one.
	big := normals(4, 20000, 0, 1)
	big2 := normals(5, 20000, 0, 1)
	zb, err := KDE2D(big, big2, g, g, Scott)
	if err != nil {
		t.Fatal(err)
	}
	if c := zb[20][20]; math.Abs(c-1/(2*math.Pi)) > 0.01 {
		t.Errorf("binned 2-D density at 0 = %v, want about %v", c, 1/(2*math.Pi))
	}
	_, err = KDE2D(xs, ys[:10], g, g, Scott)
	wantInputErr(t, err, "3000 x values but 10 y values")
}
