package emulator

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/ozarkinn/inn/innlib/internal/optim"
	"github.com/ozarkinn/inn/innlib/internal/progress"
)

// train runs the recipe on the scaled data through the configured engine:
// mini-batches in a seeded random order each epoch, the cosine learning
// rate per epoch, the validation error after each epoch, and the weights of
// the best validation error kept in the end. The engines differ only in how
// a step is computed, so the recipe is written once, here.
func (e *MLP) train(x, y, xVal, yVal [][]float64) error {
	c := e.cfg
	eng, err := e.newEngine()
	if err != nil {
		return err
	}
	xs, ys := e.scaleX(x), e.scaleY(y)
	xv, yv := e.scaleX(xVal), e.scaleY(yVal)
	rows := len(x)
	batch := min(c.BatchSize, rows)
	rng := rand.New(rand.NewPCG(c.Seed, 0x62617463))
	bar := progress.New(c.Progress, c.Epochs, "emulator")
	best := math.Inf(1)
	var bestW [][]float64
	since := 0
	xb := make([]float64, batch*e.n)
	yb := make([]float64, batch*e.m)
	for epoch := 0; epoch < c.Epochs; epoch++ {
		if err := eng.setLearningRate(optim.Cosine(c.LearningRate, minLRFactor, epoch, c.Epochs)); err != nil {
			return err
		}
		perm := rng.Perm(rows)
		sum, steps := 0.0, 0
		for b := 0; b+batch <= rows; b += batch {
			for i, r := range perm[b : b+batch] {
				copy(xb[i*e.n:(i+1)*e.n], xs[r*e.n:(r+1)*e.n])
				copy(yb[i*e.m:(i+1)*e.m], ys[r*e.m:(r+1)*e.m])
			}
			loss, err := eng.step(xb, yb, batch)
			if err != nil {
				return fmt.Errorf("emulator: training step: %w", err)
			}
			sum += loss
			steps++
		}
		val, err := eng.validate(xv, yv, len(xVal))
		if err != nil {
			return fmt.Errorf("emulator: validation: %w", err)
		}
		if math.IsNaN(val) {
			return fmt.Errorf("emulator: validation error became NaN at epoch %d", epoch)
		}
		ep := Epoch{Epoch: epoch, TrainMSE: sum / float64(steps), ValMSE: val}
		if val < best {
			best, ep.Best, since = val, true, 0
			bestW = eng.snapshot()
		} else {
			since++
		}
		e.history = append(e.history, ep)
		bar.Step(fmt.Sprintf("emulator mse %.3g | val %.3g", ep.TrainMSE, val))
		if c.Patience > 0 && since >= c.Patience {
			break
		}
	}
	bar.Finish()
	return e.setWeights(bestW)
}
