package gemm

// DenseSerial is Dense on the calling goroutine only, whatever the size of
// the product: for callers that already split their rows over goroutines
// (flowgrad.Frozen evaluates chunks of rows on GOMAXPROCS goroutines, and a
// second level of goroutines inside each product only adds scheduling).
// Results are bit-identical to Dense's: each row is computed the same way on
// any number of goroutines.
func DenseSerial(out, in []float32, rows int, w *PackedB, bias []float32, leakyAlpha float32, act bool) {
	denseSerial(defaultKernel, out, in, rows, w, bias, leakyAlpha, act)
}

func denseSerial(kind kernelKind, out, in []float32, rows int, w *PackedB, bias []float32, leakyAlpha float32, act bool) {
	checkMatrix("DenseSerial", "in", in, rows, w.k, max(w.k, 1))
	checkMatrix("DenseSerial", "out", out, rows, w.n, max(w.n, 1))
	j := denseJob("DenseSerial", out, in, rows, w.k, w.n, w.panels, bias, leakyAlpha, act)
	if j.m == 0 || len(j.panels) == 0 {
		return
	}
	j.rows(kind, 0, j.m)
}
