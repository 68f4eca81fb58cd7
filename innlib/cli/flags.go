package cli

import (
	"flag"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/ozarkinn/inn/innlib/emulator"
	"github.com/ozarkinn/inn/innlib/pipeline"
)

// Flags are the experiment settings every command takes, as flags. Their
// defaults are pipeline.DefaultConfig's.
type Flags struct {
	Out            string
	Reuse          bool
	ReuseAnyway    bool
	Noise          string
	Samples        int
	Seed           uint64
	INNEpochs      int
	INNWidth       int
	CINNEpochs     int
	MLPEpochs      int
	Blocks         int
	SubnetWidth    int
	MLPWidth       int
	Quiet          bool
	Augment        int
	NoRefine       bool
	NoMCMC         bool
	MCMCSteps      int
	PaperSteps     int
	NoINNSurrogate bool
	NoCalibration  bool
	PNG            bool
	CalDraws       int

	noiseRequired bool
}

// Defaults are what differs between commands.
type Defaults struct {
	Out string // Output folder.
	// Noise is -noise's default ("" makes the flag required: the right
	// noise depends on the outputs' units) and NoiseHelp its help text.
	Noise, NoiseHelp string
}

// AddFlags registers the experiment's flags on fs and returns where their
// values land after fs.Parse.
func AddFlags(fs *flag.FlagSet, d Defaults) *Flags {
	c := pipeline.DefaultConfig()
	f := &Flags{noiseRequired: d.Noise == ""}
	if d.NoiseHelp == "" {
		d.NoiseHelp = "observation-noise sd in the outputs' units: one value for all outputs, or one per output separated by commas (required)"
	}
	fs.StringVar(&f.Out, "out", d.Out, "output folder")
	fs.BoolVar(&f.Reuse, "reuse", false, "load the models saved in -out/models instead of training; refused when they were trained with another noise, box, names or data")
	fs.BoolVar(&f.ReuseAnyway, "reuse-anyway", false, "with -reuse: reuse the saved models even when they do not match (recorded as warnings in results.json)")
	fs.StringVar(&f.Noise, "noise", d.Noise, d.NoiseHelp)
	fs.IntVar(&f.Samples, "samples", c.Samples, "posterior samples per case and recipe")
	fs.Uint64Var(&f.Seed, "seed", c.Seed, "random seed")
	fs.IntVar(&f.INNEpochs, "inn-epochs", c.INN.Train.Epochs, "training epochs of the bidirectional INN")
	fs.IntVar(&f.INNWidth, "inn-width", c.INN.Width, "flow width of the bidirectional INN, zero padding included; 0 = parameters + noise inputs. A wider flow can fit the forward emulator better but move the posterior further from MCMC (docs/results.md, Flow width); ignored with -reuse, which loads the saved INN")
	fs.IntVar(&f.CINNEpochs, "cinn-epochs", c.CINN.Train.Epochs, "training epochs of the conditional flow")
	fs.IntVar(&f.MLPEpochs, "mlp-epochs", emulator.DefaultEpochs, "training epochs of the MLP emulator")
	fs.IntVar(&f.Blocks, "blocks", c.INN.Flow.Blocks, "coupling blocks of both flows")
	fs.IntVar(&f.SubnetWidth, "subnet-width", c.INN.Flow.Subnet.Width, "hidden width of the flows' subnetworks")
	fs.IntVar(&f.MLPWidth, "mlp-width", emulator.DefaultWidth, "hidden width of the MLP emulator")
	fs.BoolVar(&f.Quiet, "quiet", false, "no training progress")
	fs.IntVar(&f.Augment, "cinn-augment", c.CINNAugment, "train the conditional flow on this many extra runs emulated by the MLP (drawn uniformly from the box) besides the model runs; 0 = the model runs only")
	fs.BoolVar(&f.NoMCMC, "no-mcmc", false, "skip the MCMC reference and the INN-vs-MCMC comparisons")
	fs.IntVar(&f.MCMCSteps, "mcmc-steps", c.MCMC.Reference.Steps, "steps of the reference MCMC run (its burn-in is a fifth of them)")
	fs.IntVar(&f.PaperSteps, "mcmc-paper-steps", c.MCMC.Paper.Steps, "steps of the paper-configuration MCMC run (burn-in 80%, thin 100)")
	fs.BoolVar(&f.NoINNSurrogate, "no-inn-surrogate", false, "skip the MCMC run on the INN's own forward pass (the INN's inversion against its own emulator)")
	fs.BoolVar(&f.NoCalibration, "no-calibration", false, "skip the calibration over the validation runs")
	fs.BoolVar(&f.NoRefine, "no-refine", false, "sample the amortized conditional flow as it is, without fine-tuning it for each case's observation on runs emulated in its posterior's region")
	fs.BoolVar(&f.PNG, "png", false, "also write PNG figures with headless Chromium (about 4 s per figure; HTML figures are always written)")
	fs.IntVar(&f.CalDraws, "calibration-draws", c.Calibration.Draws, "posterior draws per validation run in the calibration")
	return f
}

// Config returns the experiment's settings: pipeline.DefaultConfig with the
// flags applied. Training progress goes to progress unless -quiet; warnings
// go there always.
func (f *Flags) Config(progress io.Writer) (pipeline.Config, error) {
	cfg := pipeline.DefaultConfig()
	if f.Out == "" {
		return cfg, fmt.Errorf("-out is empty: name the output folder")
	}
	if f.ReuseAnyway && !f.Reuse {
		return cfg, fmt.Errorf("-reuse-anyway goes with -reuse")
	}
	// Zero means zero here, not a default: the counts must be positive.
	for _, v := range []struct {
		name     string
		v, least int
	}{{"-samples", f.Samples, 2}, {"-inn-epochs", f.INNEpochs, 1}, {"-cinn-epochs", f.CINNEpochs, 1}, {"-mlp-epochs", f.MLPEpochs, 1},
		{"-mcmc-steps", f.MCMCSteps, 1}, {"-mcmc-paper-steps", f.PaperSteps, 1}, {"-calibration-draws", f.CalDraws, 2}} {
		if v.v < v.least {
			return cfg, fmt.Errorf("%s %d: want at least %d", v.name, v.v, v.least)
		}
	}
	cfg.OutDir, cfg.Reuse, cfg.ReuseAnyway, cfg.Samples, cfg.Seed = f.Out, f.Reuse, f.ReuseAnyway, f.Samples, f.Seed
	cfg.INN.Train.Epochs, cfg.CINN.Train.Epochs, cfg.MLP.Epochs = f.INNEpochs, f.CINNEpochs, f.MLPEpochs
	cfg.MCMC.Skip, cfg.Calibration.Skip, cfg.Calibration.Draws = f.NoMCMC, f.NoCalibration, f.CalDraws
	cfg.CINNAugment = f.Augment
	cfg.Refine.Skip = f.NoRefine
	if f.INNWidth < 0 {
		return cfg, fmt.Errorf("-inn-width %d: want 0 (the smallest that fits) or a width of at least the parameters plus noise inputs", f.INNWidth)
	}
	for _, v := range []struct {
		name string
		v    int
	}{{"-blocks", f.Blocks}, {"-subnet-width", f.SubnetWidth}, {"-mlp-width", f.MLPWidth}} {
		if v.v < 1 {
			return cfg, fmt.Errorf("%s %d: want at least 1", v.name, v.v)
		}
	}
	cfg.INN.Width = f.INNWidth
	cfg.INN.Flow.Blocks, cfg.CINN.Flow.Blocks = f.Blocks, f.Blocks
	cfg.INN.Flow.Subnet.Width, cfg.CINN.Flow.Subnet.Width, cfg.MLP.Width = f.SubnetWidth, f.SubnetWidth, f.MLPWidth
	cfg.MCMC.INNSurrogate = !f.NoINNSurrogate
	cfg.MCMC.Reference.Steps, cfg.MCMC.Reference.BurnIn = f.MCMCSteps, f.MCMCSteps/5
	cfg.MCMC.Paper.Steps, cfg.MCMC.Paper.BurnIn = f.PaperSteps, f.PaperSteps*4/5
	if f.Noise == "" && f.noiseRequired {
		return cfg, fmt.Errorf("-noise is required: the observation-noise sd in the outputs' units, one value or one per output (it sets how wide the posterior is)")
	}
	var err error
	if cfg.ObsNoise, err = ParseFloats(f.Noise); err != nil {
		return cfg, fmt.Errorf("-noise: %w", err)
	}
	for _, v := range cfg.ObsNoise {
		if !(v > 0) || math.IsInf(v, 0) {
			return cfg, fmt.Errorf("-noise %s: a standard deviation must be finite and above 0", f.Noise)
		}
	}
	if !f.Quiet {
		cfg.Progress = progress
	}
	cfg.Log = progress // Warnings, even with -quiet.
	return cfg, nil
}

// ParseFloats reads numbers separated by commas or spaces.
func ParseFloats(s string) ([]float64, error) {
	var out []float64
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		v, err := strconv.ParseFloat(f, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a number", f)
		}
		out = append(out, v)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no values in %q", s)
	}
	return out, nil
}

// parseInts reads integers separated by commas or spaces.
func parseInts(s string) ([]int, error) {
	var out []int
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		v, err := strconv.Atoi(f)
		if err != nil {
			return nil, fmt.Errorf("%q is not a whole number", f)
		}
		out = append(out, v)
	}
	return out, nil
}

// parseNames reads names separated by commas, trimmed of spaces; "" is nil.
func parseNames(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
