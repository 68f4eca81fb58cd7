package optim_test

import (
	"fmt"

	"github.com/ozarkinn/inn/innlib/internal/optim"
)

// Adam minimises (p − 3)² from p = 0, with the learning rate on a cosine.
func ExampleAdam() {
	const steps = 500
	p, g := []float64{0}, []float64{0}
	opt := optim.NewAdam[float64](1, optim.AdamConfig{LearningRate: 0.1, Beta1: 0.9, Beta2: 0.999, Epsilon: 1e-8})
	for s := 0; s < steps; s++ {
		opt.SetLearningRate(optim.Cosine(0.1, 0.01, s, steps))
		g[0] = 2 * (p[0] - 3)
		opt.Update(p, g, 1)
	}
	fmt.Printf("p = %.3f after %d steps\n", p[0], opt.Steps())
	// Output: p = 3.000 after 500 steps
}
