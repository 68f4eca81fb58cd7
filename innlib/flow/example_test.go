package flow_test

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/ml/context"

	"github.com/ozarkinn/inn/innlib/backend"
	"github.com/ozarkinn/inn/innlib/dense"
	"github.com/ozarkinn/inn/innlib/flow"
	"github.com/ozarkinn/inn/innlib/flow/flowgrad"
	"github.com/ozarkinn/inn/innlib/internal/tensorutil"
)

// A conditional flow evaluated by both engines from one layout: the GoMLX
// graph, the native engine's inference (Snapshot) and its training path.
func Example() {
	rng := rand.New(rand.NewPCG(1, 1))
	ctx := context.New()
	net, err := flow.New(ctx, dtypes.Float32, flow.Config{Dim: 4, CondDim: 2, Blocks: 2,
		Subnet: dense.MLPConfig{Layers: 2, Width: 16}}, rng)
	if err != nil {
		panic(err)
	}
	// A fresh flow is the identity (its heads start at zero): move the weights.
	p, err := net.Params()
	if err != nil {
		panic(err)
	}
	for i := range p {
		p[i] += float32(0.2 * rng.NormFloat64())
	}
	if err := net.SetParams(p); err != nil {
		panic(err)
	}
	const rows = 3
	u := []float32{0.1, -0.3, 1.2, 0.5, -1, 0.4, 0.2, 0.9, 0.3, 0.3, -0.7, -0.2}
	c := []float32{1, 0, 0.5, -0.5, -1, 2}

	// The GoMLX graph (on SimpleGo).
	exec := context.MustNewExec(backend.MustNew(), ctx, func(ctx *context.Context, u, c *graph.Node) []*graph.Node {
		v, logDet := net.Forward(u, c)
		return []*graph.Node{v, logDet}
	})
	res := exec.MustExec(tensorutil.FromFloat64(dtypes.Float32, f64(u), rows, 4), tensorutil.FromFloat64(dtypes.Float32, f64(c), rows, 2))
	graphV := tensorutil.ToFloat64(res[0])

	// The native engine: inference ...
	frozen, err := net.Snapshot()
	if err != nil {
		panic(err)
	}
	v, _, err := frozen.Forward(u, c, rows)
	if err != nil {
		panic(err)
	}
	back, err := frozen.Inverse(v, c, rows)
	if err != nil {
		panic(err)
	}
	// ... and training, on the same flat parameters.
	eng, err := flowgrad.New(net.Layout())
	if err != nil {
		panic(err)
	}
	var tape flowgrad.Tape
	vt, _ := eng.Forward(p, &tape, u, c, rows)

	fmt.Println(net.NumParams(), "parameters in", len(net.Layout().Tensors()), "tensors")
	fmt.Println("engines agree:", maxDiff(v, graphV) < 1e-5, maxDiff(vt, graphV) < 1e-5)
	fmt.Println("inverse undoes forward:", maxDiff(back, f64(u)) < 1e-5)
	// Output:
	// 592 parameters in 24 tensors
	// engines agree: true true
	// inverse undoes forward: true
}

func f64(x []float32) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = float64(v)
	}
	return out
}

func maxDiff(a []float32, b []float64) float64 {
	d := 0.0
	for i := range b {
		d = math.Max(d, math.Abs(float64(a[i])-b[i]))
	}
	return d
}
