package toy

import (
	"math"
	"testing"
)

func TestSmooth(t *testing.T) {
	s := Smooth{Outputs: 5}
	// At t = 0 only a acts, at t = 1 only b, in the middle c adds fully.
	y := s.Apply([]float64{2, 3, -1})
	if math.Abs(y[0]-math.E) > 1e-12 || math.Abs(y[4]-3) > 1e-12 || math.Abs(y[2]-(math.E/2+1.5-1)) > 1e-12 {
		t.Errorf("Apply(2, 3, -1) = %v, want y1 = e, y3 = e/2 + 0.5, y5 = 3", y)
	}
	x, ys := s.Sample(200, 1)
	for i := range x {
		for j, v := range x[i] {
			if v < SmoothLo[j] || v > SmoothHi[j] {
				t.Fatalf("run %d parameter %d = %g outside the box", i, j, v)
			}
		}
		if want := s.Apply(x[i]); want[3] != ys[i][3] {
			t.Fatalf("run %d: outputs %v, Apply gives %v", i, ys[i], want)
		}
	}
	x2, _ := s.Sample(200, 1)
	if x2[17][1] != x[17][1] {
		t.Error("the same seed gave other runs")
	}
	p, o := s.Names()
	if len(p) != 3 || len(o) != 5 || o[4] != "y5" {
		t.Errorf("names %v %v", p, o)
	}
}
