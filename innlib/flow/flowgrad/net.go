package flowgrad

import (
	"fmt"

	"github.com/ozarkinn/inn/innlib/flow/coupling"
	"github.com/ozarkinn/inn/innlib/flow/layout"
	"github.com/ozarkinn/inn/innlib/internal/activation"
	"github.com/ozarkinn/inn/innlib/internal/cols"
	"github.com/ozarkinn/inn/innlib/internal/gemm"
)

// Net evaluates the network of a layout in plain Go: the layout's blocks,
// coupling, clamp and permutations, with the parameters passed in as a flat
// vector in the layout's order.
type Net struct {
	Dim, CondDim int
	// NumParams is the length of the flat parameter vector.
	NumParams int
	d1, d2    int
	cp        *coupling.Type
	clamp     float32
	blocks    []blockNets
	perms     [][]int // output column j of block i is column perms[i][j] of [v1, v2]

	// wt holds every weight matrix transposed, at its offset in the flat
	// parameters, for the input gradients of the backward passes. A training
	// step runs several backward passes with the same weights, so wt is
	// computed once per step: gen counts Forward and Inverse calls, and wt is
	// current while wtGen equals it.
	wt         []float32
	gen, wtGen uint64
}

type blockNets struct{ net1, net2 mlp } // net1: (v1, c) -> heads for u2; net2: (u2, c) -> heads for u1

// New returns the Net of layout l (package flow's Network.Layout).
func New(l *layout.Net) (*Net, error) {
	act, err := activation.Lookup(l.Activation)
	if err != nil {
		return nil, fmt.Errorf("flowgrad: %w", err)
	}
	cp, err := coupling.Lookup(l.Coupling)
	if err != nil {
		return nil, fmt.Errorf("flowgrad: %w", err)
	}
	if len(l.Blocks) == 0 {
		return nil, fmt.Errorf("flowgrad: the layout has no blocks")
	}
	n := &Net{Dim: l.Dim, CondDim: l.CondDim, NumParams: l.NumParams, cp: cp, clamp: float32(l.Clamp)}
	for i, b := range l.Blocks {
		if len(b.Perm) != l.Dim || b.D1+b.D2 != l.Dim {
			return nil, fmt.Errorf("flowgrad: block %d has halves %d+%d and a permutation of %d entries, want %d", i, b.D1, b.D2, len(b.Perm), l.Dim)
		}
		if len(b.Net1.Heads) != cp.Heads || len(b.Net2.Heads) != cp.Heads {
			return nil, fmt.Errorf("flowgrad: block %d has subnetworks with %d and %d heads, the %s coupling takes %d",
				i, len(b.Net1.Heads), len(b.Net2.Heads), cp.Name, cp.Heads)
		}
		n.d1, n.d2 = b.D1, b.D2
		n.blocks = append(n.blocks, blockNets{
			net1: newMLP(b.Net1, act, float32(l.Alpha)),
			net2: newMLP(b.Net2, act, float32(l.Alpha)),
		})
		n.perms = append(n.perms, b.Perm)
	}
	return n, nil
}

// Tape records one Forward or Inverse evaluation for its backward pass. The
// zero value is ready; a Tape reuses its buffers from call to call.
type Tape struct {
	rows   int
	cond   []float32
	blocks []blockTape
	out    []float32
	// Backward scratch.
	d, dcat, din1, din2, dsub []float32
	dh                        [][]float32 // gradients of the subnetwork heads
	// A batch of at least 2·shardRows rows is cut into nShards shards of
	// rows, each recorded on a tape of its own and run on its own goroutine;
	// gs are the shards' parameter gradients, added to the caller's in
	// shard order.
	nShards int
	shards  []Tape
	gs      [][]float32
}

// blockTape holds one block's values. In the forward direction a = u1, b = u2
// (inputs) and c = v1, e = v2 (outputs); in the inverse direction a = v1,
// b = v2 (inputs) and c = u1, e = u2 (outputs).
type blockTape struct {
	in         []float32 // the block's input (after un-permuting, for Inverse)
	a, b, c, e []float32
	k1, k2     []float32 // what the couplings keep for backward (affine: the clamped log-scales s1, s2)
	sub1, sub2 []float32 // subnetwork inputs with the condition (when CondDim > 0)
	net1, net2 mlpTape
	next       []float32 // output of the block
}

func (t *Tape) reset(nBlocks, rows int, cond []float32) {
	if len(t.blocks) < nBlocks {
		t.blocks = make([]blockTape, nBlocks)
	}
	t.rows, t.cond = rows, cond
}

func (n *Net) check(op string, x, cond []float32, rows int) {
	if len(x) != rows*n.Dim {
		panic(fmt.Sprintf("flowgrad.%s: %d values for %d rows of width %d", op, len(x), rows, n.Dim))
	}
	if len(cond) != rows*n.CondDim {
		panic(fmt.Sprintf("flowgrad.%s: condition has %d values for %d rows of width %d", op, len(cond), rows, n.CondDim))
	}
}

// subInput returns half joined with the condition, row by row (half itself
// when there is no condition, or when Frozen folded it and passes none).
func (n *Net) subInput(buf *[]float32, half, cond []float32, w, rows int) []float32 {
	if n.CondDim == 0 || cond == nil {
		return half
	}
	cw := n.CondDim
	in := grow(buf, rows*(w+cw))
	for r := 0; r < rows; r++ {
		copy(in[r*(w+cw):], half[r*w:(r+1)*w])
		copy(in[r*(w+cw)+w:], cond[r*cw:(r+1)*cw])
	}
	return in
}

// heads evaluates a subnetwork on its input and returns its heads (in tape).
func heads(p params, net *mlp, tape *mlpTape, in []float32, rows int) [][]float32 {
	net.forward(p, tape, in, rows)
	return tape.outs[:len(net.heads)]
}

// keep returns a buffer for what the coupling keeps of a half of width w.
func (n *Net) keep(buf *[]float32, rows, w int) []float32 {
	return grow(buf, rows*w*n.cp.Keep)
}

// headGrads returns the tape's buffers for the gradients of the heads of a
// subnetwork on a half of width w.
func (n *Net) headGrads(tape *Tape, rows, w int) [][]float32 {
	if len(tape.dh) < n.cp.Heads {
		tape.dh = make([][]float32, n.cp.Heads)
	}
	for i := range tape.dh {
		grow(&tape.dh[i], rows*w)
	}
	return tape.dh
}

// Forward maps rows of u ([rows×Dim]) to v and log|det ∂v/∂u| per row,
// recording on tape. cond is [rows×CondDim] (nil without a condition). v is
// owned by the tape until its next use; u and cond must stay unchanged until
// Backward.
func (n *Net) Forward(p []float32, tape *Tape, u, cond []float32, rows int) (v []float32, logDet []float64) {
	n.check("Forward", u, cond, rows)
	n.gen++
	logDet = make([]float64, rows)
	if k := shardsFor(rows); k > 1 {
		v = grow(&tape.out, rows*n.Dim)
		n.sharded(tape, rows, cond, k, func(t *Tape, r0, r1 int) {
			sv, _ := n.forwardRows(p, t, u[r0*n.Dim:r1*n.Dim], condRows(cond, n.CondDim, r0, r1), r1-r0, logDet[r0:r1])
			copy(v[r0*n.Dim:r1*n.Dim], sv)
		})
		return v, logDet
	}
	tape.nShards = 0
	return n.forwardRows(p, tape, u, cond, rows, logDet)
}

// forwardRows is Forward on one tape, adding the log-dets into logDet.
func (n *Net) forwardRows(p []float32, tape *Tape, u, cond []float32, rows int, logDet []float64) ([]float32, []float64) {
	tape.reset(len(n.blocks), rows, cond)
	cur := u
	for bi := range n.blocks {
		bt := &tape.blocks[bi]
		cur = n.forwardBlock(params{p: p}, bi, bt, &bt.net1, &bt.net2, cur, cond, rows, logDet)
	}
	return cur, logDet
}

// forwardBlock runs block bi on rows of cur, adds its log-dets to logDet and
// returns its output (bt.next). It records on bt and the subnetwork tapes t1
// and t2; Frozen passes the same ones for every block and both subnetworks.
func (n *Net) forwardBlock(p params, bi int, bt *blockTape, t1, t2 *mlpTape, cur, cond []float32, rows int, logDet []float64) []float32 {
	b, d1, d2 := &n.blocks[bi], n.d1, n.d2
	u1, u2 := grow(&bt.a, rows*d1), grow(&bt.b, rows*d2)
	cols.Split(cur, u1, u2, rows, d1, d2)
	h2 := heads(p, &b.net2, t2, n.subInput(&bt.sub2, u2, cond, d2, rows), rows)
	v1 := grow(&bt.c, rows*d1)
	n.cp.Forward(v1, u1, h2, n.keep(&bt.k2, rows, d1), logDet, d1, n.clamp)
	h1 := heads(p, &b.net1, t1, n.subInput(&bt.sub1, v1, cond, d1, rows), rows)
	v2 := grow(&bt.e, rows*d2)
	n.cp.Forward(v2, u2, h1, n.keep(&bt.k1, rows, d2), logDet, d2, n.clamp)
	next := grow(&bt.next, rows*n.Dim)
	cols.JoinPermuted(next, v1, v2, rows, d1, d2, n.perms[bi])
	return next
}

// Backward takes the gradient of a loss with respect to Forward's outputs (dv,
// [rows×Dim], and dLogDet per row, or nil), adds the parameter gradients into
// g and returns the gradient with respect to u (owned by the tape).
//
// Backward and InverseBackward use the weights of the latest Forward or
// Inverse call, as the tape does: change p only between a backward pass and
// the next Forward or Inverse.
func (n *Net) Backward(p, g []float32, tape *Tape, dv []float32, dLogDet []float64) []float32 {
	if len(dv) != tape.rows*n.Dim {
		panic(fmt.Sprintf("flowgrad.Backward: gradient has %d values, want %d", len(dv), tape.rows*n.Dim))
	}
	wt := n.transposed(p)
	if tape.nShards > 1 {
		return n.backSharded(g, tape, func(t *Tape, gs []float32, r0, r1 int) []float32 {
			var dld []float64
			if dLogDet != nil {
				dld = dLogDet[r0:r1]
			}
			return n.backwardRows(wt, gs, t, dv[r0*n.Dim:r1*n.Dim], dld)
		})
	}
	return n.backwardRows(wt, g, tape, dv, dLogDet)
}

// backwardRows is Backward on one tape, with the transposed weights wt.
func (n *Net) backwardRows(wt, g []float32, tape *Tape, dv []float32, dLogDet []float64) []float32 {
	rows, d1, d2, D := tape.rows, n.d1, n.d2, n.Dim
	d := grow(&tape.d, rows*D)
	copy(d, dv)
	dcat := grow(&tape.dcat, rows*D)
	for bi := len(n.blocks) - 1; bi >= 0; bi-- {
		b, bt := &n.blocks[bi], &tape.blocks[bi]
		perm := n.perms[bi]
		for r := 0; r < rows; r++ { // next[:, j] = cat[:, perm[j]]
			for j, src := range perm {
				dcat[r*D+src] = d[r*D+j]
			}
		}
		dv1, dv2 := grow(&tape.din1, rows*d1), grow(&tape.din2, rows*d2)
		cols.Split(dcat, dv1, dv2, rows, d1, d2)
		// v2 = f(u2; net1(v1, c))
		dh := n.headGrads(tape, rows, d2)
		du2 := dv2 // reused in place
		n.cp.Backward(dv2, bt.b, bt.k1, dLogDet, d2, n.clamp, dh)
		dsub1 := n.subGrad(tape, rows, d1)
		b.net1.backward(wt, g, &bt.net1, dh, dsub1, rows)
		addHalf(dv1, dsub1, rows, d1, n.CondDim)
		// v1 = f(u1; net2(u2, c))
		dh = n.headGrads(tape, rows, d1)
		du1 := dv1
		n.cp.Backward(dv1, bt.a, bt.k2, dLogDet, d1, n.clamp, dh)
		dsub2 := n.subGrad(tape, rows, d2)
		b.net2.backward(wt, g, &bt.net2, dh, dsub2, rows)
		addHalf(du2, dsub2, rows, d2, n.CondDim)
		for r := 0; r < rows; r++ {
			copy(d[r*D:r*D+d1], du1[r*d1:(r+1)*d1])
			copy(d[r*D+d1:(r+1)*D], du2[r*d2:(r+1)*d2])
		}
	}
	return d
}

// subGrad returns the tape's buffer for the gradient of a subnetwork's
// input, [rows×(w+CondDim)].
func (n *Net) subGrad(tape *Tape, rows, w int) []float32 {
	return grow(&tape.dsub, rows*(w+n.CondDim))
}

// addHalf adds the first w columns of src ([rows×(w+cw)]) to dst ([rows×w]).
func addHalf(dst, src []float32, rows, w, cw int) {
	for r := 0; r < rows; r++ {
		s := src[r*(w+cw) : r*(w+cw)+w]
		o := dst[r*w : (r+1)*w]
		for j, v := range s {
			o[j] += v
		}
	}
}

// Inverse maps rows of v back to u, exactly inverting Forward for the same
// cond, recording on tape. u is owned by the tape until its next use.
func (n *Net) Inverse(p []float32, tape *Tape, v, cond []float32, rows int) []float32 {
	n.check("Inverse", v, cond, rows)
	n.gen++
	if k := shardsFor(rows); k > 1 {
		u := grow(&tape.out, rows*n.Dim)
		n.sharded(tape, rows, cond, k, func(t *Tape, r0, r1 int) {
			su := n.inverseRows(p, t, v[r0*n.Dim:r1*n.Dim], condRows(cond, n.CondDim, r0, r1), r1-r0)
			copy(u[r0*n.Dim:r1*n.Dim], su)
		})
		return u
	}
	tape.nShards = 0
	return n.inverseRows(p, tape, v, cond, rows)
}

// inverseRows is Inverse on one tape.
func (n *Net) inverseRows(p []float32, tape *Tape, v, cond []float32, rows int) []float32 {
	tape.reset(len(n.blocks), rows, cond)
	cur := v
	for bi := len(n.blocks) - 1; bi >= 0; bi-- {
		bt := &tape.blocks[bi]
		cur = n.inverseBlock(params{p: p}, bi, bt, &bt.net1, &bt.net2, cur, cond, rows)
	}
	return cur
}

// inverseBlock undoes block bi on rows of cur and returns its input
// (bt.next), recording as forwardBlock does.
func (n *Net) inverseBlock(p params, bi int, bt *blockTape, t1, t2 *mlpTape, cur, cond []float32, rows int) []float32 {
	b, d1, d2, D := &n.blocks[bi], n.d1, n.d2, n.Dim
	x := grow(&bt.in, rows*D)
	perm := n.perms[bi]
	for r := 0; r < rows; r++ { // x[:, perm[j]] = cur[:, j]
		for j, src := range perm {
			x[r*D+src] = cur[r*D+j]
		}
	}
	v1, v2 := grow(&bt.a, rows*d1), grow(&bt.b, rows*d2)
	cols.Split(x, v1, v2, rows, d1, d2)
	h1 := heads(p, &b.net1, t1, n.subInput(&bt.sub1, v1, cond, d1, rows), rows)
	u2 := grow(&bt.e, rows*d2)
	n.cp.Inverse(u2, v2, h1, n.keep(&bt.k1, rows, d2), n.clamp)
	h2 := heads(p, &b.net2, t2, n.subInput(&bt.sub2, u2, cond, d2, rows), rows)
	u1 := grow(&bt.c, rows*d1)
	n.cp.Inverse(u1, v1, h2, n.keep(&bt.k2, rows, d1), n.clamp)
	next := grow(&bt.next, rows*D)
	for r := 0; r < rows; r++ {
		copy(next[r*D:r*D+d1], u1[r*d1:(r+1)*d1])
		copy(next[r*D+d1:(r+1)*D], u2[r*d2:(r+1)*d2])
	}
	return next
}

// InverseBackward takes the gradient of a loss with respect to Inverse's
// output (du, [rows×Dim]), adds the parameter gradients into g and returns
// the gradient with respect to v (owned by the tape).
func (n *Net) InverseBackward(p, g []float32, tape *Tape, du []float32) []float32 {
	if len(du) != tape.rows*n.Dim {
		panic(fmt.Sprintf("flowgrad.InverseBackward: gradient has %d values, want %d", len(du), tape.rows*n.Dim))
	}
	wt := n.transposed(p)
	if tape.nShards > 1 {
		return n.backSharded(g, tape, func(t *Tape, gs []float32, r0, r1 int) []float32 {
			return n.inverseBackwardRows(wt, gs, t, du[r0*n.Dim:r1*n.Dim])
		})
	}
	return n.inverseBackwardRows(wt, g, tape, du)
}

// inverseBackwardRows is InverseBackward on one tape, with the transposed
// weights wt.
func (n *Net) inverseBackwardRows(wt, g []float32, tape *Tape, du []float32) []float32 {
	rows, d1, d2, D := tape.rows, n.d1, n.d2, n.Dim
	d := grow(&tape.d, rows*D)
	copy(d, du)
	for bi := range n.blocks {
		b, bt := &n.blocks[bi], &tape.blocks[bi]
		du1, du2 := grow(&tape.din1, rows*d1), grow(&tape.din2, rows*d2)
		cols.Split(d, du1, du2, rows, d1, d2)
		// u1 = f⁻¹(v1; net2(u2, c))
		dh := n.headGrads(tape, rows, d1)
		dv1 := du1 // reused in place
		n.cp.InverseBackward(du1, bt.c, bt.k2, n.clamp, dh)
		dsub2 := n.subGrad(tape, rows, d2)
		b.net2.backward(wt, g, &bt.net2, dh, dsub2, rows)
		addHalf(du2, dsub2, rows, d2, n.CondDim)
		// u2 = f⁻¹(v2; net1(v1, c))
		dh = n.headGrads(tape, rows, d2)
		dv2 := du2
		n.cp.InverseBackward(du2, bt.e, bt.k1, n.clamp, dh)
		dsub1 := n.subGrad(tape, rows, d1)
		b.net1.backward(wt, g, &bt.net1, dh, dsub1, rows)
		addHalf(dv1, dsub1, rows, d1, n.CondDim)
		perm := n.perms[bi]
		for r := 0; r < rows; r++ { // x[:, perm[j]] = cur[:, j], so dcur[:, j] = dx[:, perm[j]]
			for j, src := range perm {
				if src < d1 {
					d[r*D+j] = dv1[r*d1+src]
				} else {
					d[r*D+j] = dv2[r*d2+src-d1]
				}
			}
		}
	}
	return d
}

// transposed returns the transposed weights of p (see Net.wt).
func (n *Net) transposed(p []float32) []float32 {
	if n.wtGen == n.gen && len(n.wt) == len(p) {
		return n.wt
	}
	grow(&n.wt, len(p))
	for bi := range n.blocks {
		for _, m := range []*mlp{&n.blocks[bi].net1, &n.blocks[bi].net2} {
			for _, l := range m.layers() {
				gemm.Transpose(n.wt[l.W:l.W+l.In*l.Out], p[l.W:l.W+l.In*l.Out], l.In, l.Out)
			}
		}
	}
	n.wtGen = n.gen
	return n.wt
}
