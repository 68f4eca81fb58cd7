package flow

import (
	"fmt"
	"math"
	"runtime"
	"sync"

	"github.com/ozarkinn/inn/innlib/dense"
	"github.com/ozarkinn/inn/innlib/internal/cols"
)

// fastChunk is how many rows go through all blocks together: small enough
// for the activations to stay in cache, large enough for the kernels.
const fastChunk = 1024

// Fast is a frozen copy of a Network evaluated in plain Go with the gemm
// kernels, for inference: Forward and Inverse agree with the graph versions
// to float32 rounding. It is safe for concurrent use.
type Fast struct {
	Dim, CondDim int
	clamp        float32
	blocks       []fastBlock
	perms, invs  [][]int
	width        int
}

type fastBlock struct {
	d1, d2     int
	net1, net2 *dense.Fast
}

// Snapshot copies the network's current weights into a Fast evaluator.
func (n *Network) Snapshot() (*Fast, error) {
	f := &Fast{Dim: n.Config.Dim, CondDim: n.Config.CondDim, clamp: float32(n.Config.Clamp)}
	for i, b := range n.blocks {
		n1, err := b.net1.Snapshot()
		if err != nil {
			return nil, err
		}
		n2, err := b.net2.Snapshot()
		if err != nil {
			return nil, err
		}
		f.blocks = append(f.blocks, fastBlock{d1: b.d1, d2: b.d2, net1: n1, net2: n2})
		f.perms = append(f.perms, n.Perms[i])
		f.invs = append(f.invs, inversePerm(n.Perms[i]))
		f.width = max(f.width, n1.Width(), n2.Width())
	}
	return f, nil
}

// workspace holds the scratch buffers of one goroutine for one chunk.
type workspace struct {
	x, y, h, s, t, scratch []float32
}

// newWorkspace returns buffers for chunks of up to rows rows (at most
// fastChunk): a sampler calling with a few rows at a time must not pay for
// a megabyte of scratch on every call.
func (f *Fast) newWorkspace(rows int) *workspace {
	d, n := f.Dim, min(max(rows, 1), fastChunk)
	return &workspace{
		x: make([]float32, n*d), y: make([]float32, n*d),
		h: make([]float32, n*(d+f.CondDim)), s: make([]float32, n*d), t: make([]float32, n*d),
		scratch: make([]float32, 2*n*max(f.width, 1)),
	}
}

// Forward maps rows of u ([rows, Dim]) to v and returns log|det J| per row.
// cond is [rows, CondDim] or nil.
func (f *Fast) Forward(u, cond []float32, rows int) (v []float32, logDet []float64, err error) {
	if err := f.check(u, cond, rows); err != nil {
		return nil, nil, err
	}
	v = make([]float32, rows*f.Dim)
	logDet = make([]float64, rows)
	f.parallel(rows, func(ws *workspace, r0, r1 int) {
		f.forwardChunk(ws, u[r0*f.Dim:r1*f.Dim], condRows(cond, f.CondDim, r0, r1), r1-r0, v[r0*f.Dim:r1*f.Dim], logDet[r0:r1])
	})
	return v, logDet, nil
}

// Inverse maps rows of v back to u.
func (f *Fast) Inverse(v, cond []float32, rows int) ([]float32, error) {
	if err := f.check(v, cond, rows); err != nil {
		return nil, err
	}
	u := make([]float32, rows*f.Dim)
	f.parallel(rows, func(ws *workspace, r0, r1 int) {
		f.inverseChunk(ws, v[r0*f.Dim:r1*f.Dim], condRows(cond, f.CondDim, r0, r1), r1-r0, u[r0*f.Dim:r1*f.Dim])
	})
	return u, nil
}

func (f *Fast) check(x, cond []float32, rows int) error {
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

// parallel runs fn over chunks of rows on up to GOMAXPROCS goroutines.
func (f *Fast) parallel(rows int, fn func(ws *workspace, r0, r1 int)) {
	chunks := (rows + fastChunk - 1) / fastChunk
	workers := min(runtime.GOMAXPROCS(0), chunks)
	if workers <= 1 {
		ws := f.newWorkspace(rows)
		for c := 0; c < chunks; c++ {
			fn(ws, c*fastChunk, min((c+1)*fastChunk, rows))
		}
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
			ws := f.newWorkspace(rows)
			for {
				mu.Lock()
				c := next
				next++
				mu.Unlock()
				if c >= chunks {
					return
				}
				fn(ws, c*fastChunk, min((c+1)*fastChunk, rows))
			}
		}()
	}
	wg.Wait()
}

// scaleShift evaluates a subnetwork on rows of h (half plus condition) and
// leaves the clamped log-scale in ws.s and the shift in ws.t, [rows, out].
func (f *Fast) scaleShift(ws *workspace, net *dense.Fast, half []float32, hw int, cond []float32, rows, out int) {
	in := half
	if cond != nil {
		cw := f.CondDim
		in = ws.h[:rows*(hw+cw)]
		for r := 0; r < rows; r++ {
			copy(in[r*(hw+cw):], half[r*hw:(r+1)*hw])
			copy(in[r*(hw+cw)+hw:], cond[r*cw:(r+1)*cw])
		}
	}
	s, t := ws.s[:rows*out], ws.t[:rows*out]
	net.Apply([][]float32{s, t}, in, rows, ws.scratch)
	c := f.clamp
	for i, v := range s {
		s[i] = c * float32(math.Tanh(float64(v/c)))
	}
}

func (f *Fast) forwardChunk(ws *workspace, u, cond []float32, rows int, v []float32, logDet []float64) {
	d := f.Dim
	cur := ws.x[:rows*d]
	copy(cur, u)
	for i := range logDet {
		logDet[i] = 0
	}
	for bi, b := range f.blocks {
		a, c := ws.y[:rows*b.d1], ws.y[rows*b.d1:rows*d] // u1 -> v1, u2 -> v2 in place.
		cols.Split(cur, a, c, rows, b.d1, b.d2)
		f.scaleShift(ws, b.net2, c, b.d2, cond, rows, b.d1)
		for r := 0; r < rows; r++ {
			for j := 0; j < b.d1; j++ {
				k := r*b.d1 + j
				a[k] = a[k]*float32(math.Exp(float64(ws.s[k]))) + ws.t[k]
				logDet[r] += float64(ws.s[k])
			}
		}
		f.scaleShift(ws, b.net1, a, b.d1, cond, rows, b.d2)
		for r := 0; r < rows; r++ {
			for j := 0; j < b.d2; j++ {
				k := r*b.d2 + j
				c[k] = c[k]*float32(math.Exp(float64(ws.s[k]))) + ws.t[k]
				logDet[r] += float64(ws.s[k])
			}
		}
		cols.JoinPermuted(cur, a, c, rows, b.d1, b.d2, f.perms[bi])
	}
	copy(v, cur)
}

func (f *Fast) inverseChunk(ws *workspace, v, cond []float32, rows int, u []float32) {
	d := f.Dim
	cur := ws.x[:rows*d]
	for bi := len(f.blocks) - 1; bi >= 0; bi-- {
		b := f.blocks[bi]
		src := v
		if bi != len(f.blocks)-1 {
			src = cur
		}
		// Undo the permutation: x[:, perm[j]] = y[:, j].
		tmp := ws.y[:rows*d]
		p := f.perms[bi]
		for r := 0; r < rows; r++ {
			for j, s := range p {
				tmp[r*d+s] = src[r*d+j]
			}
		}
		a, c := ws.x[:rows*b.d1], ws.x[rows*b.d1:rows*d] // v1 -> u1, v2 -> u2.
		cols.Split(tmp, a, c, rows, b.d1, b.d2)
		f.scaleShift(ws, b.net1, a, b.d1, cond, rows, b.d2)
		for k := range c {
			c[k] = (c[k] - ws.t[k]) * float32(math.Exp(-float64(ws.s[k])))
		}
		f.scaleShift(ws, b.net2, c, b.d2, cond, rows, b.d1)
		for k := range a {
			a[k] = (a[k] - ws.t[k]) * float32(math.Exp(-float64(ws.s[k])))
		}
		// Join the halves in order (no permutation before the block).
		out := ws.y[:rows*d]
		for r := 0; r < rows; r++ {
			copy(out[r*d:r*d+b.d1], a[r*b.d1:(r+1)*b.d1])
			copy(out[r*d+b.d1:(r+1)*d], c[r*b.d2:(r+1)*b.d2])
		}
		copy(cur, out)
	}
	copy(u, cur)
}
