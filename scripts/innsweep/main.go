// Command innsweep trains the bidirectional INN once on the Ozark data (800
// training runs, 200 validation runs) with the pipeline's settings, changed by
// flags, and prints the validation R² per year of the kept epoch, its
// validation loss terms and the training time. docs/results.md tabulates the
// runs that chose the default (activation, fit weight, epochs, width).
//
//	go run ./scripts/innsweep                                      # the pipeline's INN
//	go run ./scripts/innsweep -act leaky_relu -fit 2.5 -epochs 400 # the previous default
//	go run ./scripts/innsweep -seed 2 -cpuprofile inn.prof
//	go run ./scripts/innsweep -flowwidth 16 -padding 10 -fit 2.5   # zero padding to width 16
//	go run ./scripts/innsweep -obsnoise 0                          # no noise inputs (flow width 8)
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"time"

	"github.com/ozarkinn/inn/innlib/inn"
	"github.com/ozarkinn/inn/innlib/ozark"
	"github.com/ozarkinn/inn/innlib/pipeline"
)

func main() {
	d := pipeline.DefaultConfig().INN
	epochs := flag.Int("epochs", d.Train.Epochs, "training epochs")
	fit := flag.Float64("fit", d.Loss.Fit, "weight of the fit term")
	width := flag.Int("width", d.Flow.Subnet.Width, "width of the subnetworks")
	layers := flag.Int("layers", d.Flow.Subnet.Layers, "layers of the subnetworks")
	blocks := flag.Int("blocks", d.Flow.Blocks, "coupling blocks")
	batch := flag.Int("batch", d.Train.BatchSize, "batch size")
	lr := flag.Float64("lr", d.Train.LearningRate, "learning rate")
	wd := flag.Float64("wd", 0, "decoupled weight decay (0: inn's default)")
	act := flag.String("act", d.Flow.Subnet.Activation, "activation of the subnetworks (empty: dense's default, leaky_relu)")
	logit := flag.Float64("logit", 0, "weight of the logit in the box map (0: inn's default)")
	seed := flag.Uint64("seed", 1, "random seed")
	flowWidth := flag.Int("flowwidth", d.Width, "width of the flow, padding included (0: the smallest that fits)")
	padding := flag.Float64("padding", 0, "weight of the padding term (0: inn's default, 1)")
	obsNoise := flag.Float64("obsnoise", pipeline.DefaultObsNoise, "observation-noise sd in W m-2 (0: none modelled)")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the training to this file")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "innsweep:", err)
			os.Exit(1)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, "innsweep:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	c := d
	c.Train.Epochs, c.Loss.Fit, c.Train.BatchSize, c.Train.LearningRate, c.Train.Seed = *epochs, *fit, *batch, *lr, *seed
	c.Flow.Subnet.Width, c.Flow.Subnet.Layers, c.Flow.Blocks = *width, *layers, *blocks
	c.Train.WeightDecay = *wd
	c.LogitWeight = *logit
	c.Flow.Subnet.Activation = *act
	c.ObsNoise = []float64{*obsNoise}
	c.Width, c.Loss.Padding = *flowWidth, *padding
	if err := run(c); err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "innsweep:", err)
		os.Exit(1)
	}
}

func run(c inn.Config) error {
	in, err := ozark.Inputs(ozark.Options{})
	if err != nil {
		return err
	}
	tr, va := in.Train, in.Val
	c.Recipe, c.Lo, c.Hi = inn.Bidirectional, tr.Lo, tr.Hi
	t0 := time.Now()
	m, err := inn.TrainWithValidation(tr.X, tr.Y, va.X, va.Y, c)
	if err != nil {
		return err
	}
	h := m.History()
	b := h.Best()
	fmt.Printf("fit %g, %d epochs, batch %d, lr %g, weight decay %g, %d blocks of %d×%d: %.0f s, kept epoch %d\n",
		c.Loss.Fit, c.Train.Epochs, c.Train.BatchSize, c.Train.LearningRate, c.WithDefaults().Train.WeightDecay, c.Flow.Blocks, c.Flow.Subnet.Layers, c.Flow.Subnet.Width,
		time.Since(t0).Seconds(), h.BestEpoch+1)
	fmt.Printf("validation R² per year: %.4f\n", b.ValR2)
	fmt.Printf("validation terms: fit %.4f, latent MMD %.4f, backward MMD %.4f\n",
		b.Val[inn.TermFit], b.Val[inn.TermLatentMMD], b.Val[inn.TermBackwardMMD])
	last := h.Epochs[len(h.Epochs)-1]
	fmt.Printf("last epoch: validation R² %.4f, fit %.4f, latent MMD %.4f, backward MMD %.4f\n",
		last.ValR2, last.Val[inn.TermFit], last.Val[inn.TermLatentMMD], last.Val[inn.TermBackwardMMD])
	return nil
}
