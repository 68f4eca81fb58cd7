package gemm

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
)

// Epilogue flags: what a micro-kernel does to a tile after the dot products.
// The assembly tests the same bit values.
const (
	flagAccumulate = 1 << iota // add the old contents of C
	flagBias                   // start from the bias row instead of zero
	flagLeaky                  // leaky ReLU: x < 0 becomes alpha·x
	flagLeakyMin               // alpha > 1: the ReLU is min(x, alpha·x), not max
)

// kernelKind selects a micro-kernel; tests run every kind the CPU supports.
type kernelKind int

const (
	kernelGo     kernelKind = iota // portable, kernel_generic.go
	kernelAVX2                     // AVX2+FMA assembly, kernel_amd64.s
	kernelAVX512                   // AVX-512 for 16-wide panels, AVX2 for 8-wide
)

func (k kernelKind) String() string {
	return [...]string{"go", "avx2", "avx512"}[k]
}

// KernelEnv is the environment variable that caps the micro-kernel, read once
// at start-up: "go" or "avx2" (or "avx512", or "" for the fastest). It exists
// to measure, on an AVX-512 machine, what a machine with only AVX2 (or none)
// gets; a kernel the CPU lacks falls back to the fastest it has.
const KernelEnv = "INNLIB_GEMM_KERNEL"

// defaultKernel is the fastest kernel this CPU runs, capped by KernelEnv.
var defaultKernel = func() kernelKind {
	k, warn := chooseKernel(os.Getenv(KernelEnv), hasAVX2, hasAVX512)
	if warn != "" {
		fmt.Fprintln(os.Stderr, "gemm:", warn)
	}
	return k
}()

// chooseKernel returns the kernel to use when KernelEnv is env on a CPU with
// the given features, and a warning when env is not honoured as written.
func chooseKernel(env string, avx2, avx512 bool) (kernelKind, string) {
	best := kernelGo
	switch {
	case avx512:
		best = kernelAVX512
	case avx2:
		best = kernelAVX2
	}
	var want kernelKind
	switch strings.ToLower(strings.TrimSpace(env)) {
	case "", "auto":
		return best, ""
	case "go", "purego":
		want = kernelGo
	case "avx2":
		want = kernelAVX2
	case "avx512":
		want = kernelAVX512
	default:
		return best, fmt.Sprintf("%s=%q is not one of go, avx2, avx512, auto; using %s", KernelEnv, env, best)
	}
	if want > best {
		return best, fmt.Sprintf("%s=%s: this CPU (or build) lacks it; using %s", KernelEnv, want, best)
	}
	return want, ""
}

// blockBytes bounds the rows of A swept across all panels of B at a time, so
// that they stay in the core's L2 cache while each panel stays in L1.
const blockBytes = 64 << 10

// job is one product C = act(A·B + bias) over the panels of B.
type job struct {
	m, k   int
	a      []float32
	lda    int
	astep  int // floats from one column of A to the next: 0 or 1, or lda of a transposed A (then lda is 1)
	panels []panel
	c      []float32
	ldc    int
	bias   []float32 // n elements when flags has flagBias
	flags  int
	alpha  float32
}

// run computes the product, on several goroutines when it is big enough.
func (j *job) run(kind kernelKind) {
	if j.m == 0 || len(j.panels) == 0 {
		return
	}
	if j.astep == 0 {
		j.astep = 1
	}
	if j.astep != 1 && kind == kernelGo {
		// The Go kernel reads rows of A contiguously: transpose A first.
		at := make([]float32, j.m*j.k)
		for p := 0; p < j.k; p++ {
			for i, v := range j.a[p*j.astep : p*j.astep+j.m] {
				at[i*j.k+p] = v
			}
		}
		j.a, j.lda, j.astep = at, j.k, 1
	}
	last := &j.panels[len(j.panels)-1]
	t := threadsFor(j.m, last.col0+last.cols, j.k)
	if t <= 1 {
		j.rows(kind, 0, j.m)
		return
	}
	// The rows are cut into several chunks per goroutine, which the caller
	// and its helpers claim in turn: if a helper is slow to be scheduled
	// (the cores are busy), the caller does its share instead of waiting.
	// Chunks are whole tiles, so every row is computed exactly as it would
	// be on one goroutine.
	chunk := ((j.m+4*t-1)/(4*t) + tileRows - 1) / tileRows * tileRows
	chunks := (j.m + chunk - 1) / chunk
	shared := *j // on the heap for the helpers; *j stays on the caller's stack
	var next atomic.Int64
	var done sync.WaitGroup
	done.Add(chunks)
	work := func() {
		for {
			c := int(next.Add(1) - 1)
			if c >= chunks {
				return
			}
			shared.rows(kind, c*chunk, min((c+1)*chunk, shared.m))
			done.Done()
		}
	}
	for range t - 1 {
		go work()
	}
	work()
	done.Wait()
}

// rows computes rows [i0, i1) of C, a block of rows at a time; within a block
// each panel of B is applied to every tile of rows before moving on.
func (j *job) rows(kind kernelKind, i0, i1 int) {
	var tmp [tileRows * wideCols]float32 // ragged tiles of C
	mc := max(tileRows, blockBytes/(4*max(j.k, 1))/tileRows*tileRows)
	for ib := i0; ib < i1; ib += mc {
		ie := min(ib+mc, i1)
		for pi := 0; pi < len(j.panels); pi++ {
			p := &j.panels[pi]
			if kind == kernelAVX512 && p.next > 0 {
				j.pair(ib, ie, p)
				pi++ // the next panel is done too
				continue
			}
			if kind == kernelAVX2 && j.k >= 1 && j.k <= rowOfTilesK {
				if n := linkedPanels(j.panels[pi:]); n > 1 {
					j.rowOfTiles(ib, ie, p, n)
					pi += n - 1
					continue
				}
			}
			j.panel(kind, ib, ie, p, &tmp)
		}
	}
}

// rowOfTilesK is the largest k for which the AVX2 kernel computes a row of
// tiles across several panels in one call: with few steps over k a tile is
// mostly its start and its stores, and the calls from Go cost as much again
// (a subnetwork's first layer, k = 6-8, ran at 28 % of the peak). The
// panels, k×16 floats each, stay in L1 however many there are.
const rowOfTilesK = 16

// linkedPanels returns how many panels from ps[0] on the next fields link
// with one step: 1 if ps[0] is not linked to the next.
func linkedPanels(ps []panel) int {
	n := 1
	for n < len(ps) && ps[n-1].next > 0 && ps[n-1].next == ps[0].next {
		n++
	}
	return n
}

// rowOfTiles computes rows [i0, i1) of the columns of C that the np linked
// panels from p cover, a row of tiles per kernel call: each tile as panel
// computes it.
func (j *job) rowOfTiles(i0, i1 int, p *panel, np int) {
	var bias []float32
	if j.flags&flagBias != 0 {
		bias = j.bias[p.col0 : p.col0+np*wideCols]
	}
	for i, mr := i0, 0; i < i1; i += mr {
		mr = tileHeight(i1 - i)
		asmTiles(mr, j.k, j.a[i*j.lda:], j.lda, j.astep, p, np, j.c[i*j.ldc+p.col0:], j.ldc, bias, j.flags, j.alpha)
	}
}

// panel computes rows [i0, i1) of the columns of C that panel p covers.
func (j *job) panel(kind kernelKind, i0, i1 int, p *panel, tmp *[tileRows * wideCols]float32) {
	var bias []float32
	var tbias [wideCols]float32 // zero-padded tail of the bias
	if j.flags&flagBias != 0 {
		bias = j.bias[p.col0 : p.col0+p.cols]
		if p.cols < p.width {
			copy(tbias[:], bias)
			bias = tbias[:p.width]
		}
	}
	for i, mr := i0, 0; i < i1; i += mr {
		mr = tileHeight(i1 - i)
		var a []float32
		if j.k > 0 {
			a = j.a[i*j.lda:]
		}
		c := j.c[i*j.ldc+p.col0:]
		if p.cols == p.width {
			tile(kind, mr, j.k, a, j.lda, j.astep, p, c, j.ldc, bias, j.flags, j.alpha)
			continue
		}
		// A ragged tile goes through tmp, whose rows are a full panel
		// wide, so that the kernel never writes past C's row.
		if j.flags&flagAccumulate != 0 {
			for r := 0; r < mr; r++ {
				copy(tmp[r*wideCols:r*wideCols+p.cols], c[r*j.ldc:])
			}
		}
		tile(kind, mr, j.k, a, j.lda, j.astep, p, tmp[:], wideCols, bias, j.flags, j.alpha)
		for r := 0; r < mr; r++ {
			copy(c[r*j.ldc:r*j.ldc+p.cols], tmp[r*wideCols:])
		}
	}
}

// pair computes rows [i0, i1) of the 32 columns of C that panel p and the
// next cover, with the AVX-512 kernel (p.next > 0: both are full).
func (j *job) pair(i0, i1 int, p *panel) {
	var bias []float32
	if j.flags&flagBias != 0 {
		bias = j.bias[p.col0 : p.col0+2*wideCols]
	}
	for i, mr := i0, 0; i < i1; i += mr {
		mr = tileHeight(i1 - i)
		asmPair(mr, j.k, j.a[i*j.lda:], j.lda, j.astep, p, j.c[i*j.ldc+p.col0:], j.ldc, bias, j.flags, j.alpha)
	}
}

// tileHeight returns the rows of the next tile when rem rows are left: a
// full tile, except that 7 or 8 rows are split 4+3 or 4+4, since a tile of
// one or two rows has too few accumulators to keep the FMA units busy.
func tileHeight(rem int) int {
	if rem > tileRows && rem < tileRows+3 {
		return (rem + 1) / 2
	}
	return min(tileRows, rem)
}

// tile computes C[0:mr, 0:p.width] from A[0:mr, 0:k] and panel p; mr ≤ tileRows.
// A direct call (not a function value) keeps tmp above on the stack.
func tile(kind kernelKind, mr, k int, a []float32, lda, astep int, p *panel, c []float32, ldc int, bias []float32, flags int, alpha float32) {
	if kind != kernelGo {
		asmTile(kind == kernelAVX512, mr, k, a, lda, astep, p, c, ldc, bias, flags, alpha)
		return
	}
	goTile(mr, k, a, lda, p, c, ldc, bias, flags, alpha)
}
