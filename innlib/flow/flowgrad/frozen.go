package flowgrad

import (
	"fmt"
	"math"
	"runtime"
	"sync"

	"github.com/ozarkinn/inn/innlib/flow/layout"
	"github.com/ozarkinn/inn/innlib/internal/gemm"
)

// frozenChunk is how many rows go through all blocks together: small enough
// for the activations to stay in cache, large enough for the kernels.
const frozenChunk = 1024

// Frozen is a Net with fixed weights, for inference: the weight matrices are
// packed once for the gemm kernels, which then fuse the bias and a
// piecewise-linear activation into each product, and rows are evaluated in
// chunks on up to GOMAXPROCS goroutines (each product then stays on its
// chunk's goroutine). A subnetwork's heads are one product. A condition that
// is the same in every row of a call (posterior sampling for one
// observation) is folded into the first layers' biases once per call, so
// that the subnetworks multiply only the half. It runs the blocks of Net
// (Forward, Inverse) without recording; results agree with Net's to float32
// rounding (the fused products round differently). A Frozen is safe for
// concurrent use.
type Frozen struct {
	Dim, CondDim int
	net          *Net // its structure only: Frozen never calls the methods that change it
	w            params
	tapes        sync.Pool // of *Tape, one per goroutine at a time
	// first holds, by tensor index, each subnetwork's first trunk layer
	// without the condition's rows (nil without a condition): see evalParams.
	first  []*gemm.PackedB
	noFold bool // tests: never fold the condition
}

// Freeze returns the Frozen evaluator of layout l with parameters p (in the
// layout's flat order; Freeze copies them).
func Freeze(l *layout.Net, p []float32) (*Frozen, error) {
	n, err := New(l)
	if err != nil {
		return nil, err
	}
	if len(p) != n.NumParams {
		return nil, fmt.Errorf("flowgrad: %d parameters, the layout has %d", len(p), n.NumParams)
	}
	nt := len(l.Tensors())
	f := &Frozen{Dim: n.Dim, CondDim: n.CondDim, net: n,
		w: params{p: append([]float32(nil), p...), packed: make([]*gemm.PackedB, nt),
			heads: make([]*gemm.PackedB, nt), headsB: make([][]float32, nt)}}
	fold := n.CondDim > 0
	for _, b := range n.blocks {
		for _, m := range []*mlp{&b.net1, &b.net2} {
			for _, ly := range m.layers() {
				f.w.packed[ly.idx] = gemm.Pack(f.w.p[ly.W:ly.W+ly.In*ly.Out], ly.In, ly.Out, ly.Out)
			}
			f.packHeads(m)
			fold = fold && len(m.hidden) > 0
		}
	}
	if fold {
		// The first trunk layer's weights without the condition's rows,
		// for calls whose condition is the same in every row (fold).
		f.first = make([]*gemm.PackedB, nt)
		for _, b := range n.blocks {
			for _, m := range []*mlp{&b.net1, &b.net2} {
				ly := m.hidden[0]
				half := ly.In - n.CondDim
				f.first[ly.idx] = gemm.Pack(f.w.p[ly.W:ly.W+half*ly.Out], half, ly.Out, ly.Out)
			}
		}
	}
	f.tapes.New = func() any { return new(Tape) }
	return f, nil
}

// packHeads packs the heads of m side by side, with their biases, so that
// one product computes them all (with the 8-column kernel, as each head
// alone, while they fit in 8 columns; rounded as the wider kernel rounds
// beyond that).
func (f *Frozen) packHeads(m *mlp) {
	if len(m.heads) < 2 {
		return
	}
	in, width := m.heads[0].In, 0
	for _, h := range m.heads {
		width += h.Out
	}
	w := make([]float32, in*width)
	b := make([]float32, 0, width)
	off := 0
	for _, h := range m.heads {
		for r := 0; r < in; r++ {
			copy(w[r*width+off:r*width+off+h.Out], f.w.p[h.W+r*h.Out:h.W+(r+1)*h.Out])
		}
		b = append(b, f.w.p[h.B:h.B+h.Out]...)
		off += h.Out
	}
	idx := m.heads[0].idx
	f.w.heads[idx], f.w.headsB[idx] = gemm.Pack(w, in, width, width), b
}

// foldMinRows is the fewest rows for which evalParams folds the condition:
// folding costs about as much as the products it saves on 8 rows.
const foldMinRows = 32

// evalParams returns the parameters of one call on rows rows with condition
// cond: products on the calling goroutine when the rows are split over
// several, and the condition folded into the first layers when it is the
// same in every row (then the blocks get no condition: fold reports it).
func (f *Frozen) evalParams(cond []float32, rows int) (w params, fold bool) {
	w = f.w
	w.serial = f.workers(rows) > 1
	if f.first == nil || f.noFold || rows < foldMinRows || !sameRows(cond, f.CondDim) {
		return w, false
	}
	c := cond[:f.CondDim]
	w.first = f.first
	w.firstB = make([][]float32, len(f.first))
	for _, b := range f.net.blocks {
		for _, m := range []*mlp{&b.net1, &b.net2} {
			ly := m.hidden[0]
			half := ly.In - f.CondDim
			// bias + c·W[half:, :], summed in float64.
			acc := make([]float64, ly.Out)
			for o := range acc {
				acc[o] = float64(f.w.p[ly.B+o])
			}
			for k, cv := range c {
				row := f.w.p[ly.W+(half+k)*ly.Out : ly.W+(half+k+1)*ly.Out]
				for o, wv := range row {
					acc[o] += float64(cv) * float64(wv)
				}
			}
			fb := make([]float32, ly.Out)
			for o, v := range acc {
				fb[o] = float32(v)
			}
			w.firstB[ly.idx] = fb
		}
	}
	return w, true
}

// sameRows reports whether every row of x ([rows×width]) equals the first,
// bit for bit.
func sameRows(x []float32, width int) bool {
	if width == 0 || len(x) < width {
		return false
	}
	first := x[:width]
	for r := width; r < len(x); r += width {
		for j, v := range x[r : r+width] {
			if math.Float32bits(v) != math.Float32bits(first[j]) {
				return false
			}
		}
	}
	return true
}

// Forward maps rows of u ([rows, Dim]) to v and returns log|det J| per row.
// cond is [rows, CondDim] or nil.
func (f *Frozen) Forward(u, cond []float32, rows int) (v []float32, logDet []float64, err error) {
	if err := f.check(u, cond, rows); err != nil {
		return nil, nil, err
	}
	d := f.Dim
	v = make([]float32, rows*d)
	logDet = make([]float64, rows)
	w, folded := f.evalParams(cond, rows)
	f.parallel(rows, func(t *Tape, r0, r1 int) {
		t.reset(1, r1-r0, nil)
		bt := &t.blocks[0] // every block reuses one block's buffers
		c := condRows(cond, f.CondDim, r0, r1)
		if folded {
			c = nil
		}
		cur := u[r0*d : r1*d]
		for bi := range f.net.blocks {
			cur = f.net.forwardBlock(w, bi, bt, &bt.net1, &bt.net1, cur, c, r1-r0, logDet[r0:r1])
		}
		copy(v[r0*d:r1*d], cur)
	})
	return v, logDet, nil
}

// Inverse maps rows of v back to u.
func (f *Frozen) Inverse(v, cond []float32, rows int) ([]float32, error) {
	if err := f.check(v, cond, rows); err != nil {
		return nil, err
	}
	d := f.Dim
	u := make([]float32, rows*d)
	w, folded := f.evalParams(cond, rows)
	f.parallel(rows, func(t *Tape, r0, r1 int) {
		t.reset(1, r1-r0, nil)
		bt := &t.blocks[0]
		c := condRows(cond, f.CondDim, r0, r1)
		if folded {
			c = nil
		}
		cur := v[r0*d : r1*d]
		for bi := len(f.net.blocks) - 1; bi >= 0; bi-- {
			cur = f.net.inverseBlock(w, bi, bt, &bt.net1, &bt.net1, cur, c, r1-r0)
		}
		copy(u[r0*d:r1*d], cur)
	})
	return u, nil
}

func (f *Frozen) check(x, cond []float32, rows int) error {
	if rows < 0 || len(x) != rows*f.Dim {
		return fmt.Errorf("flow: %d values for %d rows of width %d", len(x), rows, f.Dim)
	}
	if f.CondDim > 0 && len(cond) != rows*f.CondDim {
		return fmt.Errorf("flow: condition has %d values for %d rows of width %d", len(cond), rows, f.CondDim)
	}
	if f.CondDim == 0 && cond != nil {
		return fmt.Errorf("flow: got a condition but the network has none")
	}
	return nil
}

func condRows(cond []float32, w, r0, r1 int) []float32 {
	if cond == nil {
		return nil
	}
	return cond[r0*w : r1*w]
}

// workers returns how many goroutines parallel runs for rows rows.
func (f *Frozen) workers(rows int) int {
	return min(runtime.GOMAXPROCS(0), (rows+frozenChunk-1)/frozenChunk)
}

// parallel runs fn over chunks of rows on up to GOMAXPROCS goroutines, each
// with a tape of its own.
func (f *Frozen) parallel(rows int, fn func(t *Tape, r0, r1 int)) {
	chunks := (rows + frozenChunk - 1) / frozenChunk
	workers := f.workers(rows)
	work := func(next func() int) {
		t := f.tapes.Get().(*Tape)
		defer f.tapes.Put(t)
		for c := next(); c < chunks; c = next() {
			fn(t, c*frozenChunk, min((c+1)*frozenChunk, rows))
		}
	}
	if workers <= 1 {
		c := -1
		work(func() int { c++; return c })
		return
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		next int
	)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work(func() int {
				mu.Lock()
				defer mu.Unlock()
				next++
				return next - 1
			})
		}()
	}
	wg.Wait()
}
