package dense

import (
	"math/rand/v2"
	"testing"

	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/graph"

	"github.com/ozarkinn/inn/innlib/backend"
)

// benchmarkGradient times value + gradient of a 2-layer MLP loss (in 8,
// hidden 128, out 5, batch 256: the shape of toolchain.md's measurement)
// with a given matrix product.
func benchmarkGradient(b *testing.B, mul func(x, w *graph.Node) *graph.Node) {
	rng := rand.New(rand.NewPCG(1, 1))
	x := randomTensor(rng, dtypes.Float32, 256, 8)
	w1 := randomTensor(rng, dtypes.Float32, 8, 128)
	w2 := randomTensor(rng, dtypes.Float32, 128, 128)
	w3 := randomTensor(rng, dtypes.Float32, 128, 5)
	e := graph.MustNewExec(backend.MustNew(), func(x, w1, w2, w3 *graph.Node) []*graph.Node {
		h := graph.Tanh(mul(x, w1))
		h = graph.Tanh(mul(h, w2))
		loss := graph.ReduceAllMean(graph.Square(mul(h, w3)))
		return graph.Gradient(loss, w1, w2, w3)
	})
	e.MustExec(x, w1, w2, w3)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, t := range e.MustExec(x, w1, w2, w3) {
			t.FinalizeAll()
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "steps/s")
}

// BenchmarkGradientDefault uses GoMLX's own gradient of Dot.
func BenchmarkGradientDefault(b *testing.B) { benchmarkGradient(b, graph.Dot) }

// BenchmarkGradientMatMul uses MatMul's two-product gradient.
func BenchmarkGradientMatMul(b *testing.B) { benchmarkGradient(b, MatMul) }
