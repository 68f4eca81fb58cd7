package optim

// The passes over a whole gradient that come before an Adam step: the dot
// products of gradient surgery and the squared norm of gradient clipping.
// They take float32 vectors and sum in float64, in several partial sums
// (vector lanes) added at the end; the float32 results are the Go loops'
// bits (where Go does not fuse multiply-adds: amd64 below GOAMD64=v3), the
// float64 sums differ from a sequential sum by float64 rounding.

// DotSq returns Σ x·y and Σ y·y, summed in float64 (exact products).
func DotSq(x, y []float32) (xy, yy float64) {
	y = y[:len(x)]
	done := 0
	if n := len(x) &^ 15; hasVector && n > 0 {
		xy, yy = dotSqVector(x[:n], y[:n])
		done = n
	}
	for i := done; i < len(x); i++ {
		xy += float64(x[i]) * float64(y[i])
		yy += float64(y[i]) * float64(y[i])
	}
	return xy, yy
}

// AddSq sets dst += x (in float32) and returns the new Σ dst², summed in
// float64. With zeroX it also sets x to zero in the same pass (for a
// gradient that the next step accumulates into).
func AddSq(dst, x []float32, zeroX bool) (sq float64) {
	x = x[:len(dst)]
	done := 0
	if n := len(dst) &^ 15; hasVector && n > 0 {
		sq = addSqVector(dst[:n], x[:n], zeroX)
		done = n
	}
	for i := done; i < len(dst); i++ {
		v := dst[i] + x[i]
		dst[i] = v
		sq += float64(v) * float64(v)
	}
	if zeroX {
		clear(x[done:])
	}
	return sq
}

// ProjectSq sets dst[i] = dst[i] + (x[i] − c·dst[i]) (in float32, rounded in
// that order) and returns the new Σ dst², summed in float64: adding x less
// its component c·dst along dst. zeroX is as for AddSq.
func ProjectSq(dst, x []float32, c float32, zeroX bool) (sq float64) {
	x = x[:len(dst)]
	done := 0
	if n := len(dst) &^ 15; hasVector && n > 0 {
		sq = projectSqVector(dst[:n], x[:n], c, zeroX)
		done = n
	}
	for i := done; i < len(dst); i++ {
		v := dst[i] + (x[i] - c*dst[i])
		dst[i] = v
		sq += float64(v) * float64(v)
	}
	if zeroX {
		clear(x[done:])
	}
	return sq
}
