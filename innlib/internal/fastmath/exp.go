package fastmath

import "math"

// Exp writes dst[i] = e^x[i], for the affine coupling's scales. dst may
// alias x. It is Cephes' expf (see doc.go) with its argument clamped to
// ±87, so results lie in [e^−87, e^87] (1.6e-38 to 6.1e37) instead of
// reaching 0 or +Inf; NaN gives NaN. The relative error is below 1.5 float32
// ulps (exp_test.go). Where the CPU has AVX2 and FMA, an assembly loop does 8
// values at a time, without fused multiply-adds; elsewhere, on the tail, and
// with -tags purego, a Go loop does the same float32 operations, each
// rounded as the assembly rounds it, so both give the same bits.
func Exp(dst, x []float32) {
	dst = dst[:len(x)]
	n := expVector(dst, x)
	for i := n; i < len(x); i++ {
		dst[i] = exp32(x[i])
	}
}

// SoftClamp writes dst[i] = c·tanh(x[i]/c), the affine coupling's soft clamp
// of its log-scales, for c > 0. dst may alias x. tanh is Cephes' tanhf: an
// odd polynomial below 0.625, where it keeps its relative accuracy, and
// 1 − 2/(e^{2u} + 1) with Exp above (±1 from |u| ≈ 9 on); NaN gives NaN.
// The relative error is below 2 float32 ulps (exp_test.go). Assembly and Go
// give the same bits, as for Exp.
func SoftClamp(dst, x []float32, c float32) {
	dst = dst[:len(x)]
	n := softClampVector(dst, x, c)
	for i := n; i < len(x); i++ {
		dst[i] = c * tanh32(x[i]/c)
	}
}

// exp32 is e^u in the steps of the assembly loop (exp_amd64.s). The explicit
// conversions keep the compiler from fusing a multiply and an add, which
// would round differently from the assembly's separate instructions.
func exp32(u float32) float32 {
	const shifter = 0x1.8p23 // adding it rounds to an integer in the low bits
	if u > 87 {
		u = 87
	} else if u < -87 { // NaN passes both tests
		u = -87
	}
	t := float32(u*log2e) + shifter
	n := t - shifter // round(u·log2e)
	r := u - float32(n*ln2Hi)
	r -= float32(n * ln2Lo)
	p := float32(p0*r) + p1
	p = float32(p*r) + p2
	p = float32(p*r) + p3
	p = float32(p*r) + p4
	p = float32(p*r) + p5
	e := float32(p*float32(r*r)) + r + 1 // e^r
	return e * math.Float32frombits((math.Float32bits(t)-(math.Float32bits(shifter)-127))<<23)
}

// Cephes' tanhf polynomial for |u| < 0.625: tanh u = u + u·z·P(z), z = u².
const (
	tanhSmall = 0.625
	t0        = -5.70498872745e-3
	t1        = 2.06390887954e-2
	t2        = -5.37397155531e-2
	t3        = 1.33314422036e-1
	t4        = -3.33332819422e-1
)

// tanh32 is tanh u in the steps of the assembly loop.
func tanh32(u float32) float32 {
	a := float32(math.Abs(float64(u)))
	var m float32
	if a < tanhSmall {
		z := a * a
		p := float32(t0*z) + t1
		p = float32(p*z) + t2
		p = float32(p*z) + t3
		p = float32(p*z) + t4
		m = float32(float32(p*z)*a) + a
	} else { // and NaN
		m = 1 - 2/(exp32(a+a)+1)
	}
	return math.Float32frombits(math.Float32bits(m) | math.Float32bits(u)&(1<<31))
}
