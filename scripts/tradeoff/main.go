// Command tradeoff shows, on the Ozark data, the trade-off between forward
// and inverse training of the bidirectional INN and what the project's
// training does about it. It trains the INN twice on the same 800 runs:
//
//   - the paper's recipe: one summed loss, backward-MMD weight ramped up
//     (Ardizzone et al.'s schedule), fit weight 1;
//   - innlib's default: the inverse terms' gradient projected so it never
//     opposes the forward fit, no ramp, and the rest of the pipeline's INN
//     settings (fit weight 5, SiLU subnetworks);
//
// and prints, every few epochs, the emulator's R² on the 200 validation runs
// and the backward MMD, then the peak and final R² of each.
//
//	go run ./scripts/tradeoff [-epochs 60]
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/ozarkinn/inn/innlib/inn"
	"github.com/ozarkinn/inn/innlib/ozark"
	"github.com/ozarkinn/inn/innlib/pipeline"
)

func main() {
	epochs := flag.Int("epochs", 60, "training epochs of each run")
	every := flag.Int("every", 5, "print every this many epochs")
	flag.Parse()
	if err := run(*epochs, *every); err != nil {
		fmt.Fprintln(os.Stderr, "tradeoff:", err)
		os.Exit(1)
	}
}

func run(epochs, every int) error {
	in, err := ozark.Inputs(ozark.Options{})
	if err != nil {
		return err
	}
	tr, va := in.Train, in.Val
	base := pipeline.DefaultConfig().INN
	base.Recipe, base.Lo, base.Hi, base.ObsNoise = inn.Bidirectional, tr.Lo, tr.Hi, []float64{pipeline.DefaultObsNoise}
	base.Train.Epochs, base.Train.Seed = epochs, 1
	paper := base
	paper.Loss.Fit, paper.Loss.Surgery, paper.Loss.BackwardRamp = 1, "sum", "ardizzone"
	for _, v := range []struct {
		name string
		cfg  inn.Config
	}{{"paper's recipe (summed loss, ramped backward MMD)", paper}, {"innlib default (gradient projection, no ramp)", base}} {
		fmt.Printf("\n%s\n%6s %9s %9s %9s %8s\n", v.name, "epoch", "R² 06-07", "R² 08-10", "mmd_x val", "w_back")
		c := v.cfg
		c.Train.OnEpoch = func(s inn.EpochStats) {
			if (s.Epoch+1)%every == 0 || s.Epoch == 0 {
				fmt.Printf("%6d %9.4f %9.4f %9.4f %8.3f\n", s.Epoch+1, mean(s.ValR2[:2]), mean(s.ValR2[2:]), s.Val[inn.TermBackwardMMD], s.BackwardWeight)
			}
		}
		m, err := inn.TrainWithValidation(tr.X, tr.Y, va.X, va.Y, c)
		if err != nil {
			return err
		}
		peak, peakAt := 0.0, 0
		for _, e := range m.History().Epochs {
			if r := mean(e.ValR2); r > peak {
				peak, peakAt = r, e.Epoch+1
			}
		}
		last := m.History().Epochs[len(m.History().Epochs)-1]
		fmt.Printf("mean validation R²: peak %.4f at epoch %d, last epoch %.4f; kept epoch %d: %.4f (backward MMD %.4f); %.0f s\n",
			peak, peakAt, mean(last.ValR2), m.History().BestEpoch+1, mean(m.History().Best().ValR2), m.History().Best().Val[inn.TermBackwardMMD], m.History().Seconds)
	}
	return nil
}

func mean(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}
