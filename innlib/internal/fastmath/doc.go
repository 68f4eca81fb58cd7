// Package fastmath has float32 elementary functions for the training and
// inference loops of the networks, where math.Exp and math.Tanh (float64,
// with full special-case handling) took most of the time of a SiLU network
// and of the affine coupling: SiLU and its derivative, Exp, and SoftClamp
// (c·tanh(x/c)); and ScaleBySign, the derivative of a piecewise-linear
// activation. Each has an AVX2 loop of 8 lanes where the CPU has AVX2 and
// FMA, and a Go loop elsewhere, on the tails and with -tags purego:
//
//	fastmath.SoftClamp(s, raw, 2) // s = 2·tanh(raw/2)
//	fastmath.Exp(scale, s)        // scale = e^s
package fastmath

// Cephes' expf: Cody-Waite range reduction x = n·ln2 + r, |r| ≤ ln2/2, and a
// degree-6 polynomial for e^r; relative error about 1e-7 (a few float32 ulps).
const (
	log2e = 1.44269504088896341
	ln2Hi = 0.693359375
	ln2Lo = -2.12194440e-4
	p0    = 1.9875691500e-4
	p1    = 1.3981999507e-3
	p2    = 8.3334519073e-3
	p3    = 4.1665795894e-2
	p4    = 1.6666665459e-1
	p5    = 5.0000001201e-1
)
