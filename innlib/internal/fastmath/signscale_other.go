//go:build !amd64 || purego

package fastmath

// Only the Go loop exists in this build.
func scaleBySignVector(dh, z []float32, pos, neg float32) int { return 0 }
