package dense

import (
	"fmt"

	"github.com/ozarkinn/inn/innlib/internal/activation"
	"github.com/ozarkinn/inn/innlib/internal/gemm"
	"github.com/ozarkinn/inn/innlib/internal/tensorutil"
)

// Fast is a frozen copy of an MLP's weights evaluated in plain Go with the
// gemm kernels: tens of GFLOP/s per core against a few for GoMLX's SimpleGo
// graphs, for inference only. Results agree with Apply to float32 rounding.
type Fast struct {
	In      int
	Outputs []int
	act     *activation.Func
	alpha   float32
	hidden  []fastLayer
	heads   []fastLayer
}

type fastLayer struct {
	w    *gemm.PackedB
	bias []float32
}

// Snapshot copies the MLP's current weights into a Fast evaluator.
func (m *MLP) Snapshot() (*Fast, error) {
	act, err := activation.Lookup(m.Config.Activation)
	if err != nil {
		return nil, fmt.Errorf("dense: snapshot: %w", err)
	}
	f := &Fast{In: m.Config.In, Outputs: m.Config.Outputs, act: act, alpha: float32(m.Config.Alpha)}
	conv := func(l layer) (fastLayer, error) {
		wt, err := l.w.Value()
		if err != nil {
			return fastLayer{}, fmt.Errorf("dense: snapshot: %w", err)
		}
		bt, err := l.b.Value()
		if err != nil {
			return fastLayer{}, fmt.Errorf("dense: snapshot: %w", err)
		}
		dims := wt.Shape().Dimensions
		return fastLayer{w: gemm.Pack(tensorutil.Float32s(tensorutil.ToFloat64(wt)), dims[0], dims[1], dims[1]), bias: tensorutil.Float32s(tensorutil.ToFloat64(bt))}, nil
	}
	for _, l := range m.hidden {
		fl, err := conv(l)
		if err != nil {
			return nil, err
		}
		f.hidden = append(f.hidden, fl)
	}
	for _, l := range m.heads {
		fl, err := conv(l)
		if err != nil {
			return nil, err
		}
		f.heads = append(f.heads, fl)
	}
	return f, nil
}

// Width returns the widest hidden layer, for sizing scratch buffers.
func (f *Fast) Width() int {
	w := 0
	for _, l := range f.hidden {
		w = max(w, l.w.Cols())
	}
	return w
}

// Apply evaluates rows of in ([rows, In], row-major) and writes head i to
// outs[i] ([rows, Outputs[i]]). scratch must hold 2·rows·Width() values; it
// is reused between calls so that evaluation allocates nothing.
func (f *Fast) Apply(outs [][]float32, in []float32, rows int, scratch []float32) {
	f.apply(outs, in, rows, scratch, false)
}

// ApplySerial is Apply on the calling goroutine only, bit for bit the same
// (gemm.DenseSerial): for small batches called very often (an MCMC
// surrogate's 8 rows), where Apply's choice of goroutines is pure overhead.
func (f *Fast) ApplySerial(outs [][]float32, in []float32, rows int, scratch []float32) {
	f.apply(outs, in, rows, scratch, true)
}

func (f *Fast) apply(outs [][]float32, in []float32, rows int, scratch []float32, serial bool) {
	dense := gemm.Dense
	if serial {
		dense = gemm.DenseSerial
	}
	h := in
	bufs := [2][]float32{}
	if w := f.Width(); w > 0 {
		bufs[0], bufs[1] = scratch[:rows*w], scratch[rows*w:2*rows*w]
	}
	for i, l := range f.hidden {
		out := bufs[i%2][:rows*l.w.Cols()]
		if f.act.Slope != nil { // fused into the product
			dense(out, h, rows, l.w, l.bias, f.act.Slope(f.alpha), true)
		} else {
			dense(out, h, rows, l.w, l.bias, 0, false)
			f.act.Forward(out, out, f.alpha)
		}
		h = out
	}
	for i, l := range f.heads {
		dense(outs[i][:rows*l.w.Cols()], h, rows, l.w, l.bias, 0, false)
	}
}
