package toy

import (
	"math"
	"testing"
)

func TestMoonsLieOnTheirArcs(t *testing.T) {
	x, label := Moons(1000, 0, 1)
	for i, p := range x {
		cx, cy := 0.0, 0.0
		if label[i] == 1 {
			cx, cy = 1, 0.5
		}
		if r := math.Hypot(p[0]-cx, p[1]-cy); math.Abs(r-1) > 1e-12 {
			t.Fatalf("point %d (moon %v) at radius %g from its centre, want 1", i, label[i], r)
		}
		if (label[i] == 0 && p[1] < 0) || (label[i] == 1 && p[1] > 0.5) {
			t.Fatalf("point %d (moon %v) on the wrong half: %v", i, label[i], p)
		}
	}
}
