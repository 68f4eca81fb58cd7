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
