package flowgrad

import (
	"fmt"

	"github.com/ozarkinn/inn/innlib/internal/cols"
)

// Batch runs a Frozen's forward pass on the calling goroutine with buffers
// it keeps from call to call: the surrogate an MCMC sampler calls millions
// of times on a half-ensemble (8 rows). Its outputs are Frozen.Forward's,
// bit for bit (the same products on the same rows, chunk by chunk; only the
// goroutines and the allocations are gone). A Batch is not safe for
// concurrent use; make one per goroutine.
//
// Only the first cols output columns are asked for (the bidirectional INN's
// y). When none of them comes from the last block's second half v2 (its
// permutation takes all of them from v1), that half, net1 and its coupling,
// cannot change them and is skipped: the remaining columns are then left
// undefined (see Cols).
type Batch struct {
	f      *Frozen
	w      params
	tape   Tape
	v      []float32
	logDet []float64
	cols   int
	// skipLast: the last block runs its first half-coupling only.
	skipLast bool
}

// NewBatch returns a Batch whose outputs of interest are the first cols
// columns (1 ≤ cols ≤ Dim). Flows with a condition are not supported.
func (f *Frozen) NewBatch(cols int) (*Batch, error) {
	if f.CondDim > 0 {
		return nil, fmt.Errorf("flowgrad: Batch takes flows without a condition, this one has %d condition columns", f.CondDim)
	}
	if cols < 1 || cols > f.Dim {
		return nil, fmt.Errorf("flowgrad: Batch asked for %d output columns of %d", cols, f.Dim)
	}
	b := &Batch{f: f, w: f.w, cols: cols, skipLast: true}
	last := f.net.perms[len(f.net.perms)-1]
	for _, src := range last[:cols] {
		if src >= f.net.d1 {
			b.skipLast = false
		}
	}
	// The products stay on the calling goroutine: DenseSerial computes
	// every row as Dense does on any number of goroutines.
	b.w.serial = true
	return b, nil
}

// Cols returns how many leading columns of each row Forward defines: Dim,
// or the cols given to NewBatch when the last half-coupling is skipped.
func (b *Batch) Cols() int {
	if b.skipLast {
		return b.cols
	}
	return b.f.Dim
}

// Forward maps rows of u ([rows, Dim]) to v ([rows, Dim], of which the first
// Cols() columns of each row are defined). v is owned by b until its next
// call; u is not modified.
func (b *Batch) Forward(u []float32, rows int) ([]float32, error) {
	f := b.f
	if err := f.check(u, nil, rows); err != nil {
		return nil, err
	}
	d, n := f.Dim, f.net
	v := grow(&b.v, rows*d)
	if cap(b.logDet) < rows {
		b.logDet = make([]float64, rows)
	}
	// Frozen.Forward's chunks, in order, on one goroutine.
	for r0 := 0; r0 < rows; r0 += frozenChunk {
		r1 := min(r0+frozenChunk, rows)
		t := &b.tape
		t.reset(1, r1-r0, nil)
		bt := &t.blocks[0]
		logDet := b.logDet[r0:r1]
		clear(logDet)
		cur := u[r0*d : r1*d]
		last := len(n.blocks) - 1
		if !b.skipLast {
			last++
		}
		for bi := range last {
			cur = n.forwardBlock(b.w, bi, bt, &bt.net1, &bt.net1, cur, nil, r1-r0, logDet)
		}
		if !b.skipLast {
			copy(v[r0*d:r1*d], cur)
			continue
		}
		v1 := b.firstHalf(last, bt, cur, r1-r0, logDet)
		perm, d1 := n.perms[last], n.d1
		for r := range r1 - r0 {
			o := v[(r0+r)*d : (r0+r)*d+b.cols]
			for j, src := range perm[:b.cols] {
				o[j] = v1[r*d1+src] // src < d1: NewBatch checked it
			}
		}
	}
	return v, nil
}

// firstHalf is the first half of Net.forwardBlock for block bi, the same
// arithmetic: v1 = f(u1; net2(u2)), returned (bt.c).
func (b *Batch) firstHalf(bi int, bt *blockTape, cur []float32, rows int, logDet []float64) []float32 {
	n := b.f.net
	blk, d1, d2 := &n.blocks[bi], n.d1, n.d2
	u1, u2 := grow(&bt.a, rows*d1), grow(&bt.b, rows*d2)
	cols.Split(cur, u1, u2, rows, d1, d2)
	h2 := heads(b.w, &blk.net2, &bt.net1, n.subInput(&bt.sub2, u2, nil, d2, rows), rows)
	v1 := grow(&bt.c, rows*d1)
	n.cp.Forward(v1, u1, h2, n.keep(&bt.k2, rows, d1), logDet, d1, n.clamp)
	return v1
}
