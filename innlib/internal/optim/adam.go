package optim

import (
	"fmt"
	"math"
	"runtime"
	"sync"
)

// Float is the element type of parameters, gradients and moments.
type Float interface{ ~float32 | ~float64 }

// AdamConfig sets Adam's hyperparameters. There are no hidden defaults:
// every field is used as given (Kingma & Ba's defaults are 0.9, 0.999, 1e-8).
type AdamConfig struct {
	LearningRate float64 // Step size α; SetLearningRate changes it between steps.
	Beta1, Beta2 float64 // Decay rates of the first and second moments, in [0, 1).
	Epsilon      float64 // Added to √v in the denominator.
	// WeightDecay is decoupled weight decay (AdamW, Loshchilov & Hutter
	// 2019): each step also subtracts LearningRate·WeightDecay·p, outside the
	// moments. 0 for none.
	WeightDecay float64
	// FoldBias selects where the bias correction goes. false (the default,
	// as GoMLX's optimizers.Adam and PyTorch): on the moments,
	// p −= α·m̂/(√v̂ + ε) with m̂ = m/(1−β1ᵗ), v̂ = v/(1−β2ᵗ). true (Kingma &
	// Ba §2's cheaper ordering, as scikit-learn): on the step size,
	// p −= αₜ·m/(√v + ε) with αₜ = α·√(1−β2ᵗ)/(1−β1ᵗ). The two differ only in
	// how ε is scaled.
	FoldBias bool
}

// Validate reports a configuration Adam cannot run with.
func (c AdamConfig) Validate() error {
	switch {
	case !(c.LearningRate > 0) || math.IsInf(c.LearningRate, 0):
		return fmt.Errorf("optim: Adam learning rate %g, want a finite value > 0", c.LearningRate)
	case !(c.Beta1 >= 0 && c.Beta1 < 1) || !(c.Beta2 >= 0 && c.Beta2 < 1):
		return fmt.Errorf("optim: Adam betas %g, %g, want each in [0, 1)", c.Beta1, c.Beta2)
	case !(c.Epsilon >= 0) || math.IsInf(c.Epsilon, 0):
		return fmt.Errorf("optim: Adam epsilon %g, want a finite value >= 0", c.Epsilon)
	case !(c.WeightDecay >= 0) || math.IsInf(c.WeightDecay, 0):
		return fmt.Errorf("optim: Adam weight decay %g, want a finite value >= 0", c.WeightDecay)
	}
	return nil
}

// Adam is the Adam optimiser (Kingma & Ba 2015) for one flat parameter
// vector. Moments are kept in T; the per-step scalars are computed in
// float64 and converted to T once per step, so a float32 Adam does float32
// arithmetic in its loop.
type Adam[T Float] struct {
	cfg    AdamConfig
	m1, m2 []T
	steps  int
}

// NewAdam returns Adam for n parameters, with zero moments.
func NewAdam[T Float](n int, cfg AdamConfig) *Adam[T] {
	return &Adam[T]{cfg: cfg, m1: make([]T, n), m2: make([]T, n)}
}

// SetLearningRate sets the step size of the following updates (a schedule).
func (a *Adam[T]) SetLearningRate(lr float64) { a.cfg.LearningRate = lr }

// LearningRate returns the current step size.
func (a *Adam[T]) LearningRate() float64 { return a.cfg.LearningRate }

// Steps returns the number of updates taken.
func (a *Adam[T]) Steps() int { return a.steps }

// Update takes one step: p −= Adam(scale·g). scale multiplies the gradient
// first (a clipping factor; 1 for none). p and g must have the length Adam
// was made for; g is not changed.
func (a *Adam[T]) Update(p, g []T, scale T) {
	if len(p) != len(a.m1) || len(g) != len(a.m1) {
		panic(fmt.Sprintf("optim: Adam for %d parameters updated with %d parameters and %d gradients", len(a.m1), len(p), len(g)))
	}
	a.steps++
	n := len(p)
	parts := min(runtime.GOMAXPROCS(0), n/minParallelAdam)
	if parts <= 1 {
		a.update(p, g, a.m1[:n], a.m2[:n], scale)
		return
	}
	// Each element is updated on its own, so splitting the vector over
	// goroutines gives the same bits.
	var wg sync.WaitGroup
	wg.Add(parts - 1)
	for i := 1; i < parts; i++ {
		lo, hi := i*n/parts, (i+1)*n/parts
		go func() {
			defer wg.Done()
			a.update(p[lo:hi], g[lo:hi], a.m1[lo:hi], a.m2[lo:hi], scale)
		}()
	}
	a.update(p[:n/parts], g[:n/parts], a.m1[:n/parts], a.m2[:n/parts], scale)
	wg.Wait()
}

// minParallelAdam is the fewest parameters per goroutine: below it, waking
// a goroutine costs more than it saves.
const minParallelAdam = 1 << 15

// update applies step a.steps to the parameters p with gradients g and
// moments m1s, m2s (slices of the same range).
func (a *Adam[T]) update(p, g, m1s, m2s []T, scale T) {
	c := a.cfg
	t := float64(a.steps)
	b1, b2, eps := T(c.Beta1), T(c.Beta2), T(c.Epsilon)
	lr := T(c.LearningRate)
	decay := lr * T(c.WeightDecay)
	m1s, m2s = m1s[:len(p)], m2s[:len(p)]
	g = g[:len(p)]
	if c.FoldBias {
		lrt := T(c.LearningRate * math.Sqrt(1-math.Pow(c.Beta2, t)) / (1 - math.Pow(c.Beta1, t)))
		for i, gi := range g {
			gi *= scale
			m1 := b1*m1s[i] + (1-b1)*gi
			m2 := b2*m2s[i] + (1-b2)*gi*gi
			m1s[i], m2s[i] = m1, m2
			p[i] -= lrt*m1/(T(math.Sqrt(float64(m2)))+eps) + decay*p[i]
		}
		return
	}
	// The bias corrections as reciprocals, multiplied in: GoMLX's order.
	db1 := T(1 / (1 - math.Pow(c.Beta1, t)))
	db2 := T(1 / (1 - math.Pow(c.Beta2, t)))
	for i, gi := range g {
		gi *= scale
		m1 := b1*m1s[i] + (1-b1)*gi
		m2 := b2*m2s[i] + (1-b2)*gi*gi
		m1s[i], m2s[i] = m1, m2
		p[i] -= lr*m1*db1/(T(math.Sqrt(float64(m2*db2)))+eps) + decay*p[i]
	}
}
