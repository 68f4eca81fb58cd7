//go:build !amd64 || purego

package fastmath

// Only the Go loop exists in this build.
func siluVector(dst, sig, x []float32) int { return 0 }
