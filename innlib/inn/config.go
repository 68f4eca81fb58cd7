package inn

import (
	"fmt"
	"io"
	"math"

	"github.com/ozarkinn/inn/innlib/backend"
	"github.com/ozarkinn/inn/innlib/flow"
	"github.com/ozarkinn/inn/innlib/internal/rows"
	"github.com/ozarkinn/inn/innlib/mmd"
)

// Recipe names a training recipe. Both share the coupling blocks of package flow.
type Recipe string

const (
	// Bidirectional is the paper's invertible network (Ardizzone et al. 2019):
	// x ↔ [y, z], trained with a fit term on y, MMD on [z, y] and a backward MMD
	// on x. It emulates (Forward) and inverts (Posterior).
	Bidirectional Recipe = "bidirectional"
	// Conditional is the maximum-likelihood conditional flow (cINN / NPE):
	// x ↔ z conditioned on y, loss mean(½|z|² − log|det J|). It only inverts.
	Conditional Recipe = "conditional"
)

// Box transforms for parameters with a prior box.
const (
	// BoxLogit maps the box bijectively onto the real line with a logit of the
	// box-normalised value, so every posterior sample lies inside the box.
	BoxLogit = "logit"
	// BoxLinear only rescales; posterior samples can leave the box, and
	// Posterior reports the fraction that did.
	BoxLinear = "linear"
)

// Defaults for Config.
const (
	DefaultPadNoise = 1e-3 // Std of the noise in padding dimensions (standardised units).
	DefaultYNoise   = 5e-3 // Std of the regularising noise on y when no observation noise is modelled.
	DefaultDType    = "float32"
	DefaultBoxEps   = 1e-6 // Box-normalised values are clipped to [eps, 1−eps] before the logit.
	// Training engines, see TrainConfig.Engine.
	EngineNative = "native"
	EngineGraph  = "graph"
	// DefaultLogitWeight keeps the box map nearly linear inside the box; see Config.LogitWeight.
	DefaultLogitWeight = 0.1
)

// Config describes a model and how to train it. The zero value of every field
// means its documented default; WithDefaults fills them in.
type Config struct {
	Recipe Recipe // Default Bidirectional.

	// LatentDim is k, the width of z in the bidirectional recipe. Default:
	// max(n' − m, 1), where n' = n, or n + m when observation noise is modelled
	// (see ObsNoise) -- the paper's 8 parameters and 5 outputs give k = 3.
	// Ignored by the conditional recipe (z has the width of the flow).
	LatentDim int
	// Width is the width D of the flow. Default: the smallest width that holds
	// both sides (n plus modelled noise dimensions, and m + k), at least 2.
	// Extra width is zero padding on both sides; padding must map to zero and
	// is part of the loss.
	Width int

	// Flow sets blocks, subnetworks and clamp (Dim and CondDim are set by the model).
	Flow flow.Config

	// DType is "float32" (default) or "float64".
	DType string

	// Lo and Hi are the prior box of the parameters, in original units. Optional:
	// without them parameters are only standardised.
	Lo, Hi []float64
	// BoxTransform is BoxLogit (default when a box is given) or BoxLinear.
	BoxTransform string
	// LogitWeight is w in the logit box map √12·(u − ½) + w·logit(u) of the
	// box-normalised value u. Larger w spreads the edges of the box more.
	// Default DefaultLogitWeight.
	LogitWeight float64

	// ObsNoise is the standard deviation of the Gaussian observation noise on y,
	// in y's original units: one value for all outputs or one per output. 0 (the
	// default) means none. It enters training: the conditional recipe conditions
	// on y + noise; the bidirectional recipe, whose forward map is
	// deterministic, takes the noise as extra latent inputs (ε in y + σε).
	ObsNoise []float64

	Loss  LossConfig
	Train TrainConfig
}

// LossConfig weights and shapes the loss terms.
type LossConfig struct {
	// Weights of the bidirectional terms.
	Fit            float64 // MSE of predicted vs (noisy) y. Default 1.
	LatentMMD      float64 // MMD of [z, stop_gradient(y_pred)] vs [N(0,I), y]. Default 1.
	BackwardMMD    float64 // Full weight of the backward MMD on x. Default 1.
	Reconstruction float64 // MSE of Inverse(Forward(x)+noise) vs x. Default 0 (off).
	Padding        float64 // MSE of padding outputs (both directions) vs 0. Default 1.

	// BackwardRamp is how the backward MMD weight grows over training:
	// "none" (default): full weight from the start; "ardizzone":
	// min(1, 2·0.002^(1 − epoch/epochs)) as in the reference code, full weight
	// only from 89% of the epochs on. The reference code ramps because the
	// summed loss can get stuck with the backward term on from the start; with
	// the gradient projection (Surgery) it does not, and on the Ozark data the
	// ramp only delayed the inverse training until the last epochs, where it
	// then cost forward accuracy.
	BackwardRamp string

	// Kernels of the MMD terms (inverse multiquadric, see package mmd).
	// Defaults: ForwardKernels widths 0.2, 0.5, 1, 2, 5; BackwardKernels the same.
	ForwardKernels, BackwardKernels []mmd.Kernel

	// Surgery sets how the gradients of the forward terms (fit, output
	// padding) and of the inverse terms (latent MMD, backward MMD,
	// reconstruction, input padding) are combined: "project" (default)
	// removes from the inverse gradient its component against the forward
	// gradient whenever the two conflict (PCGrad, Yu et al. 2020), so that a
	// step never trades forward accuracy for the inverse terms to first
	// order; "sum" adds them, as the paper's recipe does.
	Surgery string

	YNoise   float64 // Std of regularising noise on standardised y (when ObsNoise is 0). Default DefaultYNoise; negative for none.
	PadNoise float64 // Std of noise in padding inputs. Default DefaultPadNoise; negative for none.
}

// TrainConfig controls optimisation.
type TrainConfig struct {
	Epochs       int     // Default 200.
	BatchSize    int     // Default 64.
	LearningRate float64 // Adam learning rate. Default 1e-3.
	// LRSchedule is "cosine" (default: decays to MinLRFactor·LearningRate at the last epoch) or "constant".
	LRSchedule  string
	MinLRFactor float64 // Default 0.01.
	Beta1       float64 // Default 0.9.
	Beta2       float64 // Default 0.95 (the reference INN code's setting).
	Epsilon     float64 // Default 1e-6.
	WeightDecay float64 // Decoupled weight decay. Default 1e-5.
	ClipNorm    float64 // Global gradient-norm clip. Default 10; negative for none.

	// ValFraction of the rows is held out for validation when no validation
	// set is given (a seeded random choice). Default 0.1.
	ValFraction float64
	// Patience stops training after that many epochs without a better
	// validation score; 0 (default) trains all epochs. The best weights are
	// always kept.
	Patience int

	Seed uint64 // Seeds weights, permutations, batches and noise. Same seed, same model.

	// Engine runs the training steps. EngineNative evaluates the network,
	// its hand-derived gradients and Adam in plain Go on the gemm kernels,
	// about 10× faster than graphs on SimpleGo; it is the default for
	// float32 models on SimpleGo. EngineGraph builds GoMLX graphs and lets
	// GoMLX differentiate them on the selected backend: the default for
	// float64 and when $GOMLX_BACKEND picks another backend, such as XLA.
	// Both compute the same loss and gradient; the tests check they agree.
	Engine string

	// Progress receives a progress bar with the loss terms (e.g. os.Stderr); nil for none.
	Progress io.Writer `json:"-"`
	// OnEpoch, if set, is called after every epoch with its statistics.
	OnEpoch func(EpochStats) `json:"-"`
}

// WithDefaults returns c with zero fields set to their defaults (for data with
// n parameters and m outputs).
func (c Config) WithDefaults() Config {
	if c.Recipe == "" {
		c.Recipe = Bidirectional
	}
	if c.DType == "" {
		c.DType = DefaultDType
	}
	if c.BoxTransform == "" && c.Lo != nil {
		c.BoxTransform = BoxLogit
	}
	setDefault(&c.LogitWeight, DefaultLogitWeight)
	l := &c.Loss
	setDefault(&l.Fit, 1)
	setDefault(&l.LatentMMD, 1)
	setDefault(&l.BackwardMMD, 1)
	setDefault(&l.Padding, 1)
	if l.Surgery == "" {
		l.Surgery = "project"
	}
	if l.BackwardRamp == "" {
		l.BackwardRamp = "none"
	}
	if l.ForwardKernels == nil {
		l.ForwardKernels = mmd.Widths(0.2, 0.5, 1, 2, 5)
	}
	if l.BackwardKernels == nil {
		l.BackwardKernels = mmd.Widths(0.2, 0.5, 1, 2, 5)
	}
	setDefault(&l.YNoise, DefaultYNoise)
	setDefault(&l.PadNoise, DefaultPadNoise)
	t := &c.Train
	if t.Epochs == 0 {
		t.Epochs = 200
	}
	if t.BatchSize == 0 {
		t.BatchSize = 64
	}
	setDefault(&t.LearningRate, 1e-3)
	if t.LRSchedule == "" {
		t.LRSchedule = "cosine"
	}
	setDefault(&t.MinLRFactor, 0.01)
	setDefault(&t.Beta1, 0.9)
	setDefault(&t.Beta2, 0.95)
	setDefault(&t.Epsilon, 1e-6)
	setDefault(&t.WeightDecay, 1e-5)
	setDefault(&t.ClipNorm, 10)
	setDefault(&t.ValFraction, 0.1)
	if t.Engine == "" {
		t.Engine = EngineGraph
		if c.DType == "float32" && backend.Name() == "go" {
			t.Engine = EngineNative
		}
	}
	c.Flow = c.Flow.WithDefaults()
	return c
}

func setDefault(v *float64, def float64) {
	if *v == 0 {
		*v = def
	}
}

// positive returns v, or 0 for the "negative means none" convention.
func positive(v float64) float64 { return math.Max(v, 0) }

// Check reports, without training, whether the configuration (defaults
// filled in) can train on data with n parameters and m outputs: settings and
// flow layout. Training checks the same, so Check lets a caller that trains
// several models at once fail before any of them starts.
func (c Config) Check(n, m int) error {
	c = c.WithDefaults()
	if err := c.validate(n, m); err != nil {
		return err
	}
	_, err := newLayout(c, n, m)
	return err
}

// validate checks the configuration against data with n parameters and m outputs.
func (c Config) validate(n, m int) error {
	switch c.Recipe {
	case Bidirectional, Conditional:
	default:
		return fmt.Errorf("inn: unknown recipe %q (want %q or %q)", c.Recipe, Bidirectional, Conditional)
	}
	switch c.DType {
	case "float32", "float64":
	default:
		return fmt.Errorf("inn: dtype %q, want float32 or float64", c.DType)
	}
	if (c.Lo == nil) != (c.Hi == nil) {
		return fmt.Errorf("inn: prior box needs both Lo and Hi")
	}
	if c.Lo != nil {
		if len(c.Lo) != n || len(c.Hi) != n {
			return fmt.Errorf("inn: prior box has %d lower and %d upper bounds for %d parameters", len(c.Lo), len(c.Hi), n)
		}
		for i := range c.Lo {
			if !(c.Hi[i] > c.Lo[i]) || math.IsInf(c.Lo[i], 0) || math.IsInf(c.Hi[i], 0) || math.IsNaN(c.Lo[i]) || math.IsNaN(c.Hi[i]) {
				return fmt.Errorf("inn: prior box of parameter %d is [%g, %g]; want finite bounds with lo < hi", i, c.Lo[i], c.Hi[i])
			}
			// The box map divides by the width: it must be finite and resolvable.
			if !rows.ScaleOK(c.Lo[i], c.Hi[i]-c.Lo[i]) {
				return fmt.Errorf("inn: prior box of parameter %d is [%g, %g]; want a finite width above %g·max(1, |lo|)", i, c.Lo[i], c.Hi[i], rows.MinRelScale)
			}
		}
		if !(c.LogitWeight > 0) || math.IsInf(c.LogitWeight, 0) {
			return fmt.Errorf("inn: logit weight %g, want a finite value > 0", c.LogitWeight)
		}
		switch c.BoxTransform {
		case BoxLogit, BoxLinear:
		default:
			return fmt.Errorf("inn: box transform %q, want %q or %q", c.BoxTransform, BoxLogit, BoxLinear)
		}
	}
	if len(c.ObsNoise) != 0 && len(c.ObsNoise) != 1 && len(c.ObsNoise) != m {
		return fmt.Errorf("inn: %d observation-noise values for %d outputs; give one value or one per output", len(c.ObsNoise), m)
	}
	for i, s := range c.ObsNoise {
		if s < 0 || math.IsNaN(s) || math.IsInf(s, 0) {
			return fmt.Errorf("inn: observation noise %d is %g; want a finite value >= 0", i, s)
		}
	}
	if c.LatentDim < 0 || c.Width < 0 {
		return fmt.Errorf("inn: latent width %d and flow width %d must not be negative", c.LatentDim, c.Width)
	}
	switch c.Loss.Surgery {
	case "project", "sum":
	default:
		return fmt.Errorf("inn: gradient surgery %q, want project or sum", c.Loss.Surgery)
	}
	switch c.Loss.BackwardRamp {
	case "ardizzone", "none":
	default:
		return fmt.Errorf("inn: backward ramp %q, want ardizzone or none", c.Loss.BackwardRamp)
	}
	if err := mmd.Validate(c.Loss.ForwardKernels); err != nil {
		return fmt.Errorf("inn: forward kernels: %w", err)
	}
	if err := mmd.Validate(c.Loss.BackwardKernels); err != nil {
		return fmt.Errorf("inn: backward kernels: %w", err)
	}
	t := c.Train
	switch {
	case t.Epochs < 1:
		return fmt.Errorf("inn: %d epochs, want >= 1", t.Epochs)
	case t.BatchSize < 2:
		return fmt.Errorf("inn: batch size %d, want >= 2 (the MMD terms compare samples)", t.BatchSize)
	case !(t.LearningRate > 0):
		return fmt.Errorf("inn: learning rate %g, want > 0", t.LearningRate)
	case t.LRSchedule != "cosine" && t.LRSchedule != "constant":
		return fmt.Errorf("inn: learning-rate schedule %q, want cosine or constant", t.LRSchedule)
	case !(t.ValFraction > 0 && t.ValFraction < 1):
		return fmt.Errorf("inn: validation fraction %g, want in (0, 1)", t.ValFraction)
	case t.Patience < 0:
		return fmt.Errorf("inn: patience %d, want >= 0", t.Patience)
	case t.Engine != EngineNative && t.Engine != EngineGraph:
		return fmt.Errorf("inn: training engine %q, want %q or %q", t.Engine, EngineNative, EngineGraph)
	case t.Engine == EngineNative && c.DType != "float32":
		return fmt.Errorf("inn: the %q training engine runs float32 only; use %q for %s", EngineNative, EngineGraph, c.DType)
	}
	return nil
}
