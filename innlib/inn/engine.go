package inn

import "fmt"

// engine runs the training steps of one model: it evaluates the recipe's loss
// terms (lossTerms) on a batch, their gradient and the optimiser update. The
// trainer drives it and is the same for every engine.
//
//   - nativeEngine (EngineNative): the flow, its hand-derived gradients and
//     Adam in plain Go on innlib's float32 kernels (package flowgrad,
//     optim.Adam); the default for float32 models on SimpleGo.
//   - graphEngine (EngineGraph): GoMLX graphs, GoMLX's autodiff and
//     optimizers.Adam on the model's backend and dtype; for float64 and XLA.
//
// Both group gradients by lossTerm.group, project and clip them the same way,
// and report the same numbers; TestEnginesAgree checks it.
type engine interface {
	// setSchedule sets the learning rate and the loss weights (by term name)
	// of the following steps.
	setSchedule(lr float64, w map[string]float64) error
	// step runs one optimiser step on a batch.
	step(b *batchData) (stepResult, error)
	// validate returns the unweighted terms of a batch at the current
	// weights, in lossTerms order, without changing anything.
	validate(b *batchData) ([]float64, error)
	// syncModel writes the engine's current weights into the model's
	// variables (for Forward, Save and inference).
	syncModel() error
	// snapshot copies the current weights; restore sets them back, in the
	// engine and in the model's variables.
	snapshot() snapshot
	restore(snapshot) error
}

// stepResult is what a step reports.
type stepResult struct {
	total    float64   // The weighted loss.
	gradNorm float64   // Global norm of the gradient as the step used it, before clipping.
	terms    []float64 // Unweighted terms, in lossTerms order.
}

// snapshot is a copy of a network's weights: one slice per variable of
// flow.Network.Variables(), in that order, row-major.
type snapshot [][]float64

// newEngine returns the engine the configuration selects, starting from the
// model's current weights.
func newEngine(m *Model) (engine, error) {
	switch m.cfg.Train.Engine {
	case EngineNative:
		return newNativeEngine(m)
	case EngineGraph:
		return newGraphEngine(m)
	}
	return nil, fmt.Errorf("inn: training engine %q, want %q or %q", m.cfg.Train.Engine, EngineNative, EngineGraph)
}
