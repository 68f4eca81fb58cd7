//go:build !amd64 || purego

package optim

// Only the Go loop exists in this build.
func adamVector(p, g, m1, m2 []float32, k *adamConsts) int { return 0 }
