//go:build !amd64 || purego

package mmd

// Only the Go loop exists in this build.
func imqVector(a, bT []float32, stride, j0, blocks int, cs []float32, sum *lanes, acc []lanes) int {
	return 0
}
