package mcmc

import (
	"errors"
	"fmt"
	"math"
)

// Defaults reproduce the emcee run of Lu, Ricciuto & Zhang (2022): 16 walkers,
// 50000 steps, the first 40000 discarded, every 100th step of the rest kept,
// which gives 16 × 100 = 1600 posterior samples.
const (
	DefaultWalkers  = 16
	DefaultSteps    = 50000
	DefaultBurnIn   = 40000
	DefaultThin     = 100
	DefaultStretchA = 2.0 // Goodman & Weare (2010) and emcee.
)

// maxChainValues bounds Walkers·(Steps−BurnIn)·dim, the float64 values of
// Result.Chain (8 GiB), so that absurd settings give an error, not a crash.
const maxChainValues = 1 << 30

// maxInitCondition is the largest condition number of the scaled, centred
// initial ensemble that Sample accepts; emcee uses the same bound. A stretch
// move keeps every walker in the affine hull of the ensemble, so walkers that
// start (nearly) in a lower-dimensional subspace never leave it.
const maxInitCondition = 1e8

// Config sets up a run of the affine-invariant ensemble sampler.
//
// Fields are used as given, with two exceptions that have no valid zero value:
// a zero StretchA means DefaultStretchA and a zero Thin means 1 (keep every
// step). DefaultConfig returns the paper's settings.
type Config struct {
	// Walkers is the ensemble size. It must be even (the ensemble is updated
	// in two equal halves) and at least 2·dim, emcee's rule: fewer walkers
	// than dim+1 cannot span the space at all, and near that bound the
	// ensemble mixes badly.
	Walkers int

	// Steps is the total number of ensemble steps, burn-in included. One step
	// updates every walker once (two half-ensemble moves).
	Steps int

	// BurnIn is the number of initial steps discarded. Steps-BurnIn must be
	// at least 1. Zero means no burn-in.
	BurnIn int

	// Thin keeps every Thin-th post-burn-in step in Result.Samples (the first
	// post-burn-in step is kept, as emcee's get_chain(discard, thin) does).
	// The unthinned post-burn-in chain is kept in Result.Chain regardless.
	Thin int

	// StretchA is the scale a > 1 of the stretch move: the stretch factor z
	// has density ∝ 1/√z on [1/a, a].
	StretchA float64

	// Seed seeds the PCG generator (math/rand/v2) that drives every random
	// choice; a run is repeatable bit for bit given Seed, the config and a
	// deterministic log-density.
	Seed uint64

	// Lo and Hi, when non-nil, give the uniform box prior Lo[i] <= x[i] <= Hi[i].
	// Proposals outside the box are rejected without calling the log-density.
	// Bounds may be infinite (a half-open box) only if Init is given.
	Lo, Hi []float64

	// Init, when non-nil, holds the initial position of each walker
	// (Walkers rows of length dim); it is copied, not retained. When nil,
	// the initial positions are drawn uniformly in the box.
	Init [][]float64
}

// DefaultConfig returns the paper's settings (DefaultWalkers, DefaultSteps,
// DefaultBurnIn, DefaultThin, DefaultStretchA) with the given seed and no box
// or initial positions.
func DefaultConfig(seed uint64) Config {
	return Config{
		Walkers:  DefaultWalkers,
		Steps:    DefaultSteps,
		BurnIn:   DefaultBurnIn,
		Thin:     DefaultThin,
		StretchA: DefaultStretchA,
		Seed:     seed,
	}
}

// withDefaults returns c with the zero-means-default fields filled in.
func (c Config) withDefaults() Config {
	if c.StretchA == 0 {
		c.StretchA = DefaultStretchA
	}
	if c.Thin == 0 {
		c.Thin = 1
	}
	return c
}

// validate checks c (defaults already applied) for a problem of dimension dim.
func (c Config) validate(dim int) error {
	if dim < 1 {
		return fmt.Errorf("mcmc: dimension must be >= 1, got %d", dim)
	}
	if c.Walkers < 2*dim || c.Walkers%2 != 0 {
		return fmt.Errorf("mcmc: Walkers must be even and >= 2*dim = %d, got %d", 2*dim, c.Walkers)
	}
	if c.Steps < 1 {
		return fmt.Errorf("mcmc: Steps must be >= 1, got %d", c.Steps)
	}
	if c.BurnIn < 0 || c.BurnIn >= c.Steps {
		return fmt.Errorf("mcmc: BurnIn must be in [0, Steps) = [0, %d), got %d", c.Steps, c.BurnIn)
	}
	if c.Thin < 1 {
		return fmt.Errorf("mcmc: Thin must be >= 1, got %d", c.Thin)
	}
	if !(c.StretchA > 1) || math.IsInf(c.StretchA, 1) {
		return fmt.Errorf("mcmc: StretchA must be finite and > 1, got %v", c.StretchA)
	}
	if v := float64(c.Walkers) * float64(c.Steps-c.BurnIn) * float64(dim); v > maxChainValues {
		return fmt.Errorf("mcmc: the post-burn-in chain would hold %.3g values (> %d); raise BurnIn or lower Steps", v, maxChainValues)
	}
	if (c.Lo == nil) != (c.Hi == nil) {
		return errors.New("mcmc: Lo and Hi must both be set or both be nil")
	}
	if c.Lo != nil {
		if len(c.Lo) != dim || len(c.Hi) != dim {
			return fmt.Errorf("mcmc: box has len(Lo) = %d, len(Hi) = %d, want dim = %d", len(c.Lo), len(c.Hi), dim)
		}
		for i := range dim {
			lo, hi := c.Lo[i], c.Hi[i]
			if math.IsNaN(lo) || math.IsNaN(hi) || !(lo < hi) {
				return fmt.Errorf("mcmc: box dimension %d: need Lo < Hi, got [%v, %v]", i, lo, hi)
			}
			if c.Init == nil && (math.IsInf(lo, 0) || math.IsInf(hi, 0)) {
				return fmt.Errorf("mcmc: box dimension %d is unbounded ([%v, %v]); give Init to start walkers", i, lo, hi)
			}
		}
	}
	if c.Init == nil {
		if c.Lo == nil {
			return errors.New("mcmc: need Init or a box (Lo, Hi) to place the initial walkers")
		}
		return nil
	}
	if len(c.Init) != c.Walkers {
		return fmt.Errorf("mcmc: Init has %d rows, want Walkers = %d", len(c.Init), c.Walkers)
	}
	for w, x := range c.Init {
		if len(x) != dim {
			return fmt.Errorf("mcmc: Init[%d] has length %d, want dim = %d", w, len(x), dim)
		}
		for i, v := range x {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("mcmc: Init[%d][%d] is %v", w, i, v)
			}
			if c.Lo != nil && (v < c.Lo[i] || v > c.Hi[i]) {
				return fmt.Errorf("mcmc: initial walker %d is outside the box: x[%d] = %v not in [%v, %v]", w, i, v, c.Lo[i], c.Hi[i])
			}
		}
	}
	return nil
}
