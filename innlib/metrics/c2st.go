package metrics

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
)

// Defaults for C2STConfig.
const (
	DefaultC2STFolds       = 5    // k of k-fold cross-validation, as sbibm.
	DefaultC2STBatch       = 200  // Minibatch size, scikit-learn's min(200, n).
	DefaultC2STLearnRate   = 1e-3 // Adam step, scikit-learn's default.
	DefaultC2STL2          = 1e-4 // L2 penalty alpha, scikit-learn's default.
	DefaultC2STTol         = 1e-3 // Held-out loss improvement that counts as progress.
	DefaultC2STPatience    = 10   // Epochs without progress before stopping, scikit-learn's n_iter_no_change.
	DefaultC2STValFraction = 0.1  // Held out for early stopping, scikit-learn's validation_fraction.
	DefaultC2STMaxEpochs   = 200  // Cap on epochs per fold; early stopping usually ends at 10-60.
)

// C2STConfig sets up the classifier two-sample test. The zero value is
// sbibm's recipe with the deviations listed at C2ST.
type C2STConfig struct {
	Folds     int     // Cross-validation folds, >= 2. Default DefaultC2STFolds.
	Hidden    int     // Units in each of the two hidden layers. Default 10·dim (sbibm).
	Batch     int     // Minibatch size. Default DefaultC2STBatch.
	MaxEpochs int     // Cap on passes over the training folds. Default DefaultC2STMaxEpochs.
	LearnRate float64 // Adam learning rate. Default DefaultC2STLearnRate.
	L2        float64 // L2 penalty alpha (scikit-learn form). Default DefaultC2STL2; negative for none.
	Tol       float64 // Loss fall that counts as progress. Default DefaultC2STTol.
	Patience  int     // Epochs without progress before stopping. Default DefaultC2STPatience.
	// ValFraction is the fraction of training pairs held out to stop
	// training early and keep the best weights. Negative selects
	// scikit-learn's default rule instead (stop on the training loss, no
	// hold-out), which overfits: see C2ST. If rounding leaves no pair out,
	// that rule applies too; set Tol to 1e-4 as well for scikit-learn's
	// exact rule. Default DefaultC2STValFraction.
	ValFraction float64
	Seed        uint64 // Seeds subsampling, fold assignment, initialisation and shuffling.
	NoZScore    bool   // Skip z-scoring the features (sbibm z-scores by default).
	Workers     int    // Folds trained at once. Default runtime.GOMAXPROCS(0).
}

// WithDefaults returns c with zero fields set to their defaults; dim is the
// number of features.
func (c C2STConfig) WithDefaults(dim int) C2STConfig {
	if c.Folds == 0 {
		c.Folds = DefaultC2STFolds
	}
	if c.Hidden == 0 {
		c.Hidden = 10 * dim
	}
	if c.Batch == 0 {
		c.Batch = DefaultC2STBatch
	}
	if c.MaxEpochs == 0 {
		c.MaxEpochs = DefaultC2STMaxEpochs
	}
	if c.LearnRate == 0 {
		c.LearnRate = DefaultC2STLearnRate
	}
	if c.L2 == 0 {
		c.L2 = DefaultC2STL2
	} else if c.L2 < 0 {
		c.L2 = 0
	}
	if c.Tol == 0 {
		c.Tol = DefaultC2STTol
	}
	if c.Patience == 0 {
		c.Patience = DefaultC2STPatience
	}
	if c.ValFraction == 0 {
		c.ValFraction = DefaultC2STValFraction
	} else if c.ValFraction < 0 {
		c.ValFraction = 0
	}
	if c.Workers == 0 {
		c.Workers = runtime.GOMAXPROCS(0)
	}
	return c
}

func (c C2STConfig) validate() error {
	switch {
	case c.Folds < 2:
		return fmt.Errorf("metrics.C2ST: %d folds, want >= 2: %w", c.Folds, ErrDomain)
	case c.Hidden < 1 || c.Batch < 1 || c.MaxEpochs < 1 || c.Patience < 1 || c.Workers < 1:
		return fmt.Errorf("metrics.C2ST: Hidden %d, Batch %d, MaxEpochs %d, Patience %d, Workers %d; all must be >= 1: %w",
			c.Hidden, c.Batch, c.MaxEpochs, c.Patience, c.Workers, ErrDomain)
	case !(c.ValFraction >= 0 && c.ValFraction < 1):
		return fmt.Errorf("metrics.C2ST: ValFraction %g outside [0, 1): %w", c.ValFraction, ErrDomain)
	case !(c.LearnRate > 0) || !finite(c.LearnRate) || !finite(c.L2) || !(c.Tol >= 0):
		return fmt.Errorf("metrics.C2ST: LearnRate %g, L2 %g, Tol %g: %w", c.LearnRate, c.L2, c.Tol, ErrDomain)
	}
	return nil
}

// C2STResult is the outcome of C2ST.
type C2STResult struct {
	Accuracy float64   // Mean held-out accuracy over the folds: 0.5 = indistinguishable, 1 = disjoint.
	Folds    []float64 // Held-out accuracy of each fold; their spread shows the test's noise.
	Epochs   []int     // Epochs trained in each fold (MaxEpochs if the cap stopped it).
	N        int       // Draws per sample used (the smaller sample size).
}

// C2ST is the classifier two-sample test (Lopez-Paz & Oquab 2017) in the form
// of sbibm's c2st: a classifier learns to tell draws of x (label 0) from
// draws of y (label 1), and its mean held-out accuracy over k-fold
// cross-validation is the score: 0.5 when x and y come from the same
// distribution, up to 1 when their supports are disjoint. No classifier beats
// the Bayes accuracy 1/2 + TV(p_x, p_y)/2 in expectation, and a finite
// sample falls a little short of it: for 2 × 1600 draws in 8 dimensions we
// measured 0.70 for a mean shift of Bayes accuracy 0.69, 0.60 for a change of
// correlation (Bayes 0.62) and 0.57-0.60 for a change of scale (Bayes 0.60).
// Rows are draws, columns parameters; x and y may differ in size.
//
// The recipe, as sbibm (which calls scikit-learn): features z-scored with the
// mean and standard deviation (n − 1) of x (a constant column is only
// centred); an MLP with two ReLU hidden layers of 10·dim units and a logistic
// output, Glorot-uniform initialisation, trained on the mean logistic loss
// plus an L2 penalty 1e-4 with Adam (lr 1e-3, β = 0.9, 0.999, minibatches of
// 200); k = 5 shuffled folds; a draw is assigned to y when its predicted
// probability exceeds 1/2.
//
// Deviations, each for a reason:
//   - Training stops early on the logistic loss of a held-out 10% of the
//     training folds (no fall by 1e-3 for 10 epochs) and keeps the weights of
//     the best epoch, like scikit-learn's early_stopping=True but scored by
//     loss, which is smoother than accuracy on a few hundred draws. sbibm
//     instead stops on the training loss with up to 10000 epochs; with a few
//     thousand draws the 80 × 80 network then overfits: in our runs the
//     held-out accuracy for the 8-D mean shift above fell from 0.69 to 0.62
//     after 500 epochs, which took a minute rather than about a second.
//   - The larger sample is subsampled without replacement to the size of the
//     smaller and the folds are stratified, so that chance level is exactly
//     0.5.
//
// The classifier computes in float32, a minibatch at a time as matrix
// products on the gemm kernels (package internal/gemm); the random draws
// (subsets, folds, initial weights, hold-out, shuffles) are those of the
// float64 one-sample-at-a-time classifier it replaced, which it matches to
// rounding on one batch (TestMLPGradient) and to within the test's
// run-to-run noise overall. Folds train in parallel on Workers goroutines;
// the result depends only on Seed, not on scheduling or GOMAXPROCS. It may
// differ in the last digits between gemm kernels (AVX-512, AVX2, pure Go),
// which round differently. For the pipeline's 2 × 2000 draws in 8
// dimensions a call costs 0.2-1 s of CPU (10-70 epochs per fold), a fifth of
// the float64 classifier's with the AVX-512 kernels and a quarter with AVX2
// (BenchmarkC2STPipeline); the pure-Go fallback kernel is slower than the
// float64 classifier was.
func C2ST(x, y [][]float64, cfg C2STConfig) (C2STResult, error) {
	dim, err := checkMatPair("C2ST", "x", x, "y", y)
	if err != nil {
		return C2STResult{}, err
	}
	cfg = cfg.WithDefaults(dim)
	if err := cfg.validate(); err != nil {
		return C2STResult{}, err
	}
	n := min(len(x), len(y))
	if n < cfg.Folds {
		return C2STResult{}, fmt.Errorf("metrics.C2ST: %d draws in the smaller sample, need at least one per fold (%d): %w",
			n, cfg.Folds, ErrEmpty)
	}
	if !cfg.NoZScore {
		m, sd := zParams(x)
		x, y = zScore(x, m, sd), zScore(y, m, sd)
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x5eed_c257))
	// Random subsets of equal size, already in random order, so that
	// consecutive slices of them are random stratified folds.
	px := rng.Perm(len(x))[:n]
	py := rng.Perm(len(y))[:n]

	// The draws in float32, in pairs: row 2i is x[px[i]] (label 0), row
	// 2i+1 is y[py[i]] (label 1).
	data := make([]float32, 2*n*dim)
	for i := range n {
		for j, v := range x[px[i]] {
			data[2*i*dim+j] = float32(v)
		}
		for j, v := range y[py[i]] {
			data[(2*i+1)*dim+j] = float32(v)
		}
	}

	res := C2STResult{Folds: make([]float64, cfg.Folds), Epochs: make([]int, cfg.Folds), N: n}
	var wg sync.WaitGroup
	sem := make(chan struct{}, cfg.Workers)
	for f := range cfg.Folds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			lo, hi := f*n/cfg.Folds, (f+1)*n/cfg.Folds
			// Rows of data the fold trains on, pairs kept together.
			tr := make([]int, 0, 2*(n-(hi-lo)))
			for i := range n {
				if i < lo || i >= hi {
					tr = append(tr, 2*i, 2*i+1)
				}
			}
			frng := rand.New(rand.NewPCG(cfg.Seed, uint64(f)+1))
			net := newMLP(dim, cfg.Hidden, cfg.LearnRate, cfg.L2, frng)
			res.Epochs[f] = net.fit(data, tr, cfg, frng)
			// Held-out rows 2lo ... 2hi−1, label = row parity.
			var correct int
			for r0 := 2 * lo; r0 < 2*hi; r0 += cfg.Batch {
				r1 := min(r0+cfg.Batch, 2*hi)
				for k, o := range net.forward(data[r0*dim:r1*dim], r1-r0) {
					if (o > 0) == ((r0+k)%2 == 1) {
						correct++
					}
				}
			}
			res.Folds[f] = float64(correct) / float64(2*(hi-lo))
		}()
	}
	wg.Wait()
	for _, a := range res.Folds {
		res.Accuracy += a / float64(cfg.Folds)
	}
	return res, nil
}

// batch holds the rows and labels of one minibatch, gathered from the
// training rows.
type batch struct{ x, t []float32 }

// gather copies the data rows rows[idx[k]] into b and sets their labels
// (idx[k] odd: label 1).
func (b *batch) gather(data []float32, dim int, rows, idx []int) ([]float32, []float32) {
	n := len(idx)
	if cap(b.t) < n {
		b.x, b.t = make([]float32, n*dim), make([]float32, n)
	}
	bx, bt := b.x[:n*dim], b.t[:n]
	for k, i := range idx {
		r := rows[i]
		copy(bx[k*dim:(k+1)*dim], data[r*dim:(r+1)*dim])
		bt[k] = float32(i % 2)
	}
	return bx, bt
}

// fit trains m by minibatch Adam on the rows tr of data ([rows×m.in]),
// which alternate classes: (tr[2i], tr[2i+1]) is one pair, labels 0 and 1.
// With cfg.ValFraction > 0 it holds out that fraction of the pairs, stops
// once the held-out loss has not fallen by cfg.Tol below its best for
// cfg.Patience epochs, and restores the best weights (scikit-learn's
// early_stopping=True, scored by loss). Otherwise it stops on the training
// loss (scikit-learn's default rule). Either way at most cfg.MaxEpochs. It
// returns the number of epochs run. The random draws (the hold-out, each
// epoch's shuffle) are those of the float64 classifier it replaced.
func (m *mlp) fit(data []float32, tr []int, cfg C2STConfig, rng *rand.Rand) int {
	dim := m.in
	pairs := rng.Perm(len(tr) / 2)
	nVal := int(cfg.ValFraction * float64(len(pairs)))
	var train, val []int // indices into tr
	for k, p := range pairs {
		if k < nVal {
			val = append(val, 2*p, 2*p+1)
		} else {
			train = append(train, 2*p, 2*p+1)
		}
	}
	var b, vb batch
	vx, vt := vb.gather(data, dim, tr, val)
	var bestP []float32
	best, stale := 0.0, 0
	for epoch := 1; ; epoch++ {
		rng.Shuffle(len(train), func(i, j int) { train[i], train[j] = train[j], train[i] })
		var loss float64
		for b0 := 0; b0 < len(train); b0 += cfg.Batch {
			e := min(b0+cfg.Batch, len(train))
			bx, bt := b.gather(data, dim, tr, train[b0:e])
			loss += m.accumulate(bx, bt, e-b0)
			m.step(e - b0)
		}
		loss /= float64(len(train))
		if len(val) > 0 {
			loss = 0
			for r0 := 0; r0 < len(val); r0 += cfg.Batch {
				r1 := min(r0+cfg.Batch, len(val))
				for k, o := range m.forward(vx[r0*dim:r1*dim], r1-r0) {
					loss += logLoss(float64(o), float64(vt[r0+k]))
				}
			}
			loss /= float64(len(val))
		}
		if epoch > 1 && loss > best-cfg.Tol {
			stale++
		} else {
			stale = 0
		}
		if epoch == 1 || loss < best {
			best = loss
			if len(val) > 0 {
				bestP = append(bestP[:0], m.p...)
			}
		}
		if stale >= cfg.Patience || epoch >= cfg.MaxEpochs {
			if bestP != nil {
				copy(m.p, bestP)
			}
			return epoch
		}
	}
}
