package gemm

import (
	"fmt"
	"sync"
)

// Tile geometry shared by both micro-kernels.
const (
	tileRows   = 6  // rows of C per micro-kernel call
	wideCols   = 16 // columns of a full panel: two AVX2 registers
	narrowCols = 8  // columns of a narrow tail panel: one AVX2 register
)

// panel is a k-row slab of B that one micro-kernel call consumes: row p of the
// slab is b[p*stride : p*stride+width].
type panel struct {
	b      []float32
	stride int // floats between consecutive rows
	width  int // wideCols or narrowCols
	cols   int // columns of C covered, ≤ width; fewer means zero padding
	col0   int // first column of C covered
	// next, when positive, says that the next panel is also full and 16
	// wide, with the same stride, and starts at b[next]: the AVX-512
	// kernel then computes both at once, and the AVX2 kernel a whole run
	// of linked panels (driver.go, rowOfTiles).
	next int
}

// PackedB is a k×n matrix rearranged into contiguous column panels, for
// multiplying many times. It is immutable and safe for concurrent use.
type PackedB struct {
	k, n   int
	panels []panel
}

// Pack copies the k×n row-major matrix b (row stride ldb ≥ n) into panels.
// The result does not refer to b.
func Pack(b []float32, k, n, ldb int) *PackedB {
	checkMatrix("Pack", "b", b, k, n, ldb)
	full, tail := n/wideCols, tailWidth(n)
	data := make([]float32, k*(full*wideCols+tail))
	p := &PackedB{k: k, n: n}
	off := 0
	for j := 0; j*wideCols < n; j++ {
		w := wideCols
		if j == full {
			w = tail
		}
		cols := min(wideCols, n-j*wideCols)
		pb := data[off:] // to the end, so that a pair can be read through it
		for r := 0; r < k; r++ {
			copy(pb[r*w:r*w+cols], b[r*ldb+j*wideCols:])
		}
		next := 0
		if j+1 < full && k > 0 {
			next = k * wideCols
		}
		p.panels = append(p.panels, panel{b: pb, stride: w, width: w, cols: cols, col0: j * wideCols, next: next})
		off += k * w
	}
	return p
}

// Rows returns k, the number of rows of the packed matrix.
func (p *PackedB) Rows() int { return p.k }

// Cols returns n, the number of columns of the packed matrix.
func (p *PackedB) Cols() int { return p.n }

// bView holds the panel list of an unpacked B and its ragged tail's copy,
// so that products on weights that change every step (training) can reuse
// them from call to call (getView) instead of allocating.
type bView struct {
	panels []panel
	tail   []float32
}

var bViews = sync.Pool{New: func() any { return new(bView) }}

// getView returns the panels of b (see bView.of) in a pooled bView; put it
// back with release once the product is done.
func getView(b []float32, k, n, ldb int) (*bView, []panel) {
	v := bViews.Get().(*bView)
	return v, v.of(b, k, n, ldb)
}

// release clears v's references to the caller's matrix and pools it.
func (v *bView) release() {
	clear(v.panels)
	v.panels = v.panels[:0]
	bViews.Put(v)
}

// of fills v with the panels of an unpacked b and returns them: full panels
// are read in place with stride ldb (their rows of 16 are already
// contiguous); only a ragged tail panel is copied, zero-padded, so the
// kernel never reads past b.
func (v *bView) of(b []float32, k, n, ldb int) []panel {
	inPlace := func(col0 int) []float32 {
		if k == 0 {
			return nil // nothing is read; b may be empty
		}
		return b[col0:]
	}
	full := n / wideCols
	panels := v.panels[:0]
	for j := 0; j < full; j++ {
		next := 0
		if j+1 < full && k > 0 {
			next = wideCols
		}
		panels = append(panels, panel{b: inPlace(j * wideCols), stride: ldb, width: wideCols, cols: wideCols, col0: j * wideCols, next: next})
	}
	v.panels = panels
	w := tailWidth(n)
	if w == 0 {
		return panels
	}
	cols, col0 := n-full*wideCols, full*wideCols
	if cols == w {
		// An exact narrow panel can be read in place too.
		v.panels = append(panels, panel{b: inPlace(col0), stride: ldb, width: w, cols: w, col0: col0})
		return v.panels
	}
	if cap(v.tail) < k*w {
		v.tail = make([]float32, k*w)
	}
	pb := v.tail[:k*w]
	if k > 0 { // else nothing is read; b may be empty
		packTail(pb, b[col0:], k, ldb, cols, w)
	}
	v.panels = append(panels, panel{b: pb, stride: w, width: w, cols: cols, col0: col0})
	return v.panels
}

// tailWidth is the kernel width of the last, partial panel of an n-column
// matrix: 0 when there is none, narrowCols when it fits one register.
func tailWidth(n int) int {
	switch t := n % wideCols; {
	case t == 0:
		return 0
	case t <= narrowCols:
		return narrowCols
	default:
		return wideCols
	}
}

// checkMatrix panics unless x can hold a rows×cols matrix with row stride ld.
func checkMatrix(fn, name string, x []float32, rows, cols, ld int) {
	if rows < 0 || cols < 0 {
		panic(fmt.Sprintf("gemm.%s: negative size %d×%d of %s", fn, rows, cols, name))
	}
	if ld < max(cols, 1) {
		panic(fmt.Sprintf("gemm.%s: leading dimension %d of %s is less than its %d columns", fn, ld, name, cols))
	}
	if rows > 0 && cols > 0 && len(x) < (rows-1)*ld+cols {
		panic(fmt.Sprintf("gemm.%s: %s has %d elements, a %d×%d matrix with stride %d needs %d", fn, name, len(x), rows, cols, ld, (rows-1)*ld+cols))
	}
}

// packTail copies the first cols of k rows of b (row stride ldb) into the
// k×w panel pb, zero-filling columns cols..w−1; AVX2 masked loads where the
// CPU has them.
func packTail(pb, b []float32, k, ldb, cols, w int) {
	if packTailVector(pb, b, k, ldb, cols, w) {
		return
	}
	packTailGo(pb, b, k, ldb, cols, w)
}

func packTailGo(pb, b []float32, k, ldb, cols, w int) {
	for r := 0; r < k; r++ {
		// Loops, not copy and clear: rows of at most 16 floats, where the
		// calls cost more than the copying.
		dst, src := pb[r*w:(r+1)*w], b[r*ldb:r*ldb+cols]
		for c, x := range src {
			dst[c] = x
		}
		for c := cols; c < w; c++ {
			dst[c] = 0
		}
	}
}
