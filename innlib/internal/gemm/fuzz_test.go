package gemm

import (
	"math/rand/v2"
	"testing"
)

// FuzzMatMul checks random shapes, strides and flags against the float64
// reference with both kernels: go test -fuzz=FuzzMatMul ./innlib/internal/gemm
func FuzzMatMul(f *testing.F) {
	f.Add(uint16(1), uint8(1), uint16(1), uint8(0), false, true, uint64(1))
	f.Add(uint16(8), uint8(128), uint16(128), uint8(3), true, false, uint64(2))
	f.Add(uint16(1000), uint8(9), uint16(17), uint8(1), false, true, uint64(3))
	f.Fuzz(func(t *testing.T, m uint16, n uint8, k uint16, pad uint8, acc, packed bool, seed uint64) {
		mm, nn, kk := int(m%2048), int(n), int(k%300)
		if mm*max(nn, 1)*max(kk, 1) > 1<<22 {
			t.Skip("too slow for the float64 reference")
		}
		rng := rand.New(rand.NewPCG(seed, 99))
		p := newProduct(rng, mm, nn, kk, int(pad%32), acc)
		for _, kind := range kinds(t) {
			p.check(t, kind.String(), p.run(kind, packed))
		}
	})
}
