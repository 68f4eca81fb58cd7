package inn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/ozarkinn/inn/innlib/internal/optim"
	"github.com/ozarkinn/inn/innlib/internal/progress"
	"github.com/ozarkinn/inn/innlib/metrics"
)

// Train fits a model to parameter vectors x (rows) and outputs y (rows),
// holding out a seeded random Train.ValFraction of the rows for validation.
func Train(x, y [][]float64, cfg Config) (*Model, error) {
	if err := checkMatrix("x", x, 0); err != nil {
		return nil, err
	}
	if err := checkMatrix("y", y, 0); err != nil {
		return nil, err
	}
	if len(x) != len(y) {
		return nil, fmt.Errorf("inn: x has %d rows but y has %d", len(x), len(y))
	}
	c := cfg.WithDefaults()
	nVal := int(math.Round(float64(len(x)) * c.Train.ValFraction))
	if nVal < 2 || len(x)-nVal < 2 {
		return nil, fmt.Errorf("inn: %d rows are too few to hold out %.0f%% for validation (need at least 2 on each side)", len(x), 100*c.Train.ValFraction)
	}
	perm := rand.New(rand.NewPCG(c.Train.Seed, seedStreamBatch+1)).Perm(len(x))
	pick := func(rows [][]float64, idx []int) [][]float64 {
		out := make([][]float64, len(idx))
		for i, j := range idx {
			out[i] = rows[j]
		}
		return out
	}
	valIdx, trIdx := perm[:nVal], perm[nVal:]
	return TrainWithValidation(pick(x, trIdx), pick(y, trIdx), pick(x, valIdx), pick(y, valIdx), cfg)
}

// TrainWithValidation fits a model on (x, y) and uses (xVal, yVal) to pick
// the best weights and report validation losses.
func TrainWithValidation(x, y, xVal, yVal [][]float64, cfg Config) (*Model, error) {
	c := cfg.WithDefaults()
	for _, d := range []struct {
		name string
		rows [][]float64
		cols int
	}{{"x", x, 0}, {"y", y, 0}} {
		if err := checkMatrix(d.name, d.rows, d.cols); err != nil {
			return nil, err
		}
	}
	n, m := len(x[0]), len(y[0])
	if err := checkMatrix("validation x", xVal, n); err != nil {
		return nil, err
	}
	if err := checkMatrix("validation y", yVal, m); err != nil {
		return nil, err
	}
	if len(x) != len(y) || len(xVal) != len(yVal) {
		return nil, fmt.Errorf("inn: x/y rows differ: training %d vs %d, validation %d vs %d", len(x), len(y), len(xVal), len(yVal))
	}
	if len(x) < 2 || len(xVal) < 2 {
		return nil, fmt.Errorf("inn: need at least 2 training and 2 validation rows, got %d and %d", len(x), len(xVal))
	}
	if err := c.validate(n, m); err != nil {
		return nil, err
	}
	if c.Lo != nil {
		if err := checkInBox("x", x, c.Lo, c.Hi); err != nil {
			return nil, err
		}
		if err := checkInBox("validation x", xVal, c.Lo, c.Hi); err != nil {
			return nil, err
		}
	}
	lay, err := newLayout(c, n, m)
	if err != nil {
		return nil, err
	}
	tf, err := newTransform(c, x, y)
	if err != nil {
		return nil, err
	}
	model, err := newModel(c, lay, tf)
	if err != nil {
		return nil, err
	}
	t := newTrainer(model, x, y, xVal, yVal)
	if err := t.run(); err != nil {
		return nil, err
	}
	return model, nil
}

// trainer holds the state of one training run. It is the same for both
// engines; the engine (engine.go) runs the steps.
type trainer struct {
	m        *Model
	cfg      Config
	lay      layout
	terms    []lossTerm // The loss terms, in the order engines report them.
	xs, ys   []float64  // Standardised training data, flat.
	xv, yv   []float64  // Standardised validation data, flat.
	nTrain   int
	nVal     int
	batch    int
	noise    *rand.Rand
	order    *rand.Rand
	eng      engine
	valBatch *batchData // Fixed validation inputs (noise drawn once).
	xValOrig [][]float64
	yValOrig [][]float64
}

func newTrainer(m *Model, x, y, xVal, yVal [][]float64) *trainer {
	lay := m.lay
	t := &trainer{m: m, cfg: m.cfg, lay: lay, terms: lossTerms(m.cfg), nTrain: len(x), nVal: len(xVal), xValOrig: xVal, yValOrig: yVal}
	t.xs, t.ys = m.standardise(x, y)
	t.xv, t.yv = m.standardise(xVal, yVal)
	t.batch = min(t.cfg.Train.BatchSize, t.nTrain)
	t.noise = rand.New(rand.NewPCG(t.cfg.Train.Seed, seedStreamNoise))
	t.order = rand.New(rand.NewPCG(t.cfg.Train.Seed, seedStreamBatch))
	return t
}

// standardise maps rows to flat standardised arrays.
func (m *Model) standardise(x, y [][]float64) (xs, ys []float64) {
	n, mm := m.lay.N, m.lay.M
	xs = make([]float64, len(x)*n)
	ys = make([]float64, len(y)*mm)
	for i := range x {
		m.tf.xToNet(x[i], xs[i*n:(i+1)*n])
		m.tf.yToNet(y[i], ys[i*mm:(i+1)*mm])
	}
	return xs, ys
}

// weightsFor returns the weight of each term at an epoch (ramp applied when ramped).
func (t *trainer) weightsFor(epoch int, ramped bool) map[string]float64 {
	return weightsFor(t.cfg, epoch, ramped)
}

// learningRate returns the scheduled learning rate of an epoch.
func (t *trainer) learningRate(epoch int) float64 {
	tc := t.cfg.Train
	if tc.LRSchedule == "constant" {
		return tc.LearningRate
	}
	return optim.Cosine(tc.LearningRate, tc.MinLRFactor, epoch, tc.Epochs)
}

// prepare sets up the training engine.
func (t *trainer) prepare() error {
	eng, err := newEngine(t.m)
	if err != nil {
		return err
	}
	t.eng = eng
	return nil
}

func (t *trainer) run() error {
	if err := t.prepare(); err != nil {
		return err
	}
	m := t.m
	tc := t.cfg.Train
	allVal := seq(t.nVal)
	t.valBatch = t.drawBatch(t.xv, t.yv, allVal, rand.New(rand.NewPCG(tc.Seed, seedStreamNoise+1)))
	fullW := t.weightsFor(tc.Epochs-1, false)

	bar := progress.New(tc.Progress, tc.Epochs, "training")
	start := time.Now()
	bestScore := math.Inf(1)
	var best snapshot
	sinceBest := 0
	h := &m.history
	h.Stopped = "epochs"
	for epoch := 0; epoch < tc.Epochs; epoch++ {
		lr := t.learningRate(epoch)
		w := t.weightsFor(epoch, true)
		if err := t.eng.setSchedule(lr, w); err != nil {
			return err
		}
		order := t.order.Perm(t.nTrain)
		sums := map[string]float64{}
		gradNorm := 0.0
		steps := 0
		for b := 0; b+t.batch <= t.nTrain; b += t.batch {
			res, err := t.step(order[b : b+t.batch])
			if err != nil {
				return fmt.Errorf("inn: training step (epoch %d): %w", epoch, err)
			}
			sums[TermTotal] += res.total
			gradNorm += res.gradNorm
			for i, term := range t.terms {
				sums[term.name] += res.terms[i]
			}
			steps++
		}
		h.Steps += steps
		if err := t.eng.syncModel(); err != nil {
			return err
		}
		m.weightsChanged()
		for k := range sums {
			sums[k] /= float64(steps)
		}
		val, err := t.validate()
		if err != nil {
			return err
		}
		score := 0.0
		for _, term := range t.terms {
			score += fullW[term.name] * val[term.name]
		}
		if math.IsNaN(score) {
			return fmt.Errorf("inn: the validation loss became NaN at epoch %d", epoch)
		}
		st := EpochStats{Epoch: epoch, Train: sums, Val: val, ValScore: score, LearningRate: lr,
			GradNorm: gradNorm / float64(steps), Seconds: time.Since(start).Seconds()}
		if t.lay.Recipe == Bidirectional {
			st.BackwardWeight = w[TermBackwardMMD]
			if st.ValR2, err = t.validationR2(); err != nil {
				return err
			}
		}
		if score < bestScore {
			bestScore, st.Best, sinceBest = score, true, 0
			best = t.eng.snapshot()
			h.BestEpoch = epoch
		} else {
			sinceBest++
		}
		h.Epochs = append(h.Epochs, st)
		bar.Step(fmt.Sprintf("%s | val %.3g", summary(sums), score))
		if tc.OnEpoch != nil {
			tc.OnEpoch(st)
		}
		if tc.Patience > 0 && sinceBest >= tc.Patience {
			h.Stopped = "patience"
			break
		}
	}
	bar.Finish()
	h.Seconds = time.Since(start).Seconds()
	defer m.weightsChanged()
	if best == nil {
		return nil
	}
	return t.eng.restore(best)
}

// step runs one optimiser step on a batch of the given training rows.
func (t *trainer) step(rows []int) (stepResult, error) {
	b := t.drawBatch(t.xs, t.ys, rows, t.noise)
	res, err := t.eng.step(b)
	if err != nil {
		return res, err
	}
	if math.IsNaN(res.total) || math.IsInf(res.total, 0) {
		return res, fmt.Errorf("the loss became %g; lower the learning rate or the clamp, or check the data scale", res.total)
	}
	return res, nil
}

// validate returns the unweighted terms on the validation batch.
func (t *trainer) validate() (map[string]float64, error) {
	vals, err := t.eng.validate(t.valBatch)
	if err != nil {
		return nil, err
	}
	return termMap(t.terms, vals), nil
}

// validationR2 returns the emulator's R² per output on the validation set.
func (t *trainer) validationR2() ([]float64, error) {
	pred, err := t.m.Forward(t.xValOrig)
	if err != nil {
		return nil, err
	}
	r2, err := metrics.R2Columns(nil, t.yValOrig, pred)
	if err != nil {
		return nil, nil // A constant validation output has no R²; leave it out.
	}
	return r2, nil
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}
