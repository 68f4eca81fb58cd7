package pipeline

import (
	"fmt"
	"io"
	"math"

	"github.com/ozarkinn/inn/innlib/dense"
	"github.com/ozarkinn/inn/innlib/emulator"
	"github.com/ozarkinn/inn/innlib/flow"
	"github.com/ozarkinn/inn/innlib/inn"
)

// Defaults of Config.
const (
	// DefaultObsNoise is the observation-noise standard deviation (output
	// units; W m-2 for latent heat): about the MLP emulator's validation
	// error in the dry years and the misfit floor of the best in-box fit to
	// the US-MOz observations.
	DefaultObsNoise = 1.0
	DefaultSamples  = 10000 // Posterior samples per case and recipe.
	DefaultMAPDraws = 2000  // Draws the KDE-mode MAP is computed from.
	DefaultFitSteps = 300   // Adam steps of the best in-box fit.

	// DefaultCINNAugment is how many runs emulated by the MLP the
	// conditional flow trains on besides the model runs, and
	// DefaultCINNEpochs its epochs: with 16,800 rows an epoch is 21 times
	// longer than with 800, and the validation loss stops improving after
	// about 15. With them every parameter passes the calibration check and
	// the posterior is within C2ST 0.59 and 0.55 of MCMC on the synthetic
	// cases (seed 1; docs/results.md, Calibration).
	DefaultCINNAugment = 16000
	DefaultCINNEpochs  = 15
)

// Config controls an experiment.
type Config struct {
	// OutDir is the output folder (created if missing; required). Run
	// replaces its results as a whole at the end (see Run).
	OutDir string
	// Reuse loads the models saved in OutDir/models instead of training.
	// The folder's manifest must show them complete and trained with this
	// run's noise, box, names and data; otherwise Run fails naming the
	// difference, unless ReuseAnyway, which goes on with a warning.
	Reuse, ReuseAnyway bool

	// Zero values below mean the default stated (the value used is in
	// results.json's settings); the commands reject zero instead.

	ObsNoise []float64 // Observation-noise sd per output, or one value; each finite and > 0. Default (nil) DefaultObsNoise.
	Samples  int       // Posterior samples per case and recipe. Default DefaultSamples.
	MAPDraws int       // Draws used for the KDE MAP. Default DefaultMAPDraws.
	FitSteps int       // Steps of the best in-box fit. Default DefaultFitSteps.
	Seed     uint64

	INN  inn.Config      // Bidirectional recipe (Recipe, box and noise are set by Run).
	CINN inn.Config      // Conditional recipe.
	MLP  emulator.Config // Independent emulator (box set by Run).

	// CINNAugment, when positive, adds that many runs emulated by the MLP
	// (parameters drawn uniformly from the prior box) to the conditional
	// flow's training data. Default DefaultCINNAugment; 0 trains the flow on
	// the model runs alone, as the paper's method does, which with 800 runs
	// leaves it over-confident for the weakly identified parameters and
	// further from MCMC (docs/results.md, Calibration).
	CINNAugment int

	// Refine fine-tunes the conditional flow for each case's observation
	// before sampling it (one round of truncated sequential NPE on runs
	// emulated by the MLP; refine.go). The amortized flow stays as it is for
	// the calibration over the validation runs.
	Refine RefineConfig

	MCMC        MCMCConfig        // MCMC reference posterior and the comparisons with it.
	Calibration CalibrationConfig // Calibration over the validation runs.

	Progress io.Writer // Training progress (e.g. os.Stderr); nil for none.
	// Log receives warnings as they arise (e.g. os.Stderr); nil for none.
	// They are in results.json's warnings either way.
	Log io.Writer

	// Finish, when set, writes more files into the run's folder dir (the
	// staging folder, with results.json written) before the run replaces
	// the previous results; the commands draw the figures here.
	Finish func(dir string) error
}

// DefaultConfig returns the settings of the Ozark experiment, trained for a
// budget that fits the whole run in about a minute on 2 cores (42-78 s with the host's load and
// the CPU's vector width, docs/benchmarks.md). Both
// recipes use the paper's network shape (4 blocks, subnetworks of 3 layers ×
// 128). The conditional flow keeps the paper's leaky ReLU and trains on the
// model runs plus DefaultCINNAugment runs emulated by the MLP, for
// DefaultCINNEpochs epochs (on the 800 model runs alone its validation loss
// stops improving after about 25 epochs; 60 were the default then).
//
// The INN's subnetworks use SiLU instead: the land model's response is
// smooth, and a piecewise-linear network fitted it worse. With leaky ReLU
// (fit weight 2.5, 400 epochs) validation R² was 0.963, 0.953, 0.993,
// 0.993, 0.993 for 2006-2010. With SiLU, fit weight 5 and 600 epochs it is
// 0.979-0.982 in 2006, 0.975-0.982 in 2007 and 0.996-0.997 in 2008-2010
// (seeds 1-3), against the scikit-learn MLP's 0.97, 0.96, 0.997. The INN's
// distance to MCMC stays about the same (docs/results.md). Training takes
// about 45 s on the native engine. The flow keeps its natural width (13:
// parameters and noise inputs): zero padding to 16 (INN.Width = 16, the
// ozark command's -inn-width 16) fits the forward map better in every year,
// 0.9966-0.9972 in 2008-2010, but moves the posterior away from MCMC (seeds
// 1-3: C2ST on synthetic case 1 up by 0.14-0.26), so it is not the default.
func DefaultConfig() Config {
	net := flow.Config{Blocks: 4, Subnet: dense.MLPConfig{Layers: 3, Width: 128}}
	innNet := net
	innNet.Subnet.Activation = "silu"
	return Config{
		OutDir:   "out/ozark",
		ObsNoise: []float64{DefaultObsNoise},
		Samples:  DefaultSamples,
		MAPDraws: DefaultMAPDraws,
		FitSteps: DefaultFitSteps,
		Seed:     1,
		// Fit weight 5 (the reference code uses 1-3): with the gradient
		// projection it keeps the emulator accurate while the inverse terms
		// train; 2.5 cost 0.001-0.01 of R² per year, 10 overfitted after 250 epochs.
		INN:         inn.Config{Flow: innNet, Loss: inn.LossConfig{Fit: 5}, Train: inn.TrainConfig{Epochs: 600, BatchSize: 32, LearningRate: 1e-3}},
		CINN:        inn.Config{Flow: net, Train: inn.TrainConfig{Epochs: DefaultCINNEpochs, BatchSize: 32, LearningRate: 1e-3}},
		CINNAugment: DefaultCINNAugment,
		MLP:         emulator.Config{},
		MCMC:        DefaultMCMC(),
		Calibration: CalibrationConfig{Draws: 1000},
	}
}

func (c *Config) fill() error {
	d := DefaultConfig()
	if c.OutDir == "" {
		return fmt.Errorf("pipeline: no output folder (Config.OutDir is empty)")
	}
	if c.ObsNoise == nil {
		c.ObsNoise = d.ObsNoise
	}
	if len(c.ObsNoise) == 0 {
		return fmt.Errorf("pipeline: no observation-noise sd (Config.ObsNoise is empty; nil means %g)", DefaultObsNoise)
	}
	for _, v := range c.ObsNoise {
		if !(v > 0) || math.IsInf(v, 0) {
			return fmt.Errorf("pipeline: observation-noise sd %g: want a finite value above 0", v)
		}
	}
	if c.Samples == 0 {
		c.Samples = d.Samples
	}
	if c.MAPDraws == 0 {
		c.MAPDraws = d.MAPDraws
	}
	if c.FitSteps == 0 {
		c.FitSteps = d.FitSteps
	}
	if c.MCMC.Paper.Walkers == 0 {
		c.MCMC = d.MCMC
	}
	if c.Calibration.Draws == 0 {
		c.Calibration.Draws = d.Calibration.Draws
	}
	if c.Samples < 2 || c.MAPDraws < 2 || c.FitSteps < 1 {
		return fmt.Errorf("pipeline: samples %d, MAP draws %d, fit steps %d: want at least 2, 2 and 1", c.Samples, c.MAPDraws, c.FitSteps)
	}
	return nil
}
