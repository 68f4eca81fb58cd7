package dense

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/tensors"

	"github.com/ozarkinn/inn/innlib/backend"
	"github.com/ozarkinn/inn/innlib/internal/tensorutil"
)

func randomTensor(rng *rand.Rand, dtype dtypes.DType, dims ...int) *tensors.Tensor {
	n := 1
	for _, d := range dims {
		n *= d
	}
	v := make([]float64, n)
	for i := range v {
		v[i] = rng.NormFloat64()
	}
	return tensorutil.FromFloat64(dtype, v, dims...)
}

// TestMatMulGradientEqualsDefault compares MatMul's gradient with GoMLX's own
// gradient of Dot, for a loss that uses the product non-linearly and more than once.
func TestMatMulGradientEqualsDefault(t *testing.T) {
	b := backend.MustNew()
	rng := rand.New(rand.NewPCG(1, 2))
	for _, dtype := range []dtypes.DType{dtypes.Float64, dtypes.Float32} {
		for _, dims := range [][3]int{{1, 1, 1}, {7, 3, 5}, {10, 8, 128}, {64, 128, 128}} {
			bsz, in, out := dims[0], dims[1], dims[2]
			x := randomTensor(rng, dtype, bsz, in)
			w := randomTensor(rng, dtype, in, out)
			c := randomTensor(rng, dtype, bsz, out)
			grads := func(mul func(x, w *graph.Node) *graph.Node) [][]float64 {
				e := graph.MustNewExec(b, func(x, w, c *graph.Node) []*graph.Node {
					y := mul(x, w)
					// Use y twice and x again so the gradient accumulates from several paths.
					loss := graph.Add(graph.ReduceAllSum(graph.Mul(graph.Tanh(y), c)),
						graph.ReduceAllSum(graph.Mul(graph.Mul(y, y), graph.ScalarOne(x.Graph(), x.DType()))))
					loss = graph.Add(loss, graph.ReduceAllSum(graph.Square(x)))
					gs := graph.Gradient(loss, x, w)
					return []*graph.Node{loss, gs[0], gs[1]}
				})
				res := e.MustExec(x, w, c)
				return [][]float64{tensorutil.ToFloat64(res[0]), tensorutil.ToFloat64(res[1]), tensorutil.ToFloat64(res[2])}
			}
			want := grads(graph.Dot)
			got := grads(MatMul)
			tol := 1e-10
			if dtype == dtypes.Float32 {
				tol = 2e-4
			}
			for k, name := range []string{"loss", "d/dx", "d/dw"} {
				for i := range want[k] {
					scale := math.Max(1, math.Abs(want[k][i]))
					if d := math.Abs(got[k][i] - want[k][i]); d > tol*scale {
						t.Fatalf("%s %v %s[%d]: MatMul %g, default %g (diff %g)", dtype, dims, name, i, got[k][i], want[k][i], d)
					}
				}
			}
		}
	}
}

// TestMatMulOnlyWeightGradient checks the case where x is a constant (no gradient wanted for it).
func TestMatMulOnlyWeightGradient(t *testing.T) {
	b := backend.MustNew()
	rng := rand.New(rand.NewPCG(3, 4))
	x := randomTensor(rng, dtypes.Float64, 4, 3)
	w := randomTensor(rng, dtypes.Float64, 3, 2)
	run := func(mul func(x, w *graph.Node) *graph.Node) []float64 {
		e := graph.MustNewExec(b, func(w *graph.Node) *graph.Node {
			xc := graph.Const(w.Graph(), x)
			return graph.Gradient(graph.ReduceAllSum(graph.Square(mul(xc, w))), w)[0]
		})
		return tensorutil.ToFloat64(e.MustExec(w)[0])
	}
	want, got := run(graph.Dot), run(MatMul)
	for i := range want {
		if math.Abs(want[i]-got[i]) > 1e-10 {
			t.Fatalf("d/dw[%d]: MatMul %g, default %g", i, got[i], want[i])
		}
	}
}
