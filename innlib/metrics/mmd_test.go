package metrics

import (
	"math/rand/v2"
	"testing"

	"github.com/ozarkinn/inn/innlib/mmd"
)

// ScaledMMD does not depend on the units of a parameter: rescaling and
// shifting a column of both samples leaves it unchanged (to rounding,
// 1e-12), and samples from the same distribution score far below shifted
// ones.
func TestScaledMMDUnitFree(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 1))
	x := normals(rng, 200, []float64{0, 0}, 1)
	y := normals(rng, 150, []float64{0.5, 0}, 1)
	ks := mmd.Widths(0.5, 1, 2)
	base, err := ScaledMMD(x, y, ks)
	if err != nil {
		t.Fatal(err)
	}
	unit := func(s [][]float64) [][]float64 {
		out := make([][]float64, len(s))
		for i, r := range s {
			out[i] = []float64{1e-6*r[0] + 3e-6, 4e4 + 5e3*r[1]} // br_mr- and crit_dayl-like scales.
		}
		return out
	}
	scaled, err := ScaledMMD(unit(x), unit(y), ks)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "ScaledMMD after a change of units", scaled, base, 1e-12)
	same, _ := ScaledMMD(x, normals(rng, 150, []float64{0, 0}, 1), ks)
	if !(same < base/3) {
		t.Errorf("MMD² same distribution %g, shifted %g: want same < shifted/3", same, base)
	}
}
