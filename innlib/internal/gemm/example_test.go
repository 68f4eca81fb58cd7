package gemm_test

import (
	"fmt"

	"github.com/ozarkinn/inn/innlib/internal/gemm"
)

func Example() {
	a := []float32{ // 2×3
		1, 2, 3,
		4, 5, 6,
	}
	b := []float32{ // 3×2
		1, 0,
		0, 1,
		1, 1,
	}
	c := make([]float32, 2*2)
	gemm.MatMul(2, 2, 3, a, 3, b, 2, c, 2, false)
	fmt.Println(c)

	// A layer: pack the weights once, then out = leakyReLU(a·b + bias).
	w := gemm.Pack(b, 3, 2, 2)
	out := make([]float32, 2*2)
	gemm.Dense(out, a, 2, w, []float32{-5, 0}, 0.5, true)
	fmt.Println(out)
	// Output:
	// [4 5 10 11]
	// [-0.5 5 5 11]
}
