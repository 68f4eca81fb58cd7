package coupling

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/graph"

	"github.com/ozarkinn/inn/innlib/backend"
	"github.com/ozarkinn/inn/innlib/internal/tensorutil"
)

// TestTypesAgree checks every coupling type's plain-Go maps and backward
// passes against its graph form and GoMLX's autodiff of it, in float32, on
// heads large enough to reach the clamp's bend: values to 1e-5 and
// gradients to 1e-5 of max(1, |·|). It also checks that Inverse undoes
// Forward.
func TestTypesAgree(t *testing.T) {
	b := backend.MustNew()
	const rows, w, clamp = 7, 3, 1.5
	for _, ct := range table {
		rng := rand.New(rand.NewPCG(1, 2))
		randn := func(scale float64) []float64 {
			v := make([]float64, rows*w)
			for i := range v {
				v[i] = scale * rng.NormFloat64()
			}
			return v
		}
		x, wy, wx := randn(1), randn(1), randn(1)
		wl := make([]float64, rows)
		for i := range wl {
			wl[i] = rng.NormFloat64()
		}
		heads := make([][]float64, ct.Heads)
		for i := range heads {
			heads[i] = randn(1.5)
		}
		f32 := func(v []float64, dims ...int) any { return tensorutil.FromFloat64(dtypes.Float32, v, dims...) }
		args := []any{f32(x, rows, w), f32(wy, rows, w), f32(wl, rows), f32(wx, rows, w)}
		for _, h := range heads {
			args = append(args, f32(h, rows, w))
		}
		e := graph.MustNewExec(b, func(in []*graph.Node) []*graph.Node {
			x, wy, wl, wx, h := in[0], in[1], in[2], in[3], in[4:]
			y, ld := ct.Graph(x, h, clamp)
			xi := ct.GraphInverse(x, h, clamp) // the inverse map applied to x as a y
			lossF := graph.Add(graph.ReduceAllSum(graph.Mul(y, wy)), graph.ReduceAllSum(graph.Mul(ld, wl)))
			lossI := graph.ReduceAllSum(graph.Mul(xi, wx))
			outs := []*graph.Node{y, ld, xi}
			outs = append(outs, graph.Gradient(lossF, append([]*graph.Node{x}, h...)...)...)
			return append(outs, graph.Gradient(lossI, append([]*graph.Node{x}, h...)...)...)
		})
		res := e.MustExec(args...)
		vals := make([][]float64, len(res))
		for i, r := range res {
			vals[i] = tensorutil.ToFloat64(r)
		}

		h32 := make([][]float32, ct.Heads)
		for i, h := range heads {
			h32[i] = tensorutil.Float32s(h)
		}
		x32 := tensorutil.Float32s(x)
		y := make([]float32, rows*w)
		keep := make([]float32, rows*w*ct.Keep)
		ld := make([]float64, rows)
		ct.Forward(y, x32, h32, keep, ld, w, clamp)
		dx := tensorutil.Float32s(wy)
		dh := make([][]float32, ct.Heads)
		for i := range dh {
			dh[i] = make([]float32, rows*w)
		}
		ct.Backward(dx, x32, keep, wl, w, clamp, dh)
		back := make([]float32, rows*w)
		ct.Inverse(back, y, h32, make([]float32, rows*w*ct.Keep), clamp)

		xi := make([]float32, rows*w)
		ikeep := make([]float32, rows*w*ct.Keep)
		ct.Inverse(xi, x32, h32, ikeep, clamp)
		dy := tensorutil.Float32s(wx)
		dhi := make([][]float32, ct.Heads)
		for i := range dhi {
			dhi[i] = make([]float32, rows*w)
		}
		ct.InverseBackward(dy, xi, ikeep, clamp, dhi)

		check := func(what string, got []float32, want []float64) {
			t.Helper()
			for i := range want {
				if math.Abs(float64(got[i])-want[i]) > 1e-5*math.Max(1, math.Abs(want[i])) {
					t.Errorf("%s %s [%d]: native %g, graph %g", ct.Name, what, i, got[i], want[i])
				}
			}
		}
		ld32 := make([]float32, rows)
		for i, v := range ld {
			ld32[i] = float32(v)
		}
		check("forward", y, vals[0])
		check("log-det", ld32, vals[1])
		check("inverse", xi, vals[2])
		check("forward gradient, x", dx, vals[3])
		for i := range dh {
			check("forward gradient, head", dh[i], vals[4+i])
		}
		check("inverse gradient, y", dy, vals[4+ct.Heads])
		for i := range dhi {
			check("inverse gradient, head", dhi[i], vals[5+ct.Heads+i])
		}
		check("inverse(forward)", back, x)
	}
}

func TestLookup(t *testing.T) {
	if c, err := Lookup(Default); err != nil || c.Name != Default {
		t.Errorf("the default %q: %v", Default, err)
	}
	if _, err := Lookup("spline"); err == nil {
		t.Error("Lookup(spline): want an error")
	}
}
