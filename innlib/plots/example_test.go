package plots_test

import (
	"errors"
	"fmt"
	"math"

	"github.com/ozarkinn/inn/innlib/plots"
)

// Two methods, two parameters, truth and MAP, no joint panel: each row has
// a KDE curve, a truth line and a MAP line per parameter.
func ExamplePosteriorMarginals() {
	params := []plots.Param{
		{Name: "slatop", Unit: "m2 gC-1", Lo: 0.01, Hi: 0.05},
		{Name: "flnr", Unit: "gN gN-1", Lo: 0.05, Hi: 0.25},
	}
	draws := func(shift float64) [][]float64 {
		var s [][]float64
		for k := range 50 {
			u := float64(k)/49 - 0.5
			s = append(s, []float64{0.03 + 0.004*u + shift, 0.15 + 0.02*u})
		}
		return s
	}
	fig, err := plots.PosteriorMarginals(plots.MarginalsInput{
		Params: params,
		Truth:  []float64{0.031, 0.16},
		Methods: []plots.MethodSamples{
			{Name: "INN", Samples: draws(0), MAP: []float64{0.03, 0.15}},
			{Name: "MCMC", Samples: draws(0.001), MAP: []float64{0.031, 0.152}},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("traces:", len(fig.Data))
	fmt.Println("panels:", len(fig.XAxes))
	fmt.Println("x range of slatop:", fig.XAxes[1].Range)

	// A NaN draw is reported with its method, row and parameter.
	bad := draws(0)
	bad[3][1] = math.NaN()
	_, err = plots.PosteriorMarginals(plots.MarginalsInput{Params: params,
		Methods: []plots.MethodSamples{{Name: "INN", Samples: bad}}})
	fmt.Println(errors.Is(err, plots.ErrInput))
	fmt.Println(err)
	// Output:
	// traces: 12
	// panels: 4
	// x range of slatop: [0.01 0.05]
	// true
	// plots.PosteriorMarginals: samples of "INN" row 3, column 1 (flnr) is NaN: invalid plot input
}
