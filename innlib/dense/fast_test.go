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

// TestApplySerialBitIdentical: ApplySerial gives Apply's outputs bit for bit,
// on a batch big enough for Apply to use several goroutines and on small ones.
func TestApplySerialBitIdentical(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, act := range []string{"leaky_relu", "silu"} {
		ctx := context.New()
		cfg := MLPConfig{In: 8, Outputs: []int{5, 2}, Layers: 3, Width: 256, Activation: act, Alpha: 0.1}
		m, err := NewMLP(ctx, dtypes.Float32, cfg, rng)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range m.Variables() { // random heads too: outputs not trivially 0
			vals := make([]float64, v.Shape().Size())
			for i := range vals {
				vals[i] = rng.NormFloat64() * 0.1
			}
			v.MustSetValue(tensorutil.FromFloat64(dtypes.Float32, vals, v.Shape().Dimensions...))
		}
		f, err := m.Snapshot()
		if err != nil {
			t.Fatal(err)
		}
		for _, rows := range []int{1, 7, 8, 3000} {
			x := make([]float32, rows*8)
			for i := range x {
				x[i] = float32(rng.NormFloat64())
			}
			scratch := make([]float32, 2*rows*f.Width())
			want := [][]float32{make([]float32, rows*5), make([]float32, rows*2)}
			got := [][]float32{make([]float32, rows*5), make([]float32, rows*2)}
			f.Apply(want, x, rows, scratch)
			f.ApplySerial(got, x, rows, scratch)
			if want[0][0] == 0 {
				t.Fatal("output 0: the test compares nothing")
			}
			for h := range want {
				for i := range want[h] {
					if math.Float32bits(got[h][i]) != math.Float32bits(want[h][i]) {
						t.Fatalf("%s, %d rows, head %d [%d]: ApplySerial %v, Apply %v", act, rows, h, i, got[h][i], want[h][i])
					}
				}
			}
		}
	}
}
