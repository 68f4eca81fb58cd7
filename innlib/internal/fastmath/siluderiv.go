package fastmath

// SiLUDeriv multiplies dh[i] by SiLU's derivative σ + h·(1 − σ), given
// sig[i] = σ(x[i]) and h[i] = x[i]·σ(x[i]) as SiLU leaves them: the backward
// pass of a SiLU layer. The AVX2 loop (where the CPU has it) rounds each
// float32 operation as this Go loop does, so both give the same bits where
// Go does not fuse multiply-adds (amd64 below GOAMD64=v3).
func SiLUDeriv(dh, sig, h []float32) {
	sig, h = sig[:len(dh)], h[:len(dh)]
	n := siluDerivVector(dh, sig, h)
	for i := n; i < len(dh); i++ {
		s := sig[i]
		dh[i] *= s + h[i]*(1-s)
	}
}
