//go:build !amd64 || purego

package fastmath

// Only the Go loop exists in this build.
func siluDerivVector(dh, sig, h []float32) int { return 0 }
