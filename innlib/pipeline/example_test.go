package pipeline_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/ozarkinn/inn/innlib/dataset"
	"github.com/ozarkinn/inn/innlib/pipeline"
	"github.com/ozarkinn/inn/innlib/toy"
)

// Example runs a whole experiment on a small synthetic ensemble: 300 runs
// of a smooth simulator with 3 parameters and 5 outputs, one run held out as
// a synthetic observation. The Ozark settings are made smaller and shorter
// so that it takes seconds.
func Example() {
	sim := toy.Smooth{Outputs: 5}
	x, y := sim.Sample(300, 1)
	params, outputs := sim.Names()
	runs := &dataset.Ensemble{X: x, Y: y, ParamNames: params, OutputNames: outputs, Lo: toy.SmoothLo, Hi: toy.SmoothHi}
	train, val, err := runs.Split(240) // The first 240 runs train, the last 60 validate.
	if err != nil {
		panic(err)
	}
	cases, err := pipeline.SyntheticCases(runs, 250) // A validation run as the truth.
	if err != nil {
		panic(err)
	}
	dir, err := os.MkdirTemp("", "pipeline-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)

	cfg := pipeline.DefaultConfig()
	cfg.OutDir = dir
	cfg.ObsNoise = []float64{0.1} // In the outputs' units.
	cfg.INN.Flow.Subnet.Width, cfg.CINN.Flow.Subnet.Width, cfg.MLP.Width = 32, 32, 32
	cfg.INN.Train.Epochs, cfg.CINN.Train.Epochs, cfg.MLP.Epochs = 30, 30, 300
	cfg.Samples = 2000
	cfg.MCMC.Paper.Steps, cfg.MCMC.Paper.BurnIn, cfg.MCMC.Paper.Thin = 2000, 1000, 10
	cfg.MCMC.Reference.Steps, cfg.MCMC.Reference.BurnIn, cfg.MCMC.Reference.Thin = 6000, 2000, 10
	cfg.MCMC.CompareDraws, cfg.Calibration.Draws = 500, 100

	res, _, err := pipeline.Run(pipeline.Inputs{Name: "toy", Train: train, Val: val, Cases: cases}, cfg)
	if err != nil {
		panic(err)
	}
	// pipeline.PrintSummary(os.Stdout, res) prints every number; results.json
	// in dir holds them all.
	c := res.Cases[0]
	var methods []string
	for _, p := range c.Posteriors {
		methods = append(methods, p.Recipe)
	}
	fmt.Println(c.Title)
	fmt.Println("posteriors:", strings.Join(methods, ", "))
	fmt.Println("MCMC's 95% intervals hold the truth:", *c.Posteriors[2].TruthInside95)
	fmt.Println("calibration checked over", res.Calibration[0].Runs, "validation runs")
	// Output:
	// Synthetic case 1 (run 250 as truth)
	// posteriors: inn, cinn, mcmc
	// MCMC's 95% intervals hold the truth: true
	// calibration checked over 60 validation runs
}
