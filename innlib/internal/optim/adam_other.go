//go:build !amd64 || purego

package optim

// Only the Go loop exists in this build.
func adamVector(p, g, m1, m2 []float32, k *adamConsts, zero bool) int { return 0 }

const hasVector = false

func dotSqVector(x, y []float32) (xy, yy float64) { panic("optim: no vector loop in this build") }
func addSqVector(dst, x []float32, zero bool) float64 {
	panic("optim: no vector loop in this build")
}
func projectSqVector(dst, x []float32, c float32, zero bool) float64 {
	panic("optim: no vector loop in this build")
}
