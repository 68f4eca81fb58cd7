package emulator

import (
	"fmt"

	"github.com/ozarkinn/inn/innlib/flow/flowgrad"
	"github.com/ozarkinn/inn/innlib/internal/optim"
	"github.com/ozarkinn/inn/innlib/internal/tensorutil"
)

// nativeEngine is the plain-Go training engine (EngineNative): the
// network's parameters as one float32 vector in dense.MLP.Variables()
// order, its gradient, Adam and the tape of one step.
type nativeEngine struct {
	e      *MLP
	net    *flowgrad.MLP
	p, g   []float32
	adam   *optim.Adam[float32]
	tape   flowgrad.MLPTape
	xb, yb []float32 // The batch in float32.
	d      []float32 // Gradient of the loss with respect to the output.
}

// newNativeEngine copies the emulator's current weights into a native engine.
func newNativeEngine(e *MLP) (*nativeEngine, error) {
	net, p, err := e.nativeNet()
	if err != nil {
		return nil, err
	}
	adam := optim.NewAdam[float32](len(p), optim.AdamConfig{LearningRate: e.cfg.LearningRate,
		Beta1: adamBeta1, Beta2: adamBeta2, Epsilon: adamEpsilon, WeightDecay: e.cfg.WeightDecay})
	return &nativeEngine{e: e, net: net, p: p, g: make([]float32, len(p)), adam: adam}, nil
}

// nativeNet is the emulator's network as a flowgrad.MLP with a copy of its
// current weights, flat in the MLP's order: what the native engine trains
// and the best fit differentiates.
func (e *MLP) nativeNet() (*flowgrad.MLP, []float32, error) {
	c := e.net.Config // Defaults filled in.
	net, err := flowgrad.NewMLP(c.In, c.Layers, c.Width, c.Outputs, c.Activation, c.Alpha)
	if err != nil {
		return nil, nil, fmt.Errorf("emulator: %w", err)
	}
	var p []float32
	for _, w := range e.weights() {
		p = append(p, tensorutil.Float32s(w)...)
	}
	if len(p) != net.NumParams {
		return nil, nil, fmt.Errorf("emulator: the network has %d weights, the native engine expects %d", len(p), net.NumParams)
	}
	return net, p, nil
}

func (n *nativeEngine) setLearningRate(lr float64) error {
	n.adam.SetLearningRate(lr)
	return nil
}

// forward evaluates rows of x and returns the output and the mean squared
// error against y; with grad it also leaves the loss's gradient with
// respect to the output in n.d.
func (n *nativeEngine) forward(x, y []float64, rows int, grad bool) ([]float32, float64) {
	e := n.e
	if cap(n.xb) < rows*e.n {
		n.xb = make([]float32, rows*e.n)
	}
	n.xb = n.xb[:rows*e.n]
	for i, v := range x[:rows*e.n] {
		n.xb[i] = float32(v)
	}
	out := n.net.Forward(n.p, &n.tape, n.xb, rows)[0]
	if grad {
		if cap(n.d) < len(out) {
			n.d = make([]float32, len(out))
		}
		n.d = n.d[:len(out)]
	}
	// d(mean of squares)/d out = 2(out − y)/(rows·m).
	scale := float32(2 / float64(len(out)))
	sum := 0.0
	for i, o := range out {
		r := o - float32(y[i])
		sum += float64(r) * float64(r)
		if grad {
			n.d[i] = scale * r
		}
	}
	return out, sum / float64(len(out))
}

func (n *nativeEngine) step(x, y []float64, rows int) (float64, error) {
	_, loss := n.forward(x, y, rows, true)
	clear(n.g)
	n.net.Backward(n.p, n.g, &n.tape, [][]float32{n.d}, nil, rows)
	n.adam.Update(n.p, n.g, 1)
	return loss, nil
}

func (n *nativeEngine) validate(x, y []float64, rows int) (float64, error) {
	_, loss := n.forward(x, y, rows, false)
	return loss, nil
}

// snapshot splits the parameter vector into dense.MLP.Variables()' tensors.
func (n *nativeEngine) snapshot() [][]float64 {
	vars := n.e.net.Variables()
	out := make([][]float64, len(vars))
	off := 0
	for i, v := range vars {
		out[i] = make([]float64, v.Shape().Size())
		for j := range out[i] {
			out[i][j] = float64(n.p[off+j])
		}
		off += len(out[i])
	}
	return out
}
