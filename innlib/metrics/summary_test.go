package metrics

import (
	"errors"
	"math"
	"math/rand/v2"
	"sort"
	"testing"

	"gonum.org/v1/gonum/stat"
)

// Hand values of numpy.quantile(x, p) (method "linear") for the unsorted
// x = 3,1,4,1,5,9,2,6; sorted 1,1,2,3,4,5,6,9, h = 7p:
// p=0.1: h=0.7 -> 1; 0.25: h=1.75 -> 1+0.75·1 = 1.75; 0.5: h=3.5 -> 3.5;
// 0.75: h=5.25 -> 5.25; 0.9: h=6.3 -> 6+0.3·3 = 6.9; 0 and 1 -> min, max.
// Tolerance 1e-14: one interpolation.
func TestQuantilesNumpyLinear(t *testing.T) {
	x := []float64{3, 1, 4, 1, 5, 9, 2, 6}
	ps := []float64{0, 0.1, 0.25, 0.5, 0.75, 0.9, 1}
	got, err := Quantiles(nil, ps, x)
	if err != nil {
		t.Fatal(err)
	}
	nearAll(t, "Quantiles", got, []float64{1, 1, 1.75, 3.5, 5.25, 6.9, 9}, 1e-14)
	if x[0] != 3 || x[5] != 9 {
		t.Error("Quantiles modified its input")
	}
	lo, hi, err := CredibleInterval(0.5, x)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "50% interval lo", lo, 1.75, 1e-14)
	near(t, "50% interval hi", hi, 5.25, 1e-14)
	if q, _ := Quantile(0.5, []float64{7}); q != 7 {
		t.Errorf("quantile of one value = %g, want 7", q)
	}
}

// The median of 1,2,3,4 is 2.5 in numpy (and here) but 2 with gonum's
// LinInterp: the reason this package has its own Quantile.
func TestQuantileDiffersFromGonumLinInterp(t *testing.T) {
	x := []float64{1, 2, 3, 4}
	q, _ := Quantile(0.5, x)
	near(t, "Quantile(0.5)", q, 2.5, 0)
	near(t, "stat.Quantile(LinInterp)", stat.Quantile(0.5, stat.LinInterp, x, nil), 2, 0)
}

// Columns 1,3,5 (mean 3, var (4+0+4)/2 = 4) and 10,10,40 (mean 20,
// var (100+100+400)/2 = 300).
func TestMeansSDsHand(t *testing.T) {
	x := [][]float64{{1, 10}, {3, 10}, {5, 40}}
	m, err := Means(nil, x)
	if err != nil {
		t.Fatal(err)
	}
	nearAll(t, "Means", m, []float64{3, 20}, 1e-14)
	v, _ := Variances(nil, x)
	nearAll(t, "Variances", v, []float64{4, 300}, 1e-12)
	sd, _ := SDs(make([]float64, 2), x)
	nearAll(t, "SDs", sd, []float64{2, math.Sqrt(300)}, 1e-12)
	if _, err := SDs(nil, x[:1]); !errors.Is(err, ErrEmpty) {
		t.Errorf("one draw: SDs err = %v, want ErrEmpty", err)
	}
	if _, err := Means(make([]float64, 3), x); !errors.Is(err, ErrShape) {
		t.Errorf("wrong dst: err = %v, want ErrShape", err)
	}
}

func TestQuantileBadInput(t *testing.T) {
	for _, c := range []struct {
		name string
		p    float64
		x    []float64
		want error
	}{
		{"empty", 0.5, nil, ErrEmpty},
		{"NaN value", 0.5, []float64{1, math.NaN()}, ErrNotFinite},
		{"p > 1", 1.5, []float64{1, 2}, ErrDomain},
		{"p NaN", math.NaN(), []float64{1, 2}, ErrDomain},
	} {
		if _, err := Quantile(c.p, c.x); !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
		}
	}
	if _, _, err := CredibleInterval(1, []float64{1, 2}); !errors.Is(err, ErrDomain) {
		t.Errorf("level 1: err = %v, want ErrDomain", err)
	}
}

// Quantiles selects order statistics instead of sorting: every quantile
// must equal the type 7 formula on the sorted copy, bit for bit, also with
// heavy ties, tiny samples and unordered or repeated probabilities.
func TestQuantilesMatchSorted(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 9))
	ps := []float64{0.975, 0, 0.5, 0.025, 1, 0.5, 0.3333, 0.999999}
	for trial := range 300 {
		n := 1 + r.IntN(3000)
		if trial < 20 {
			n = trial + 1
		}
		x := make([]float64, n)
		for i := range x {
			switch trial % 3 {
			case 0:
				x[i] = r.NormFloat64()
			case 1:
				x[i] = float64(r.IntN(4)) // Heavy ties.
			default:
				x[i] = float64(n - i) // Descending.
			}
		}
		orig := append([]float64(nil), x...)
		got, err := Quantiles(nil, ps, x)
		if err != nil {
			t.Fatal(err)
		}
		s := append([]float64(nil), x...)
		sort.Float64s(s)
		for i, p := range ps {
			if want := sortedQuantile(p, s); got[i] != want {
				t.Fatalf("n %d, trial %d: quantile %g = %v, the sorted copy gives %v", n, trial, p, got[i], want)
			}
		}
		for i := range x {
			if x[i] != orig[i] {
				t.Fatal("Quantiles modified x")
			}
		}
	}
}
