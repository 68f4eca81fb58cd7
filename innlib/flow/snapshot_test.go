package flow

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/ml/context"

	"github.com/ozarkinn/inn/innlib/backend"
	"github.com/ozarkinn/inn/innlib/dense"
	"github.com/ozarkinn/inn/innlib/internal/tensorutil"
)

// TestSnapshotMatchesGraph: the native engine's inference evaluator
// reproduces the graph's Forward, log-det and Inverse to float32 rounding,
// over more rows than one of its chunks (1024).
func TestSnapshotMatchesGraph(t *testing.T) {
	b := backend.MustNew()
	for _, c := range cases {
		t.Run(fmt.Sprintf("%+v", c), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(21, uint64(c.dim*100+c.cond)))
			ctx := context.New()
			cfg := Config{Dim: c.dim, CondDim: c.cond, Blocks: c.blocks, Subnet: dense.MLPConfig{Layers: c.layers, Width: c.width}}
			net, err := New(ctx, dtypes.Float32, cfg, rng)
			if err != nil {
				t.Fatal(err)
			}
			randomise(t, net, rng, 1, 0.3)
			rows := 1024 + 77
			u := randn(rng, rows*c.dim)
			var cond []float64
			args := []any{tensorutil.FromFloat64(dtypes.Float32, u, rows, c.dim)}
			if c.cond > 0 {
				cond = randn(rng, rows*c.cond)
				args = append(args, tensorutil.FromFloat64(dtypes.Float32, cond, rows, c.cond))
			}
			e := context.MustNewExec(b, ctx, func(ctx *context.Context, in []*graph.Node) []*graph.Node {
				var cn *graph.Node
				if len(in) > 1 {
					cn = in[1]
				}
				v, ld := net.Forward(in[0], cn)
				return []*graph.Node{v, ld, net.Inverse(in[0], cn)}
			})
			res := e.MustExec(args...)
			f, err := net.Snapshot()
			if err != nil {
				t.Fatal(err)
			}
			v, ld, err := f.Forward(tensorutil.Float32s(u), tensorutil.Float32s(cond), rows)
			if err != nil {
				t.Fatal(err)
			}
			inv, err := f.Inverse(tensorutil.Float32s(u), tensorutil.Float32s(cond), rows)
			if err != nil {
				t.Fatal(err)
			}
			compare(t, "forward", v, tensorutil.ToFloat64(res[0]))
			compare(t, "inverse", inv, tensorutil.ToFloat64(res[2]))
			wantLD := tensorutil.ToFloat64(res[1])
			for i := range ld {
				if math.Abs(ld[i]-wantLD[i]) > 1e-4*math.Max(1, math.Abs(wantLD[i])) {
					t.Fatalf("log det [%d]: fast %g, graph %g", i, ld[i], wantLD[i])
				}
			}
			back, err := f.Inverse(v, tensorutil.Float32s(cond), rows)
			if err != nil {
				t.Fatal(err)
			}
			compare(t, "inverse(forward)", back, u)
		})
	}
}

func compare(t *testing.T, what string, got []float32, want []float64) {
	t.Helper()
	for i := range want {
		if math.Abs(float64(got[i])-want[i]) > 2e-4*math.Max(1, math.Abs(want[i])) {
			t.Fatalf("%s [%d]: fast %g, want %g", what, i, got[i], want[i])
		}
	}
}
