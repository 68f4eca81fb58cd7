package dense

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/ml/context"

	"github.com/ozarkinn/inn/innlib/backend"
	"github.com/ozarkinn/inn/innlib/internal/tensorutil"
)

// TestFastMatchesGraph: the gemm evaluator agrees with the GoMLX graph to
// float32 rounding, for every activation and for several heads.
func TestFastMatchesGraph(t *testing.T) {
	b := backend.MustNew()
	for _, act := range []string{"leaky_relu", "relu", "tanh", "silu"} {
		rng := rand.New(rand.NewPCG(1, 2))
		ctx := context.New()
		cfg := MLPConfig{In: 9, Outputs: []int{4, 3}, Layers: 3, Width: 40, Activation: act, Alpha: 0.1}
		m, err := NewMLP(ctx, dtypes.Float32, cfg, rng)
		if err != nil {
			t.Fatal(err)
		}
		// Random (not zero) heads so the outputs are not trivially 0.
		for _, v := range m.Variables() {
			vals := make([]float64, v.Shape().Size())
			for i := range vals {
				vals[i] = rng.NormFloat64() * 0.3
			}
			v.MustSetValue(tensorutil.FromFloat64(dtypes.Float32, vals, v.Shape().Dimensions...))
		}
		const rows = 37
		x := make([]float64, rows*9)
		for i := range x {
			x[i] = rng.NormFloat64()
		}
		e := context.MustNewExec(b, ctx, func(ctx *context.Context, x *graph.Node) []*graph.Node { return m.Apply(x) })
		res := e.MustExec(tensorutil.FromFloat64(dtypes.Float32, x, rows, 9))
		f, err := m.Snapshot()
		if err != nil {
			t.Fatal(err)
		}
		outs := [][]float32{make([]float32, rows*4), make([]float32, rows*3)}
		f.Apply(outs, tensorutil.Float32s(x), rows, make([]float32, 2*rows*f.Width()))
		for h := range outs {
			want := tensorutil.ToFloat64(res[h])
			for i, v := range outs[h] {
				if math.Abs(float64(v)-want[i]) > 1e-4*math.Max(1, math.Abs(want[i])) {
					t.Fatalf("%s head %d [%d]: fast %g, graph %g", act, h, i, v, want[i])
				}
			}
		}
	}
}
