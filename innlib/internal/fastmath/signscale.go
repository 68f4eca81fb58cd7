package fastmath

import "math"

// ScaleBySign multiplies dh[i] by neg where z[i] has its sign bit set
// (negative values, −0 and negative NaNs) and by pos elsewhere: the
// backward pass of a piecewise-linear activation such as leaky ReLU, whose
// derivative is read off the sign. Where the CPU has AVX2, an assembly loop
// does 8 values at a time with a blend on the sign bit (the same products,
// so the same bits); elsewhere, and with -tags purego, a Go loop indexes the
// two factors by the sign bit, which beats a branch on random signs.
func ScaleBySign(dh, z []float32, pos, neg float32) {
	dh = dh[:len(z)]
	n := scaleBySignVector(dh, z, pos, neg)
	scaleBySignGo(dh[n:], z[n:], pos, neg)
}

func scaleBySignGo(dh, z []float32, pos, neg float32) {
	f := [2]float32{pos, neg}
	for i, v := range z {
		dh[i] *= f[math.Float32bits(v)>>31]
	}
}
