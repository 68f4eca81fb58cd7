//go:build !amd64 || purego

package gemm

// Only the Go loop exists in this build.
func packTailVector(pb, b []float32, k, ldb, cols, w int) bool { return false }
