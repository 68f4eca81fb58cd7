package customgrad

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/graph"

	"github.com/ozarkinn/inn/innlib/backend"
	"github.com/ozarkinn/inn/innlib/internal/tensorutil"
)

// selectCols is the reference: x·S with a 0/1 matrix S, differentiated by GoMLX itself.
func selectCols(x *graph.Node, cols []int) *graph.Node {
	d := x.Shape().Dimensions[1]
	m := make([]float64, d*len(cols))
	for j, c := range cols {
		m[c*len(cols)+j] = 1
	}
	return graph.Dot(x, graph.Const(x.Graph(), tensorutil.FromFloat64(x.DType(), m, d, len(cols))))
}

// TestGradientsMatchReference compares Columns and Permute (values and
// gradients, through a non-linear loss) with the product by a selection matrix.
func TestGradientsMatchReference(t *testing.T) {
	b := backend.MustNew()
	rng := rand.New(rand.NewPCG(1, 1))
	const rows, d = 5, 7
	vals := make([]float64, rows*d)
	for i := range vals {
		vals[i] = rng.NormFloat64()
	}
	x := tensorutil.FromFloat64(dtypes.Float64, vals, rows, d)
	perm := rng.Perm(d)
	cases := []struct {
		name string
		op   func(x *graph.Node) *graph.Node
		cols []int
	}{
		{"columns 0..3", func(x *graph.Node) *graph.Node { return Columns(x, 0, 3) }, []int{0, 1, 2}},
		{"columns 2..6", func(x *graph.Node) *graph.Node { return Columns(x, 2, 4) }, []int{2, 3, 4, 5}},
		{"columns 4..7", func(x *graph.Node) *graph.Node { return Columns(x, 4, 3) }, []int{4, 5, 6}},
		{"permute", func(x *graph.Node) *graph.Node { return Permute(x, perm) }, perm},
	}
	for _, c := range cases {
		run := func(f func(x *graph.Node) *graph.Node) ([]float64, []float64) {
			e := graph.MustNewExec(b, func(x *graph.Node) []*graph.Node {
				y := f(graph.Tanh(x))
				w := graph.IotaFull(x.Graph(), y.Shape())
				loss := graph.ReduceAllSum(graph.Mul(graph.Square(y), graph.AddScalar(w, 1)))
				return []*graph.Node{y, graph.Gradient(loss, x)[0]}
			})
			res := e.MustExec(x)
			return tensorutil.ToFloat64(res[0]), tensorutil.ToFloat64(res[1])
		}
		gotY, gotG := run(c.op)
		wantY, wantG := run(func(x *graph.Node) *graph.Node { return selectCols(x, c.cols) })
		for i := range wantY {
			if gotY[i] != wantY[i] {
				t.Fatalf("%s: value[%d] %g, want %g", c.name, i, gotY[i], wantY[i])
			}
		}
		for i := range wantG {
			if math.Abs(gotG[i]-wantG[i]) > 1e-12 {
				t.Fatalf("%s: gradient[%d] %g, want %g", c.name, i, gotG[i], wantG[i])
			}
		}
	}
}
