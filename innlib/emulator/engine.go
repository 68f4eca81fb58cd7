package emulator

import "fmt"

// Training engines, see Config.Engine.
const (
	EngineNative = "native"
	EngineGraph  = "graph"
)

// engine runs the training steps of the emulator's network on scaled,
// flat, row-major batches; train drives it and is the same for every
// engine. It mirrors package inn's engine for the flows:
//
//   - nativeEngine (EngineNative, the default): the network, its gradient
//     (flowgrad.MLP, the flows' own dense layers) and Adam (optim.Adam) in
//     plain Go on innlib's float32 gemm kernels.
//   - graphEngine (EngineGraph): GoMLX graphs, GoMLX's autodiff and
//     optimizers.Adam on the emulator's backend: the oracle the native
//     engine is tested against (TestEnginesAgree), and the way to train on
//     XLA.
//
// Both minimise the mean squared error over a batch's outputs with Adam
// (β = 0.9, 0.999, ε = 1e-7: GoMLX's defaults, which the emulator has
// always used) with decoupled weight decay on every weight and bias.
type engine interface {
	// setLearningRate sets Adam's step size for the following steps.
	setLearningRate(lr float64) error
	// step runs one Adam step on rows of (x, y) and returns the batch's
	// mean squared error before the step.
	step(x, y []float64, rows int) (float64, error)
	// validate returns the mean squared error of rows of (x, y) at the
	// current weights.
	validate(x, y []float64, rows int) (float64, error)
	// snapshot copies the current weights, one slice per variable of
	// dense.MLP.Variables(), in that order.
	snapshot() [][]float64
}

// Adam's moment decay rates and ε: GoMLX's optimizers.Adam defaults.
const (
	adamBeta1   = 0.9
	adamBeta2   = 0.999
	adamEpsilon = 1e-7
)

func (e *MLP) newEngine() (engine, error) {
	switch e.cfg.Engine {
	case EngineNative:
		return newNativeEngine(e)
	case EngineGraph:
		return newGraphEngine(e)
	}
	return nil, fmt.Errorf("emulator: training engine %q, want %q or %q", e.cfg.Engine, EngineNative, EngineGraph)
}
