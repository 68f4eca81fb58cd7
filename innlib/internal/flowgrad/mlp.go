package flowgrad

import (
	"fmt"
	"math"

	"github.com/ozarkinn/inn/innlib/dense"
	"github.com/ozarkinn/inn/innlib/internal/fastmath"
	"github.com/ozarkinn/inn/innlib/internal/gemm"
)

// layer is one dense layer: weights [In×Out] at W and bias [Out] at B in the
// flat parameters.
type layer struct{ In, Out, W, B int }

// mlp mirrors a dense.MLP: a trunk of hidden layers and one linear head per output.
type mlp struct {
	in     int
	hidden []layer
	heads  []layer
	act    string
	alpha  float32
}

// newMLP lays out cfg's variables from offset off, in dense.MLP.Variables()
// order (trunk, then heads; weights before bias), and returns the next offset.
func newMLP(cfg dense.MLPConfig, off int) (mlp, int) {
	m := mlp{in: cfg.In, act: cfg.Activation, alpha: float32(cfg.Alpha)}
	add := func(in, out int) layer {
		l := layer{In: in, Out: out, W: off, B: off + in*out}
		off += in*out + out
		return l
	}
	in := cfg.In
	for i := 0; i < cfg.Layers-1; i++ {
		m.hidden = append(m.hidden, add(in, cfg.Width))
		in = cfg.Width
	}
	for _, o := range cfg.Outputs {
		m.heads = append(m.heads, add(in, o))
	}
	return m, off
}

func checkActivation(act string) error {
	switch act {
	case "leaky_relu", "relu", "tanh", "silu":
		return nil
	}
	return fmt.Errorf("flowgrad: unknown activation %q", act)
}

// mlpTape records one evaluation of an mlp.
type mlpTape struct {
	x []float32 // input, [rows×in]; the caller keeps it alive
	// Pre-activations and activations of the hidden layers. For SiLU, z
	// holds σ(pre-activation) instead: with h its derivative is σ + h·(1 − σ),
	// which spares the backward pass an exponential per unit.
	z, h [][]float32
	outs [][]float32 // heads
	// Scratch of the backward pass.
	dh, dz, xt, prod []float32
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
func (m *mlp) forward(p []float32, t *mlpTape, x []float32, rows int) {
	t.x = x
	if len(t.z) < len(m.hidden) {
		t.z = make([][]float32, len(m.hidden))
		t.h = make([][]float32, len(m.hidden))
	}
	if len(t.outs) < len(m.heads) {
		t.outs = make([][]float32, len(m.heads))
	}
	in := x
	for i, l := range m.hidden {
		z := grow(&t.z[i], rows*l.Out)
		affine(p, l, in, rows, z)
		h := grow(&t.h[i], rows*l.Out)
		m.activate(h, z)
		in = h
	}
	for i, l := range m.heads {
		affine(p, l, in, rows, grow(&t.outs[i], rows*l.Out))
	}
}

// affine writes out = in·W + b.
func affine(p []float32, l layer, in []float32, rows int, out []float32) {
	gemm.MatMul(rows, l.Out, l.In, in, l.In, p[l.W:l.W+l.In*l.Out], l.Out, out, l.Out, false)
	b := p[l.B : l.B+l.Out]
	for r := 0; r < rows; r++ {
		o := out[r*l.Out : (r+1)*l.Out]
		for j := range o {
			o[j] += b[j]
		}
	}
}

func (m *mlp) activate(h, z []float32) {
	switch m.act {
	case "relu":
		for i, v := range z {
			h[i] = max(v, 0)
		}
	case "tanh":
		for i, v := range z {
			h[i] = float32(math.Tanh(float64(v)))
		}
	case "silu": // z becomes σ(z); see mlpTape.
		fastmath.SiLU(h, z, z)
	default: // leaky_relu, as GoMLX's graph: max(z, alpha·z)
		a := m.alpha
		for i, v := range z {
			h[i] = max(v, a*v)
		}
	}
}

// activationGrad multiplies dh by the activation's derivative at z, in place.
func (m *mlp) activationGrad(dh, z, h []float32) {
	switch m.act {
	case "relu":
		for i, v := range z {
			if v <= 0 {
				dh[i] = 0
			}
		}
	case "tanh":
		for i, v := range h {
			dh[i] *= 1 - v*v
		}
	case "silu": // z holds σ; silu' = σ·(1 + v·(1 − σ)) = σ + h·(1 − σ)
		h = h[:len(z)]
		for i, s := range z {
			dh[i] *= s + h[i]*(1-s)
		}
	default:
		// Indexed by the sign bit of z rather than branched on: the signs
		// are random, and mispredicted branches made this a fifth of a step.
		f := [2]float32{1, m.alpha}
		if m.alpha > 1 { // max(z, αz) is αz for z > 0
			f = [2]float32{m.alpha, 1}
		}
		for i, v := range z {
			dh[i] *= f[math.Float32bits(v)>>31]
		}
	}
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
	for i := len(m.hidden) - 1; i >= 0; i-- {
		l := m.hidden[i]
		dz := grow(&t.dz, rows*l.Out)
		copy(dz, dIn)
		m.activationGrad(dz, t.z[i], t.h[i])
		in := t.x
		if i > 0 {
			in = t.h[i-1]
		}
		dIn = nil
		if i > 0 {
			dIn = grow(&t.dh, rows*l.In)
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
		// in^T·dz with in transposed.
		xt := grow(&t.xt, l.In*rows)
		transpose(xt, in, rows, l.In)
		gemm.MatMul(l.In, l.Out, rows, xt, rows, dz, l.Out, gw, l.Out, true)
	} else {
		// Narrow outputs (the heads): (dz^T·in)^T, transposing dz and the
		// small product instead of the wide input.
		zt := grow(&t.xt, l.Out*rows)
		transpose(zt, dz, rows, l.Out)
		prod := grow(&t.prod, l.Out*l.In)
		gemm.MatMul(l.Out, l.In, rows, zt, rows, in, l.In, prod, l.In, false)
		for o := 0; o < l.Out; o++ {
			for i, v := range prod[o*l.In : (o+1)*l.In] {
				gw[i*l.Out+o] += v
			}
		}
	}
	gb := g[l.B : l.B+l.Out]
	for r := 0; r < rows; r++ {
		d := dz[r*l.Out : (r+1)*l.Out]
		for j, v := range d {
			gb[j] += v
		}
	}
	if din == nil {
		return
	}
	gemm.MatMul(rows, l.In, l.Out, dz, l.Out, wt[l.W:l.W+l.In*l.Out], l.In, din, l.In, accumulate)
}

// transpose writes dst [cols×rows] = src [rows×cols]^T, in tiles so that
// both sides stay in cache (a plain loop strides through dst and was a
// quarter of a training step).
func transpose(dst, src []float32, rows, cols int) {
	const tile = 16
	for r0 := 0; r0 < rows; r0 += tile {
		r1 := min(r0+tile, rows)
		for c0 := 0; c0 < cols; c0 += tile {
			c1 := min(c0+tile, cols)
			for r := r0; r < r1; r++ {
				for c, v := range src[r*cols+c0 : r*cols+c1] {
					dst[(c0+c)*rows+r] = v
				}
			}
		}
	}
}

// layers returns the trunk's layers and then the heads.
func (m *mlp) layers() []layer {
	return append(append([]layer(nil), m.hidden...), m.heads...)
}
