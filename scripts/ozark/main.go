// Command ozark reproduces the INN calibration of the E3SM Land Model at the
// Missouri Ozark AmeriFlux site (Lu, Ricciuto & Zhang 2022) on the paper's own
// data: it fetches and verifies the ensemble, trains the bidirectional INN, the
// conditional flow and an independent MLP emulator, scores forward emulation,
// inverts the two synthetic cases and the real observations, and writes
// results.json, posterior samples (CSV) and the trained models to -out.
//
//	go run ./scripts/ozark                 # train and run everything
//	go run ./scripts/ozark -reuse          # reuse the models saved by a previous run
//	go run ./scripts/ozark -obs 47,42,53,53,56   # your own observation
//
// Set INNLIB_DATA_MIRROR to a folder laid out like ../shared/datasets to
// read the data from there instead of downloading them.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/ozarkinn/inn/innlib/emulator"
	"github.com/ozarkinn/inn/innlib/ozark"
	"github.com/ozarkinn/inn/innlib/pipeline"
	"github.com/ozarkinn/inn/innlib/report"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "ozark:", err)
		os.Exit(1)
	}
}

// run is the command, with its arguments and output streams, so that tests can call it.
func run(args []string, stdout, stderr io.Writer) error {
	flag := flag.NewFlagSet("ozark", flag.ContinueOnError)
	flag.SetOutput(stderr)
	d := pipeline.DefaultConfig()
	out := flag.String("out", d.OutDir, "output folder")
	reuse := flag.Bool("reuse", false, "load the models saved in -out/models instead of training")
	noise := flag.String("noise", "1.0", "observation-noise sd in W m-2: one value, or one per year separated by commas")
	samples := flag.Int("samples", d.Samples, "posterior samples per case and recipe")
	seed := flag.Uint64("seed", d.Seed, "random seed")
	innEpochs := flag.Int("inn-epochs", d.INN.Train.Epochs, "training epochs of the bidirectional INN")
	innWidth := flag.Int("inn-width", d.INN.Width, "flow width of the bidirectional INN, zero padding included; 0 = parameters + noise inputs (13 here). 16 fits the forward emulator better but moves the posterior further from MCMC (docs/results.md, Flow width); ignored with -reuse, which loads the saved INN")
	cinnEpochs := flag.Int("cinn-epochs", d.CINN.Train.Epochs, "training epochs of the conditional flow")
	mlpEpochs := flag.Int("mlp-epochs", emulator.DefaultEpochs, "training epochs of the MLP emulator")
	obs := flag.String("obs", "", "observed LH 2006-2010 (W m-2, comma-separated) to use instead of the values read off the paper's Fig. 2b")
	obsCSV := flag.String("obs-csv", "", "CSV file with columns LH_2006..LH_2010; each row becomes a case")
	rows := flag.Int("rows", 0, "use only the first rows of the training and validation parts (quick tests); 0 = all")
	cache := flag.String("cache", "", "data cache folder (default $INNLIB_CACHE or the user cache dir)")
	quiet := flag.Bool("quiet", false, "no training progress")
	augment := flag.Int("cinn-augment", 0, "train the conditional flow on this many extra runs emulated by the MLP (drawn uniformly from the box); 0 = only the land-model runs")
	noMCMC := flag.Bool("no-mcmc", false, "skip the MCMC reference and the INN-vs-MCMC comparisons")
	mcmcSteps := flag.Int("mcmc-steps", d.MCMC.Reference.Steps, "steps of the reference MCMC run (its burn-in is a fifth of them)")
	paperSteps := flag.Int("mcmc-paper-steps", d.MCMC.Paper.Steps, "steps of the paper-configuration MCMC run (burn-in 80%, thin 100)")
	noINNSurrogate := flag.Bool("no-inn-surrogate", false, "skip the MCMC run on the INN's own forward pass (the INN's inversion against its own emulator)")
	noCal := flag.Bool("no-calibration", false, "skip the calibration over the validation runs")
	png := flag.Bool("png", false, "also write PNG figures with headless Chromium (about 4 s per figure; HTML figures are always written)")
	calDraws := flag.Int("calibration-draws", d.Calibration.Draws, "posterior draws per validation run in the calibration")
	if err := flag.Parse(args); err != nil {
		return err
	}

	cfg := d
	cfg.OutDir, cfg.Reuse, cfg.Samples, cfg.Seed = *out, *reuse, *samples, *seed
	cfg.INN.Train.Epochs, cfg.CINN.Train.Epochs, cfg.MLP.Epochs = *innEpochs, *cinnEpochs, *mlpEpochs
	cfg.MCMC.Skip, cfg.Calibration.Skip, cfg.Calibration.Draws = *noMCMC, *noCal, *calDraws
	cfg.CINNAugment = *augment
	if *innWidth < 0 {
		return fmt.Errorf("-inn-width %d: want 0 (the smallest that fits) or a width of at least the parameters plus noise inputs", *innWidth)
	}
	cfg.INN.Width = *innWidth
	cfg.MCMC.INNSurrogate = !*noINNSurrogate
	cfg.MCMC.Reference.Steps, cfg.MCMC.Reference.BurnIn = *mcmcSteps, *mcmcSteps/5
	cfg.MCMC.Paper.Steps, cfg.MCMC.Paper.BurnIn = *paperSteps, *paperSteps*4/5
	var err error
	if cfg.ObsNoise, err = ozark.ParseFloats(*noise); err != nil {
		return fmt.Errorf("-noise: %w", err)
	}
	if !*quiet {
		cfg.Progress = stderr
	}
	t0 := time.Now()
	opts := ozark.Options{Cache: *cache, ObsCSV: *obsCSV, Rows: *rows}
	if *obs != "" {
		if opts.Obs, err = ozark.ParseFloats(*obs); err != nil {
			return fmt.Errorf("-obs: %w", err)
		}
	}
	in, err := ozark.Inputs(opts)
	if err != nil {
		return err
	}
	in.LoadSeconds = time.Since(t0).Seconds()
	res, _, err := pipeline.Run(in, cfg)
	if err != nil {
		return err
	}
	pipeline.PrintSummary(stdout, res)
	t0 = time.Now()
	files, note, err := report.Write(cfg.OutDir, report.WriteOptions{PNG: *png})
	if err != nil {
		return err
	}
	if note != "" {
		fmt.Fprintln(stdout, note)
	}
	fmt.Fprintf(stdout, "figures: %d files in %s (%.1f s)\n", len(files), filepath.Join(cfg.OutDir, "figures"), time.Since(t0).Seconds())
	fmt.Fprintf(stdout, "results: %s\n", filepath.Join(cfg.OutDir, "results.json"))
	return nil
}
