package flowgrad

import (
	"fmt"
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
// chunks on up to GOMAXPROCS goroutines. It runs the blocks of Net (Forward,
// Inverse) without recording; results agree with Net's to float32 rounding
// (the fused products round differently). A Frozen is safe for concurrent use.
type Frozen struct {
	Dim, CondDim int
	net          *Net // its structure only: Frozen never calls the methods that change it
	w            params
	tapes        sync.Pool // of *Tape, one per goroutine at a time
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
	f := &Frozen{Dim: n.Dim, CondDim: n.CondDim, net: n,
		w: params{p: append([]float32(nil), p...), packed: make([]*gemm.PackedB, len(l.Tensors()))}}
	for _, b := range n.blocks {
		for _, m := range []*mlp{&b.net1, &b.net2} {
			for _, ly := range m.layers() {
				f.w.packed[ly.idx] = gemm.Pack(f.w.p[ly.W:ly.W+ly.In*ly.Out], ly.In, ly.Out, ly.Out)
			}
		}
	}
	f.tapes.New = func() any { return new(Tape) }
	return f, nil
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
	f.parallel(rows, func(t *Tape, r0, r1 int) {
		t.reset(1, r1-r0, nil)
		bt := &t.blocks[0] // every block reuses one block's buffers
		c := condRows(cond, f.CondDim, r0, r1)
		cur := u[r0*d : r1*d]
		for bi := range f.net.blocks {
			cur = f.net.forwardBlock(f.w, bi, bt, &bt.net1, &bt.net1, cur, c, r1-r0, logDet[r0:r1])
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
	f.parallel(rows, func(t *Tape, r0, r1 int) {
		t.reset(1, r1-r0, nil)
		bt := &t.blocks[0]
		c := condRows(cond, f.CondDim, r0, r1)
		cur := v[r0*d : r1*d]
		for bi := len(f.net.blocks) - 1; bi >= 0; bi-- {
			cur = f.net.inverseBlock(f.w, bi, bt, &bt.net1, &bt.net1, cur, c, r1-r0)
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

// parallel runs fn over chunks of rows on up to GOMAXPROCS goroutines, each
// with a tape of its own.
func (f *Frozen) parallel(rows int, fn func(t *Tape, r0, r1 int)) {
	chunks := (rows + frozenChunk - 1) / frozenChunk
	workers := min(runtime.GOMAXPROCS(0), chunks)
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
