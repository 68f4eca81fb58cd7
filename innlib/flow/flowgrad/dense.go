package flowgrad

import (
	"fmt"

	"github.com/ozarkinn/inn/innlib/internal/activation"
	"github.com/ozarkinn/inn/innlib/internal/gemm"
)

// MLP is one fully connected network on its own, outside a flow: the
// subnetwork evaluator of Net (the same forward and backward passes) for
// networks that are trained natively but are not flows, such as package
// emulator's MLP. Its flat parameters are in the order of dense.MLP's
// Variables() and of a layout.Subnet: the trunk layers, then the heads; in
// each layer the weights [in, out], row-major, then the bias [out].
//
// An MLP and its tapes are not safe for concurrent use.
type MLP struct {
	NumParams int
	In        int
	Outputs   []int
	m         mlp
	wt        []float32 // Transposed weights of the last Backward.
}

// MLPTape records one evaluation of an MLP for its Backward.
type MLPTape struct{ t mlpTape }

// NewMLP lays out a network with in inputs, layers linear layers along any
// path (layers−1 trunk layers of width units, then one linear head per entry
// of outputs), the named activation (internal/activation's table) with its
// parameter alpha after each trunk layer.
func NewMLP(in, layers, width int, outputs []int, act string, alpha float64) (*MLP, error) {
	f, err := activation.Lookup(act)
	if err != nil {
		return nil, fmt.Errorf("flowgrad: %w", err)
	}
	if in < 1 || layers < 1 || width < 1 || len(outputs) == 0 {
		return nil, fmt.Errorf("flowgrad: MLP with %d inputs, %d layers of width %d and %d heads; want each >= 1", in, layers, width, len(outputs))
	}
	n := &MLP{In: in, Outputs: append([]int(nil), outputs...), m: mlp{in: in, act: f, alpha: float32(alpha)}}
	idx := 0
	add := func(in, out int) layer {
		l := layer{In: in, Out: out, W: n.NumParams, B: n.NumParams + in*out, idx: idx}
		n.NumParams += in*out + out
		idx += 2
		return l
	}
	w := in
	for i := 0; i < layers-1; i++ {
		n.m.hidden = append(n.m.hidden, add(w, width))
		w = width
	}
	for _, o := range outputs {
		if o < 1 {
			return nil, fmt.Errorf("flowgrad: MLP head of width %d, want >= 1", o)
		}
		n.m.heads = append(n.m.heads, add(w, o))
	}
	return n, nil
}

// Forward evaluates rows of x ([rows×In]) with parameters p and returns the
// heads ([rows×Outputs[i]] each), recording on tape. The heads are owned by
// the tape until its next use; x must stay unchanged until Backward.
func (n *MLP) Forward(p []float32, tape *MLPTape, x []float32, rows int) [][]float32 {
	if len(p) != n.NumParams || len(x) < rows*n.In {
		panic(fmt.Sprintf("flowgrad: MLP forward with %d parameters (want %d) and %d inputs for %d rows of %d", len(p), n.NumParams, len(x), rows, n.In))
	}
	n.m.forward(params{p: p}, &tape.t, x[:rows*n.In], rows)
	return tape.t.outs[:len(n.m.heads)]
}

// Backward adds to g the gradient with respect to the parameters of the
// loss whose gradients with respect to the heads of the evaluation on tape
// are dOuts (they may be overwritten), and writes the gradient with respect
// to the input into dx ([rows×In]) unless dx is nil. p must be the
// parameters Forward used.
func (n *MLP) Backward(p, g []float32, tape *MLPTape, dOuts [][]float32, dx []float32, rows int) {
	if len(p) != n.NumParams || len(g) != n.NumParams || len(dOuts) != len(n.m.heads) || (dx != nil && len(dx) < rows*n.In) {
		panic(fmt.Sprintf("flowgrad: MLP backward with %d parameters, %d gradients, %d head gradients and %d input gradients; want %d, %d, %d and %d×%d",
			len(p), len(g), len(dOuts), len(dx), n.NumParams, n.NumParams, len(n.m.heads), rows, n.In))
	}
	if dx != nil {
		dx = dx[:rows*n.In]
	}
	grow(&n.wt, len(p))
	for _, l := range n.m.layers() {
		gemm.Transpose(n.wt[l.W:l.W+l.In*l.Out], p[l.W:l.W+l.In*l.Out], l.In, l.Out)
	}
	n.m.backward(n.wt, g, &tape.t, dOuts, dx, rows)
}
