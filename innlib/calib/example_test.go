package calib_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/ozarkinn/inn/innlib/calib"
	"github.com/ozarkinn/inn/innlib/lingauss"
)

// Check an estimator whose posterior is too narrow: the exact posterior of a
// linear-Gaussian problem with its spread scaled by 0.6.
func ExampleCheck() {
	p := lingauss.Default()
	x, y := p.Sample(200, 1, false) // parameters and noise-free simulator outputs
	narrow := func(obs [][]float64, n int, seed uint64) ([][][]float64, error) {
		rng := rand.New(rand.NewPCG(seed, 0))
		out := make([][][]float64, len(obs))
		for i, o := range obs {
			var err error
			if out[i], err = p.PosteriorSample(o, n, 0.6, rng); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	rep, err := calib.Check(narrow, x, y, []string{"a", "b", "c", "d"}, calib.Config{
		Draws: 500, Noise: []float64{p.Sigma}, Seed: 1, BoundReps: 1000})
	if err != nil {
		panic(err)
	}
	fmt.Println("passed:", rep.Passed)
	for _, q := range rep.Params {
		fmt.Println(q.Name, q.Verdict)
	}
	// Output:
	// passed: false
	// a over-confident
	// b over-confident
	// c over-confident
	// d over-confident
}
