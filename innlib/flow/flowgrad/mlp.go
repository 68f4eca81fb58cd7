package flowgrad

import (
	"github.com/ozarkinn/inn/innlib/flow/layout"
	"github.com/ozarkinn/inn/innlib/internal/activation"
	"github.com/ozarkinn/inn/innlib/internal/gemm"
)

// layer is one dense layer: weights [In×Out] at W and bias [Out] at B in the
// flat parameters; idx is the weights' tensor index in the layout, where
// Frozen keeps them packed.
type layer struct{ In, Out, W, B, idx int }

// mlp is one subnetwork of the layout: a trunk of hidden layers and one
// linear head per output.
type mlp struct {
	in     int
	hidden []layer
	heads  []layer
	act    *activation.Func
	alpha  float32
}

func newMLP(s layout.Subnet, act *activation.Func, alpha float32) mlp {
	m := mlp{in: s.In, act: act, alpha: alpha}
	conv := func(d layout.Dense) layer {
		return layer{In: d.In, Out: d.Out, W: d.W.Offset, B: d.B.Offset, idx: d.W.Index}
	}
	for _, d := range s.Trunk {
		m.hidden = append(m.hidden, conv(d))
	}
	for _, d := range s.Heads {
		m.heads = append(m.heads, conv(d))
	}
	return m
}

// params are the weights an evaluation reads: the flat vector and, for
// Frozen, every weight matrix packed for the gemm kernels.
type params struct {
	p      []float32
	packed []*gemm.PackedB // by tensor index; nil in training
	// Frozen only, by the tensor index of a subnetwork's first head's
	// weights: all its heads side by side in one packed matrix, and their
	// biases side by side (one product instead of one per head).
	heads  []*gemm.PackedB
	headsB [][]float32
	// serial keeps every product on the calling goroutine (Frozen's rows
	// are already split over goroutines).
	serial bool
	// A condition the same in every row is folded into the first trunk
	// layer (Frozen.evalParams): by that layer's tensor index, its weights
	// without the condition's rows, and its bias plus the condition's
	// contribution for this call; nil when nothing is folded.
	first  []*gemm.PackedB
	firstB [][]float32
}

// dense evaluates out = act(in·w + bias) on Frozen's packed weights.
func (w params) dense(out, in []float32, rows int, pw *gemm.PackedB, bias []float32, alpha float32, act bool) {
	if w.serial {
		gemm.DenseSerial(out, in, rows, pw, bias, alpha, act)
		return
	}
	gemm.Dense(out, in, rows, pw, bias, alpha, act)
}

// mlpTape records one evaluation of an mlp.
type mlpTape struct {
	x []float32 // input, [rows×in]; the caller keeps it alive
	// Pre-activations and activations of the hidden layers, as the
	// activation's Forward leaves them for its Deriv (for SiLU, z holds σ of
	// the pre-activation).
	z, h [][]float32
	outs [][]float32 // heads
	cat  []float32   // Frozen: all heads side by side
	// Scratch of the backward pass.
	dh, dz, prod []float32
}

// grow sets *buf to length n, reallocating when the capacity is short, and
// returns it. Tape fields keep the length of their last use, which the
// backward passes rely on.
func grow(buf *[]float32, n int) []float32 {
	if cap(*buf) < n {
		*buf = make([]float32, n)
	}
	*buf = (*buf)[:n]
	return *buf
}

// forward evaluates the mlp on rows of x and leaves the heads in t.outs.
// In training (w.packed nil) t keeps every layer's pre-activation z and
// activation h for backward. Frozen's inference fuses the bias (and a
// piecewise-linear activation) into the packed products and keeps only two
// alternating buffers, in t.z[0] and t.z[1], which stay in cache.
func (m *mlp) forward(w params, t *mlpTape, x []float32, rows int) {
	t.x = x
	if n := max(len(m.hidden), 2); len(t.z) < n {
		t.z = make([][]float32, n)
		t.h = make([][]float32, n)
	}
	if len(t.outs) < len(m.heads) {
		t.outs = make([][]float32, len(m.heads))
	}
	in := x
	for i, l := range m.hidden {
		if w.packed != nil {
			h := grow(&t.z[i%2], rows*l.Out)
			pw, bias := w.packed[l.idx], w.p[l.B:l.B+l.Out]
			if i == 0 && w.first != nil {
				pw, bias = w.first[l.idx], w.firstB[l.idx] // x holds the half only
			}
			if m.act.Slope != nil {
				w.dense(h, in, rows, pw, bias, m.act.Slope(m.alpha), true)
			} else {
				w.dense(h, in, rows, pw, bias, 0, false)
				m.act.Forward(h, h, m.alpha)
			}
			in = h
			continue
		}
		h := grow(&t.h[i], rows*l.Out)
		if s, ok := m.signSlope(); ok {
			// The kernel adds the bias and applies f in its epilogue;
			// backward reads f'(z) off the sign of h (signSlope).
			gemm.DenseUnpacked(h, in, rows, l.In, l.Out, w.p[l.W:l.W+l.In*l.Out], w.p[l.B:l.B+l.Out], s, true)
		} else {
			z := grow(&t.z[i], rows*l.Out)
			affine(w.p, l, in, rows, z)
			m.act.Forward(h, z, m.alpha)
		}
		in = h
	}
	if w.heads != nil && len(m.heads) > 1 && w.heads[m.heads[0].idx] != nil {
		// One product for all heads, then each head's columns apart.
		hp := w.heads[m.heads[0].idx]
		hw := hp.Cols()
		cat := grow(&t.cat, rows*hw)
		w.dense(cat, in, rows, hp, w.headsB[m.heads[0].idx], 0, false)
		off := 0
		for i, l := range m.heads {
			out := grow(&t.outs[i], rows*l.Out)
			for r := 0; r < rows; r++ {
				copy(out[r*l.Out:(r+1)*l.Out], cat[r*hw+off:])
			}
			off += l.Out
		}
		return
	}
	for i, l := range m.heads {
		out := grow(&t.outs[i], rows*l.Out)
		if w.packed != nil {
			w.dense(out, in, rows, w.packed[l.idx], w.p[l.B:l.B+l.Out], 0, false)
		} else {
			affine(w.p, l, in, rows, out)
		}
	}
}

// signSlope returns the negative-side slope s of a piecewise-linear
// activation (f(z) = z for z ≥ 0, s·z for z < 0) when 0 ≤ s ≤ 1. Then the
// gemm kernels compute f in training as in inference, and f(z) has the sign
// of z (-0 for z < 0 when s = 0), so that Deriv can be given f(z) in place
// of z and the pre-activation need not be kept.
func (m *mlp) signSlope() (float32, bool) {
	if m.act.Slope == nil {
		return 0, false
	}
	s := m.act.Slope(m.alpha)
	return s, s >= 0 && s <= 1
}

// affine writes out = in·W + b.
func affine(p []float32, l layer, in []float32, rows int, out []float32) {
	// The bias is added while the output tile is in registers, after the
	// products: the same sums as a product followed by a bias loop.
	gemm.DenseUnpacked(out, in, rows, l.In, l.Out, p[l.W:l.W+l.In*l.Out], p[l.B:l.B+l.Out], 0, false)
}

// backward takes the gradients of the heads (dOuts[i], [rows×Out]; they may
// be overwritten), adds the parameter gradients into g and writes the input
// gradient into dx ([rows×in]) unless dx is nil. wt holds the transposed
// weights (Net.transposed).
func (m *mlp) backward(wt, g []float32, t *mlpTape, dOuts [][]float32, dx []float32, rows int) {
	// The heads share their input: the trunk's last activation, or x.
	in, inW := t.x, m.in
	if n := len(m.hidden); n > 0 {
		in, inW = t.h[n-1], m.hidden[n-1].Out
	}
	var dIn []float32
	if len(m.hidden) > 0 {
		dIn = grow(&t.dh, rows*inW)
	} else {
		dIn = dx
	}
	for i, l := range m.heads {
		m.layerBackward(wt, g, t, l, in, dOuts[i], dIn, rows, i > 0)
	}
	// dz is dIn multiplied by f'(z) in place; the next dIn goes to the
	// other of the two scratch buffers.
	spare := &t.dz
	for i := len(m.hidden) - 1; i >= 0; i-- {
		l := m.hidden[i]
		dz := dIn
		z := t.h[i] // f(z) has the sign of z (signSlope)
		if _, ok := m.signSlope(); !ok {
			z = t.z[i]
		}
		m.act.Deriv(dz, z, t.h[i], m.alpha)
		in := t.x
		if i > 0 {
			in = t.h[i-1]
		}
		if i > 0 {
			dIn = grow(spare, rows*l.In)
			if spare == &t.dz {
				spare = &t.dh
			} else {
				spare = &t.dz
			}
		} else {
			dIn = dx
		}
		m.layerBackward(wt, g, t, l, in, dz, dIn, rows, false)
	}
}

// layerBackward adds in^T·dz and the column sums of dz to the gradients of
// l's weights and bias and, unless din is nil, writes (or adds, with
// accumulate) dz·W^T into din; wt holds W^T at W's offset (Net.transposed).
func (m *mlp) layerBackward(wt, g []float32, t *mlpTape, l layer, in, dz, din []float32, rows int, accumulate bool) {
	gw := g[l.W : l.W+l.In*l.Out]
	if rows*l.In <= rows*l.Out+l.In*l.Out {
		// in^T·dz, the kernels reading in's columns in place.
		gemm.MatMulTA(l.In, l.Out, rows, in, l.In, dz, l.Out, gw, l.Out, true)
	} else {
		// Narrow outputs (the heads): (dz^T·in)^T, the kernels reading dz's
		// columns in place, then adding the small product transposed. (The
		// test above chose, when dz was transposed first, the cheaper of
		// two transposes; it stays, as the two ways round differ in the last
		// bits.)
		prod := grow(&t.prod, l.Out*l.In)
		gemm.MatMulTA(l.Out, l.In, rows, dz, l.Out, in, l.In, prod, l.In, false)
		for o := 0; o < l.Out; o++ {
			for i, v := range prod[o*l.In : (o+1)*l.In] {
				gw[i*l.Out+o] += v
			}
		}
	}
	gemm.AddColSums(g[l.B:l.B+l.Out], dz, rows, l.Out)
	if din == nil {
		return
	}
	gemm.MatMul(rows, l.In, l.Out, dz, l.Out, wt[l.W:l.W+l.In*l.Out], l.In, din, l.In, accumulate)
}

// layers returns the trunk's layers and then the heads.
func (m *mlp) layers() []layer {
	return append(append([]layer(nil), m.hidden...), m.heads...)
}
