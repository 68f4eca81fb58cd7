package gemm

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
)

// TestDenseSerial: DenseSerial gives Dense's bits, on products large enough
// for Dense to split them over goroutines, and on small ones.
func TestDenseSerial(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	rng := rand.New(rand.NewPCG(21, 22))
	for _, kind := range kinds(t) {
		for _, s := range [][3]int{{2000, 128, 128}, {1031, 8, 128}, {600, 128, 9}, {7, 12, 5}, {0, 16, 4}} {
			for _, act := range []bool{false, true} {
				p := newProduct(rng, s[0], s[1], s[2], 0, false)
				p.act, p.alpha = act, 0.01
				p.bias = randMatrix(rng, 1, p.n, p.n)
				w := Pack(p.b, p.k, p.n, p.n)
				got := append([]float32(nil), p.c0...)
				denseSerial(kind, got, p.a, p.m, w, p.bias, p.alpha, act)
				p.check(t, kind.String()+" DenseSerial", got)
				want := append([]float32(nil), p.c0...)
				dense(kind, want, p.a, p.m, w, p.bias, p.alpha, act)
				for i := range got {
					if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
						t.Fatalf("%s %v: DenseSerial[%d] = %g, Dense %g", kind, p, i, got[i], want[i])
					}
				}
			}
		}
	}
}
