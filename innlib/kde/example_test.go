package kde_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/ozarkinn/inn/innlib/kde"
)

// The KDE of 1000 draws from N(1, 0.5²): its density at 1 is near the
// normal's 0.80 (lower: the kernel widens the curve), its mode near 1.
func ExampleUnivariate() {
	r := rand.New(rand.NewPCG(1, 2))
	draws := make([]float64, 1000)
	for i := range draws {
		draws[i] = 1 + 0.5*r.NormFloat64()
	}
	k, err := kde.NewUnivariate(draws, kde.Scott)
	if err != nil {
		panic(err)
	}
	fmt.Printf("h = %.3f, f(1) = %.2f, mode = %.1f\n", k.Width(), k.Density(1), k.Mode())
	// Output: h = 0.125, f(1) = 0.76, mode = 1.0
}

// The joint mode of a correlated 2-D sample.
func ExampleMultivariate() {
	r := rand.New(rand.NewPCG(3, 4))
	draws := make([][]float64, 500)
	for i := range draws {
		a, b := r.NormFloat64(), r.NormFloat64()
		draws[i] = []float64{2 + a, -1 + 0.8*a + 0.6*b}
	}
	k, err := kde.NewMultivariate(draws, kde.Scott)
	if err != nil {
		panic(err)
	}
	m := k.Mode()
	fmt.Printf("mode near (%.0f, %.0f)\n", m[0], m[1])
	// Output: mode near (2, -1)
}
