package gemm

// goTile is the portable micro-kernel. Go neither vectorises nor fuses
// multiply-adds (below GOAMD64=v3), so it blocks for scalar registers
// instead: 2 rows × 4 columns of accumulators, plus 2 values of A and 4 of B,
// fit the 15 float registers amd64 Go code may use.
func goTile(mr, k int, a []float32, lda int, p *panel, c []float32, ldc int, bias []float32, flags int, alpha float32) {
	if k == 0 {
		lda = 0 // a may be empty; every row is a[0:0]
	}
	var b4 []float32
	for c0 := 0; c0 < p.width; c0 += 4 {
		if bias != nil {
			b4 = bias[c0 : c0+4]
		}
		r := 0
		for ; r+2 <= mr; r += 2 {
			s00, s01, s02, s03, s10, s11, s12, s13 := dot2x4(a[r*lda:][:k], a[(r+1)*lda:][:k], p.b, c0, p.stride)
			finish4(c[r*ldc+c0:], b4, flags, alpha, s00, s01, s02, s03)
			finish4(c[(r+1)*ldc+c0:], b4, flags, alpha, s10, s11, s12, s13)
		}
		if r < mr {
			s0, s1, s2, s3 := dot1x4(a[r*lda:][:k], p.b, c0, p.stride)
			finish4(c[r*ldc+c0:], b4, flags, alpha, s0, s1, s2, s3)
		}
	}
}

// dot2x4 returns rows a0 and a1 times columns off..off+3 of the panel b.
func dot2x4(a0, a1, b []float32, off, stride int) (s00, s01, s02, s03, s10, s11, s12, s13 float32) {
	a1 = a1[:len(a0)]
	for p, x0 := range a0 {
		x1 := a1[p]
		bp := b[off : off+4 : off+4]
		b0, b1, b2, b3 := bp[0], bp[1], bp[2], bp[3]
		s00 += x0 * b0
		s01 += x0 * b1
		s02 += x0 * b2
		s03 += x0 * b3
		s10 += x1 * b0
		s11 += x1 * b1
		s12 += x1 * b2
		s13 += x1 * b3
		off += stride
	}
	return
}

// dot1x4 returns row a0 times columns off..off+3 of the panel b.
func dot1x4(a0, b []float32, off, stride int) (s0, s1, s2, s3 float32) {
	for _, x0 := range a0 {
		bp := b[off : off+4 : off+4]
		s0 += x0 * bp[0]
		s1 += x0 * bp[1]
		s2 += x0 * bp[2]
		s3 += x0 * bp[3]
		off += stride
	}
	return
}

// finish4 applies the epilogue to four sums and stores them in c[0:4].
func finish4(c, bias []float32, flags int, alpha float32, s0, s1, s2, s3 float32) {
	c = c[:4]
	if flags&flagBias != 0 {
		b := bias[:4]
		s0, s1, s2, s3 = b[0]+s0, b[1]+s1, b[2]+s2, b[3]+s3
	}
	if flags&flagAccumulate != 0 {
		s0, s1, s2, s3 = s0+c[0], s1+c[1], s2+c[2], s3+c[3]
	}
	if flags&flagLeaky != 0 {
		s0, s1, s2, s3 = leaky(s0, alpha), leaky(s1, alpha), leaky(s2, alpha), leaky(s3, alpha)
	}
	c[0], c[1], c[2], c[3] = s0, s1, s2, s3
}

// leaky is the leaky ReLU; for x ≥ 0 and NaN it returns x.
func leaky(x, alpha float32) float32 {
	if x < 0 {
		return alpha * x
	}
	return x
}
