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
func (a *Adam[T]) Update(p, g []T, scale T) { a.step(p, g, scale, false) }

// UpdateClear is Update, and sets g to zero in the same pass: for a caller
// that accumulates the next step's gradient into g, which then need not be
// cleared in a pass of its own.
func (a *Adam[T]) UpdateClear(p, g []T, scale T) { a.step(p, g, scale, true) }

func (a *Adam[T]) step(p, g []T, scale T, zero bool) {
	if len(p) != len(a.m1) || len(g) != len(a.m1) {
		panic(fmt.Sprintf("optim: Adam for %d parameters updated with %d parameters and %d gradients", len(a.m1), len(p), len(g)))
	}
	a.steps++
	n := len(p)
	parts := min(runtime.GOMAXPROCS(0), n/minParallelAdam)
	if parts <= 1 {
		a.update(p, g, a.m1[:n], a.m2[:n], scale, zero)
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
			a.update(p[lo:hi], g[lo:hi], a.m1[lo:hi], a.m2[lo:hi], scale, zero)
		}()
	}
	a.update(p[:n/parts], g[:n/parts], a.m1[:n/parts], a.m2[:n/parts], scale, zero)
	wg.Wait()
}

// minParallelAdam is the fewest parameters per goroutine: below it, waking
// a goroutine costs more than it saves.
const minParallelAdam = 1 << 15

// update applies step a.steps to the parameters p with gradients g and
// moments m1s, m2s (slices of the same range), zeroing g if zero is set.
func (a *Adam[T]) update(p, g, m1s, m2s []T, scale T, zero bool) {
	c := a.cfg
	t := float64(a.steps)
	lr := T(c.LearningRate)
	k := adamStep[T]{scale: scale, b1: T(c.Beta1), b2: T(c.Beta2), eps: T(c.Epsilon), decay: lr * T(c.WeightDecay)}
	k.omb1, k.omb2 = 1-k.b1, 1-k.b2
	if c.FoldBias {
		// p −= αₜ·m/(√v + ε): the general form with both corrections 1,
		// whose multiplications by 1 are exact.
		k.lr = T(c.LearningRate * math.Sqrt(1-math.Pow(c.Beta2, t)) / (1 - math.Pow(c.Beta1, t)))
		k.db1, k.db2 = 1, 1
	} else {
		// The bias corrections as reciprocals, multiplied in: GoMLX's order.
		k.lr = lr
		k.db1 = T(1 / (1 - math.Pow(c.Beta1, t)))
		k.db2 = T(1 / (1 - math.Pow(c.Beta2, t)))
	}
	m1s, m2s, g = m1s[:len(p)], m2s[:len(p)], g[:len(p)]
	done := 0
	if p32, ok := any(p).([]float32); ok {
		k32 := any(k).(adamStep[float32])
		done = adamVector(p32, any(g).([]float32), any(m1s).([]float32), any(m2s).([]float32), &k32, zero)
	}
	adamGo(p[done:], g[done:], m1s[done:], m2s[done:], &k)
	if zero {
		clear(g[done:])
	}
}

// adamStep holds the per-step scalars of an update, in T; the assembly
// (adam_amd64.s) reads the float32 form's fields in this order.
type adamStep[T Float] struct {
	scale, b1, omb1, b2, omb2, lr, db1, db2, eps, decay T
}

// adamConsts is the float32 step the assembly takes.
type adamConsts = adamStep[float32]

// adamGo is the update loop in Go: every build's reference, and the whole
// update on CPUs without AVX2, in purego builds and for float64. The vector
// loop does the same float32 operations in the same order.
func adamGo[T Float](p, g, m1s, m2s []T, k *adamStep[T]) {
	m1s, m2s, g = m1s[:len(p)], m2s[:len(p)], g[:len(p)]
	scale, b1, omb1, b2, omb2 := k.scale, k.b1, k.omb1, k.b2, k.omb2
	lr, db1, db2, eps, decay := k.lr, k.db1, k.db2, k.eps, k.decay
	for i, gi := range g {
		gi *= scale
		m1 := b1*m1s[i] + omb1*gi
		m2 := b2*m2s[i] + omb2*gi*gi
		m1s[i], m2s[i] = m1, m2
		p[i] -= lr*m1*db1/(T(math.Sqrt(float64(m2*db2)))+eps) + decay*p[i]
	}
}
