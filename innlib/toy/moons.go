// Package toy generates small data sets for teaching and testing flows.
//
//	x, label := toy.Moons(2000, 0.08, 1)
package toy

import (
	"math"
	"math/rand/v2"
)

// Moons returns n points of the two interleaving half circles ("two
// moons"), with Gaussian noise of sd noise, and each point's moon (0 or 1).
func Moons(n int, noise float64, seed uint64) (x [][]float64, label []float64) {
	rng := rand.New(rand.NewPCG(seed, 0x6d6f6f6e))
	x = make([][]float64, n)
	label = make([]float64, n)
	for i := range x {
		t := math.Pi * rng.Float64()
		if i%2 == 0 {
			x[i] = []float64{math.Cos(t), math.Sin(t)}
		} else {
			x[i] = []float64{1 - math.Cos(t), 0.5 - math.Sin(t)}
			label[i] = 1
		}
		x[i][0] += noise * rng.NormFloat64()
		x[i][1] += noise * rng.NormFloat64()
	}
	return x, label
}
