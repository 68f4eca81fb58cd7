package rows

import (
	"math"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	for _, c := range []struct {
		rows [][]float64
		cols int
		want string
	}{
		{nil, 0, "no rows"},
		{[][]float64{{1, 2}, {3}}, 0, "row 1 (0-based) has 1 values, want 2"},
		{[][]float64{{1, math.Inf(1)}}, 2, "row 0, column 1 (0-based) is +Inf"},
		{[][]float64{{1, 2}}, 3, "want 3"},
	} {
		err := Check("pkg", "x", c.rows, c.cols)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "pkg: x") {
			t.Errorf("%v: got %v, want an error containing %q", c.rows, err, c.want)
		}
	}
	if err := Check("pkg", "x", [][]float64{{1, 2}, {3, 4}}, 2); err != nil {
		t.Errorf("good rows: %v", err)
	}
}

func TestStats(t *testing.T) {
	mean, sd, err := Stats([][]float64{{1, 10}, {3, 10.5}})
	if err != nil || mean[0] != 2 || sd[0] != 1 || math.Abs(sd[1]-0.25) > 1e-15 {
		t.Fatalf("got %v %v %v, want means [2 10.25] and sds [1 0.25]", mean, sd, err)
	}
	if _, _, err := Stats([][]float64{{1, 5}, {2, 5}}); err == nil || !strings.Contains(err.Error(), "column 1 is constant") {
		t.Fatalf("constant column: %v", err)
	}
}

func TestScaleOK(t *testing.T) {
	for _, c := range []struct {
		center, scale float64
		want          bool
	}{
		{0, 1, true},
		{1e6, 1e-5, true},    // 1e-11 relative
		{1e6, 1e-7, false},   // 1e-13 relative
		{0.5, 1e-300, false}, // the scale that made every draw the mean
		{0, 2e-12, true},     // |center| < 1 uses 1
		{0, 1e-12, false},    // the bound itself is out
		{0, 0, false},
		{0, -1, false},
		{0, math.NaN(), false},
		{0, math.Inf(1), false},
		{math.NaN(), 1, false},
		{math.Inf(-1), 1, false},
		{1e300, 1e289, true},
	} {
		if got := ScaleOK(c.center, c.scale); got != c.want {
			t.Errorf("ScaleOK(%g, %g) = %v, want %v", c.center, c.scale, got, c.want)
		}
	}
	if _, _, err := Stats([][]float64{{-1e308}, {1e308}}); err == nil || !strings.Contains(err.Error(), "overflows") {
		t.Errorf("overflowing spread: %v", err)
	}
}
