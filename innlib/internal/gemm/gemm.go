package gemm

import "fmt"

// Kernel names the micro-kernel in use on this CPU: "avx512", "avx2" or "go".
func Kernel() string { return defaultKernel.String() }

// MatMul computes C = A·B, or C += A·B when accumulate is set, for row-major
// A (m×k, row stride lda ≥ k), B (k×n, ldb ≥ n) and C (m×n, ldc ≥ n).
// Elements of C outside its m×n window are not touched. C must not overlap A
// or B. For a B used more than once, Pack it and call MulTo.
func MatMul(m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, accumulate bool) {
	matMul(defaultKernel, m, n, k, a, lda, b, ldb, c, ldc, accumulate)
}

func matMul(kind kernelKind, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, accumulate bool) {
	checkMatrix("MatMul", "a", a, m, k, lda)
	checkMatrix("MatMul", "b", b, k, n, ldb)
	checkMatrix("MatMul", "c", c, m, n, ldc)
	if m == 0 || n == 0 {
		return
	}
	v, panels := getView(b, k, n, ldb)
	defer v.release()
	j := job{m: m, k: k, a: a, lda: lda, panels: panels, c: c, ldc: ldc}
	if accumulate {
		j.flags = flagAccumulate
	}
	j.run(kind)
}

// MatMulTA computes C = Aᵀ·B, or C += Aᵀ·B when accumulate is set, for
// row-major A (k×m, row stride lda ≥ m), B (k×n, ldb ≥ n) and C (m×n,
// ldc ≥ n), without transposing A: the kernels read its columns in place.
// This is the weight gradient of a dense layer, inᵀ·dz. C must not overlap
// A or B.
func MatMulTA(m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, accumulate bool) {
	matMulTA(defaultKernel, m, n, k, a, lda, b, ldb, c, ldc, accumulate)
}

func matMulTA(kind kernelKind, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, accumulate bool) {
	checkMatrix("MatMulTA", "a", a, k, m, lda)
	checkMatrix("MatMulTA", "b", b, k, n, ldb)
	checkMatrix("MatMulTA", "c", c, m, n, ldc)
	if m == 0 || n == 0 {
		return
	}
	// Row i of Aᵀ starts at a[i], its columns lda apart.
	v, panels := getView(b, k, n, ldb)
	defer v.release()
	j := job{m: m, k: k, a: a, lda: 1, astep: lda, panels: panels, c: c, ldc: ldc}
	if accumulate {
		j.flags = flagAccumulate
	}
	j.run(kind)
}

// MulTo computes C = A·P, or C += A·P when accumulate is set, for row-major
// A (m×Rows(), row stride lda) and C (m×Cols(), row stride ldc).
func (p *PackedB) MulTo(c []float32, ldc int, a []float32, lda, m int, accumulate bool) {
	p.mulTo(defaultKernel, c, ldc, a, lda, m, accumulate)
}

func (p *PackedB) mulTo(kind kernelKind, c []float32, ldc int, a []float32, lda, m int, accumulate bool) {
	checkMatrix("MulTo", "a", a, m, p.k, lda)
	checkMatrix("MulTo", "c", c, m, p.n, ldc)
	j := job{m: m, k: p.k, a: a, lda: lda, panels: p.panels, c: c, ldc: ldc}
	if accumulate {
		j.flags = flagAccumulate
	}
	j.run(kind)
}

// Dense computes one fully connected layer, out = act(in·w + bias), for
// contiguous in (rows×w.Rows()) and out (rows×w.Cols()). bias is nil or has
// w.Cols() elements. With act set, act is the leaky ReLU, x < 0 ↦ leakyAlpha·x
// (leakyAlpha = 0 gives the ReLU); without it, the identity. The bias and the
// activation are applied while the output tile is still in registers.
func Dense(out, in []float32, rows int, w *PackedB, bias []float32, leakyAlpha float32, act bool) {
	dense(defaultKernel, out, in, rows, w, bias, leakyAlpha, act)
}

func dense(kind kernelKind, out, in []float32, rows int, w *PackedB, bias []float32, leakyAlpha float32, act bool) {
	checkMatrix("Dense", "in", in, rows, w.k, max(w.k, 1))
	checkMatrix("Dense", "out", out, rows, w.n, max(w.n, 1))
	j := denseJob("Dense", out, in, rows, w.k, w.n, w.panels, bias, leakyAlpha, act)
	j.run(kind)
}

// DenseUnpacked is Dense with the weights w (k×n, row-major, row stride n)
// read in place instead of packed: for weights that change between calls
// (training). Full 16-column panels are read where they are; a ragged last
// panel is copied.
func DenseUnpacked(out, in []float32, rows, k, n int, w, bias []float32, leakyAlpha float32, act bool) {
	denseUnpacked(defaultKernel, out, in, rows, k, n, w, bias, leakyAlpha, act)
}

func denseUnpacked(kind kernelKind, out, in []float32, rows, k, n int, w, bias []float32, leakyAlpha float32, act bool) {
	checkMatrix("DenseUnpacked", "in", in, rows, k, max(k, 1))
	checkMatrix("DenseUnpacked", "out", out, rows, n, max(n, 1))
	checkMatrix("DenseUnpacked", "w", w, k, n, max(n, 1))
	if rows == 0 || n == 0 {
		return
	}
	v, panels := getView(w, k, n, n)
	defer v.release()
	j := denseJob("DenseUnpacked", out, in, rows, k, n, panels, bias, leakyAlpha, act)
	j.run(kind)
}

// denseJob sets up the product of a dense layer (Dense, DenseUnpacked,
// DenseSerial), checking the bias against the output width.
func denseJob(fn string, out, in []float32, rows, k, n int, panels []panel, bias []float32, leakyAlpha float32, act bool) job {
	j := job{m: rows, k: k, a: in, lda: k, astep: 1, panels: panels, c: out, ldc: n}
	if bias != nil {
		if len(bias) != n {
			panic(fmt.Sprintf("gemm.%s: bias has %d elements, want %d", fn, len(bias), n))
		}
		j.flags |= flagBias
		j.bias = bias
	}
	if act {
		j.flags |= flagLeaky
		if leakyAlpha > 1 {
			j.flags |= flagLeakyMin // for alpha > 1, leaky(x) = min(x, alpha·x)
		}
		j.alpha = leakyAlpha
	}
	return j
}
