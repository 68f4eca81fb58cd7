//go:build !amd64 || purego

package gemm

// Only the Go loop exists in this build.
func transposeBlocks(dst, src []float32, rows, cols int) (r8, c8 int) { return 0, 0 }
