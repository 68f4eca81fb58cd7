//go:build !amd64 || purego

package gemm

// Only the Go loop exists in this build.
func addColSumsVector(dst, src []float32, rows, cols int) int { return 0 }
