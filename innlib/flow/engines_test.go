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
	"github.com/ozarkinn/inn/innlib/flow/flowgrad"
	"github.com/ozarkinn/inn/innlib/internal/activation"
	"github.com/ozarkinn/inn/innlib/internal/tensorutil"
)

// TestEnginesReadSameWeights gives every GoMLX variable distinct values,
// found by the scope and name that checkpoints store (spelled out here, not
// taken from the layout), and checks that the flat vector the native engine
// reads holds each of them where the layout says, tensor by tensor.
func TestEnginesReadSameWeights(t *testing.T) {
	for _, cond := range []int{0, 3} {
		const dim, blocks, layers = 5, 3, 3
		ctx := context.New()
		net, err := New(ctx, dtypes.Float32, Config{Dim: dim, CondDim: cond, Blocks: blocks,
			Subnet: dense.MLPConfig{Layers: layers, Width: 6}}, rand.New(rand.NewPCG(1, 2)))
		if err != nil {
			t.Fatal(err)
		}
		// The expected tensors in flat order, from the contract: blocks; net1
		// (input v1 of width 2, heads of width 3) then net2 (input u2, width 3);
		// trunk then heads; weights then bias.
		type want struct {
			scope, name string
			shape       []int
		}
		var wants []want
		d1, d2 := dim/2, dim-dim/2
		for b := 0; b < blocks; b++ {
			for k, io := range [][2]int{{d1 + cond, d2}, {d2 + cond, d1}} {
				in := io[0]
				var layerNames []string
				var shapes [][2]int
				for h := 0; h < layers-1; h++ {
					layerNames = append(layerNames, fmt.Sprintf("hidden_%d", h))
					shapes = append(shapes, [2]int{in, 6})
					in = 6
				}
				for h := 0; h < 2; h++ {
					layerNames = append(layerNames, fmt.Sprintf("head_%d", h))
					shapes = append(shapes, [2]int{in, io[1]})
				}
				for i, ln := range layerNames {
					scope := fmt.Sprintf("/flow/block_%d/net%d/%s", b, k+1, ln)
					wants = append(wants, want{scope, "weights", []int{shapes[i][0], shapes[i][1]}},
						want{scope, "bias", []int{shapes[i][1]}})
				}
			}
		}
		tensors := net.Layout().Tensors()
		if len(tensors) != len(wants) {
			t.Fatalf("cond %d: the layout has %d tensors, want %d", cond, len(tensors), len(wants))
		}
		// Distinct values, exact in float32: counter/1024.
		counter := 0
		values := make([][]float64, len(wants))
		for i, w := range wants {
			v := ctx.InspectVariable(w.scope, w.name)
			if v == nil {
				t.Fatalf("cond %d: no variable %s/%s", cond, w.scope, w.name)
			}
			if fmt.Sprint(v.Shape().Dimensions) != fmt.Sprint(w.shape) {
				t.Fatalf("cond %d: %s/%s has shape %v, want %v", cond, w.scope, w.name, v.Shape().Dimensions, w.shape)
			}
			values[i] = make([]float64, v.Shape().Size())
			for k := range values[i] {
				counter++
				values[i][k] = float64(counter) / 1024
			}
			v.MustSetValue(tensorutil.FromFloat64(dtypes.Float32, values[i], w.shape...))
		}
		p, err := net.Params()
		if err != nil {
			t.Fatal(err)
		}
		if len(p) != counter || net.NumParams() != counter {
			t.Fatalf("cond %d: %d parameters read, NumParams %d, want %d", cond, len(p), net.NumParams(), counter)
		}
		off := 0
		for i, w := range wants {
			tt := tensors[i]
			if "/"+tt.Path() != w.scope+"/"+w.name || fmt.Sprint(tt.Shape) != fmt.Sprint(w.shape) || tt.Offset != off {
				t.Fatalf("cond %d: layout tensor %d is %s %v at %d, want %s/%s %v at %d",
					cond, i, tt.Path(), tt.Shape, tt.Offset, w.scope, w.name, w.shape, off)
			}
			for k, x := range values[i] {
				if float64(p[tt.Offset+k]) != x {
					t.Fatalf("cond %d: %s value %d: native %g, GoMLX %g", cond, tt.Path(), k, p[tt.Offset+k], x)
				}
			}
			off += len(values[i])
		}
		// And back: SetParams writes each value to the same variable.
		for i := range p {
			p[i] = -p[i]
		}
		if err := net.SetParams(p); err != nil {
			t.Fatal(err)
		}
		for i, w := range wants {
			got := tensorutil.ToFloat64(ctx.InspectVariable(w.scope, w.name).MustValue())
			for k, x := range values[i] {
				if got[k] != -x {
					t.Fatalf("cond %d: after SetParams %s/%s value %d is %g, want %g", cond, w.scope, w.name, k, got[k], -x)
				}
			}
		}
	}
}

// TestEnginesAgree compares the native engine (flowgrad) with the GoMLX graph
// on SimpleGo on the same random weights, for every activation with and
// without a condition: Forward, log|det J|, Inverse, and the parameter
// gradients of a weighted sum of Forward's outputs and log-dets and of a
// weighted sum of Inverse's outputs (GoMLX's autodiff against the hand-derived
// backward passes), all in float32. Tolerances: outputs and log-dets to
// 2e-4·max(1, |value|); gradients to 1e-4 of the largest gradient entry
// (float32 sums in different orders differ by ~1e-7 of it here; a wrong or
// missing term is off by far more). Forward and Inverse of the inference
// evaluator (Snapshot) are held to the same tolerance.
func TestEnginesAgree(t *testing.T) {
	b := backend.MustNew()
	for _, act := range activation.Names() {
		for _, cond := range []int{0, 3} {
			t.Run(fmt.Sprintf("%s/cond%d", act, cond), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(31, uint64(cond)))
				ctx := context.New()
				const dim, rows = 5, 37
				net, err := New(ctx, dtypes.Float32, Config{Dim: dim, CondDim: cond, Blocks: 3, Clamp: 1.5,
					Subnet: dense.MLPConfig{Layers: 3, Width: 16, Activation: act, Alpha: 0.1}}, rng)
				if err != nil {
					t.Fatal(err)
				}
				randomise(t, net, rng, 1, 0.3)
				u, wv, wu := randn(rng, rows*dim), randn(rng, rows*dim), randn(rng, rows*dim)
				wl := randn(rng, rows)
				c := randn(rng, rows*cond)
				f32 := func(x []float64, dims ...int) any { return tensorutil.FromFloat64(dtypes.Float32, x, dims...) }
				args := []any{f32(u, rows, dim), f32(wv, rows, dim), f32(wl, rows), f32(wu, rows, dim)}
				if cond > 0 {
					args = append(args, f32(c, rows, cond))
				}
				vars := net.Variables()
				e := context.MustNewExec(b, ctx, func(ctx *context.Context, in []*graph.Node) []*graph.Node {
					var cn *graph.Node
					if len(in) > 4 {
						cn = in[4]
					}
					v, ld := net.Forward(in[0], cn)
					inv := net.Inverse(in[0], cn)
					lossF := graph.Add(graph.ReduceAllSum(graph.Mul(v, in[1])), graph.ReduceAllSum(graph.Mul(ld, in[2])))
					lossI := graph.ReduceAllSum(graph.Mul(inv, in[3]))
					g := in[0].Graph()
					nodes := make([]*graph.Node, len(vars))
					for i, vr := range vars {
						nodes[i] = vr.ValueGraph(g)
					}
					outs := []*graph.Node{v, ld, inv}
					outs = append(outs, graph.Gradient(lossF, nodes...)...)
					return append(outs, graph.Gradient(lossI, nodes...)...)
				})
				res := e.MustExec(args...)
				// The graph's gradients, placed through the layout.
				lay := net.Layout()
				wantGF, wantGI := make([]float64, lay.NumParams), make([]float64, lay.NumParams)
				for i, tt := range lay.Tensors() {
					copy(wantGF[tt.Offset:], tensorutil.ToFloat64(res[3+i]))
					copy(wantGI[tt.Offset:], tensorutil.ToFloat64(res[3+len(vars)+i]))
				}

				nat, err := flowgrad.New(lay)
				if err != nil {
					t.Fatal(err)
				}
				p, err := net.Params()
				if err != nil {
					t.Fatal(err)
				}
				var c32 []float32
				if cond > 0 {
					c32 = tensorutil.Float32s(c)
				}
				var ft, it flowgrad.Tape
				v, ld := nat.Forward(p, &ft, tensorutil.Float32s(u), c32, rows)
				gF := make([]float32, nat.NumParams)
				nat.Backward(p, gF, &ft, tensorutil.Float32s(wv), wl)
				inv := nat.Inverse(p, &it, tensorutil.Float32s(u), c32, rows)
				gI := make([]float32, nat.NumParams)
				nat.InverseBackward(p, gI, &it, tensorutil.Float32s(wu))

				// Inference (Snapshot) runs the same blocks on packed weights,
				// with the piecewise-linear activations fused into the products.
				frozen, err := net.Snapshot()
				if err != nil {
					t.Fatal(err)
				}
				fv, fld, err := frozen.Forward(tensorutil.Float32s(u), c32, rows)
				if err != nil {
					t.Fatal(err)
				}
				finv, err := frozen.Inverse(tensorutil.Float32s(u), c32, rows)
				if err != nil {
					t.Fatal(err)
				}

				wantV, wantLD, wantInv := tensorutil.ToFloat64(res[0]), tensorutil.ToFloat64(res[1]), tensorutil.ToFloat64(res[2])
				compare(t, "forward", v, wantV)
				compare(t, "inverse", inv, wantInv)
				compare(t, "snapshot forward", fv, wantV)
				compare(t, "snapshot inverse", finv, wantInv)
				for i := range ld {
					for _, got := range []float64{ld[i], fld[i]} {
						if math.Abs(got-wantLD[i]) > 2e-4*math.Max(1, math.Abs(wantLD[i])) {
							t.Fatalf("log det [%d]: native %g (snapshot %g), graph %g", i, ld[i], fld[i], wantLD[i])
						}
					}
				}
				compareGrad(t, "forward", gF, wantGF)
				compareGrad(t, "inverse", gI, wantGI)
			})
		}
	}
}

func compareGrad(t *testing.T, what string, got []float32, want []float64) {
	t.Helper()
	scale, worst, at := 0.0, 0.0, 0
	for _, v := range want {
		scale = math.Max(scale, math.Abs(v))
	}
	for i := range want {
		if d := math.Abs(float64(got[i]) - want[i]); d > worst {
			worst, at = d, i
		}
	}
	if scale == 0 || worst > 1e-4*scale {
		t.Errorf("%s gradient differs by %.3g at %d (native %.6g, GoMLX %.6g; largest |g| %.3g)", what, worst, at, got[at], want[at], scale)
	}
	t.Logf("%s gradient: largest |g| %.3g, largest difference %.2g", what, scale, worst)
}
