package flow

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"gonum.org/v1/gonum/mat"

	"github.com/ozarkinn/inn/innlib/backend"
	"github.com/ozarkinn/inn/innlib/dense"
	"github.com/ozarkinn/inn/innlib/internal/tensorutil"
)

// randomise replaces every weight with N(0, gain²/fan_in) draws (biases with
// N(0, gain²)) so that the blocks are far from the identity they start as; the
// heads get headGain instead, which sets how far each block moves its input.
func randomise(t *testing.T, n *Network, rng *rand.Rand, gain, headGain float64) {
	t.Helper()
	for _, v := range n.Variables() {
		dims := v.Shape().Dimensions
		scale := gain
		if strings.Contains(v.Scope(), "head_") {
			scale = headGain
		}
		if len(dims) == 2 {
			scale /= math.Sqrt(float64(dims[0]))
		}
		vals := make([]float64, v.Shape().Size())
		for i := range vals {
			vals[i] = rng.NormFloat64() * scale
		}
		if err := v.SetValue(tensorutil.FromFloat64(n.DType(), vals, dims...)); err != nil {
			t.Fatal(err)
		}
	}
}

func randn(rng *rand.Rand, n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = rng.NormFloat64()
	}
	return v
}

type netCase struct {
	dim, cond, blocks, layers, width int
}

var cases = []netCase{
	{dim: 8, cond: 0, blocks: 4, layers: 3, width: 128}, // The paper's network.
	{dim: 8, cond: 0, blocks: 4, layers: 3, width: 32},
	{dim: 8, cond: 5, blocks: 4, layers: 3, width: 32},
	{dim: 5, cond: 0, blocks: 3, layers: 2, width: 16}, // Odd width: halves of 2 and 3.
	{dim: 2, cond: 3, blocks: 2, layers: 1, width: 8},  // Smallest width; subnet is one linear layer.
	{dim: 9, cond: 2, blocks: 5, layers: 3, width: 24},
}

func TestInverseAfterForwardFloat32(t *testing.T) {
	b := backend.MustNew()
	for _, c := range cases {
		t.Run(fmt.Sprintf("%+v", c), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(7, uint64(c.dim*100+c.cond)))
			ctx := context.New()
			cfg := Config{Dim: c.dim, CondDim: c.cond, Blocks: c.blocks, Subnet: dense.MLPConfig{Layers: c.layers, Width: c.width}}
			net, err := New(ctx, testDType, cfg, rng)
			if err != nil {
				t.Fatal(err)
			}
			// Standardised data through a network at the scale of a trained one:
			// outputs of order 1-10, each block changing its input by order 1.
			randomise(t, net, rng, 1, 0.3)
			const rows = 64
			u := tensorutil.FromFloat64(testDType, randn(rng, rows*c.dim), rows, c.dim)
			inputs := []any{u}
			if c.cond > 0 {
				inputs = append(inputs, tensorutil.FromFloat64(testDType, randn(rng, rows*c.cond), rows, c.cond))
			}
			e := context.MustNewExec(b, ctx, func(ctx *context.Context, in []*graph.Node) []*graph.Node {
				var cond *graph.Node
				if len(in) > 1 {
					cond = in[1]
				}
				v, _ := net.Forward(in[0], cond)
				back := net.Inverse(v, cond)
				return []*graph.Node{v, back}
			})
			res := e.MustExec(inputs...)
			uIn := tensorutil.ToFloat64(u)
			v := tensorutil.ToFloat64(res[0])
			back := tensorutil.ToFloat64(res[1])
			maxErr, moved := 0.0, 0.0
			for i := range uIn {
				maxErr = math.Max(maxErr, math.Abs(back[i]-uIn[i]))
				moved = math.Max(moved, math.Abs(v[i]-uIn[i]))
			}
			maxV := 0.0
			for _, x := range v {
				maxV = math.Max(maxV, math.Abs(x))
			}
			t.Logf("max |v| = %.3g, max |u - v| = %.3g, reconstruction error %.3g", maxV, moved, maxErr)
			if maxErr > 1e-4 {
				t.Fatalf("max |Inverse(Forward(u)) − u| = %g, want <= 1e-4", maxErr)
			}
			if moved < 0.5 {
				t.Fatalf("the randomised network barely moved its input (max change %g): the test would prove nothing", moved)
			}
		})
	}
}

// TestLogDetMatchesJacobian compares Forward's log|det J| with the log|det| of
// a central finite-difference Jacobian, in float64.
func TestLogDetMatchesJacobian(t *testing.T) {
	b := backend.MustNew()
	for _, c := range cases {
		t.Run(fmt.Sprintf("%+v", c), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(11, uint64(c.dim*100+c.cond)))
			ctx := context.New()
			cfg := Config{Dim: c.dim, CondDim: c.cond, Blocks: c.blocks, Subnet: dense.MLPConfig{Layers: c.layers, Width: c.width, Activation: "tanh"}}
			net, err := New(ctx, dtypes.Float64, cfg, rng)
			if err != nil {
				t.Fatal(err)
			}
			randomise(t, net, rng, 1, 1)
			const h = 1e-6
			d := c.dim
			// Rows: the point itself, then u ± h e_j for every j.
			base := randn(rng, d)
			condRow := randn(rng, c.cond)
			rows := 1 + 2*d
			u := make([]float64, 0, rows*d)
			u = append(u, base...)
			for j := 0; j < d; j++ {
				for _, sgn := range []float64{1, -1} {
					p := append([]float64(nil), base...)
					p[j] += sgn * h
					u = append(u, p...)
				}
			}
			inputs := []any{tensorutil.FromFloat64(dtypes.Float64, u, rows, d)}
			if c.cond > 0 {
				var cr []float64
				for i := 0; i < rows; i++ {
					cr = append(cr, condRow...)
				}
				inputs = append(inputs, tensorutil.FromFloat64(dtypes.Float64, cr, rows, c.cond))
			}
			e := context.MustNewExec(b, ctx, func(ctx *context.Context, in []*graph.Node) []*graph.Node {
				var cond *graph.Node
				if len(in) > 1 {
					cond = in[1]
				}
				v, ld := net.Forward(in[0], cond)
				return []*graph.Node{v, ld}
			})
			res := e.MustExec(inputs...)
			v := tensorutil.ToFloat64(res[0])
			ld := tensorutil.ToFloat64(res[1])
			jac := mat.NewDense(d, d, nil)
			for j := 0; j < d; j++ {
				plus := v[(1+2*j)*d : (2+2*j)*d]
				minus := v[(2+2*j)*d : (3+2*j)*d]
				for i := 0; i < d; i++ {
					jac.Set(i, j, (plus[i]-minus[i])/(2*h))
				}
			}
			var lu mat.LU
			lu.Factorize(jac)
			fd, _ := lu.LogDet()
			if math.Abs(fd-ld[0]) > 1e-5*math.Max(1, math.Abs(fd)) {
				t.Fatalf("log|det J|: network %.10g, finite differences %.10g", ld[0], fd)
			}
			if math.Abs(fd) < 0.05 {
				t.Fatalf("log|det J| = %g is near zero: the randomised network is too close to volume-preserving to test", fd)
			}
		})
	}
}

// TestStartsAsIdentity: with the heads at zero every block is the identity up to the permutations.
func TestStartsAsIdentity(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	ctx := context.New()
	net, err := New(ctx, dtypes.Float32, Config{Dim: 6}, rng)
	if err != nil {
		t.Fatal(err)
	}
	u := tensorutil.FromFloat64(dtypes.Float32, randn(rng, 12), 2, 6)
	e := context.MustNewExec(backend.MustNew(), ctx, func(ctx *context.Context, u *graph.Node) []*graph.Node {
		v, ld := net.Forward(u, nil)
		return []*graph.Node{v, ld}
	})
	res := e.MustExec(u)
	in, out := tensorutil.ToFloat64(u), tensorutil.ToFloat64(res[0])
	// Compose the permutations to know where each input column ends up.
	pos := seq(0, 6)
	for _, p := range net.Perms() {
		next := make([]int, 6)
		for j, src := range p {
			next[j] = pos[src]
		}
		pos = next
	}
	for r := 0; r < 2; r++ {
		for j := 0; j < 6; j++ {
			if out[r*6+j] != in[r*6+pos[j]] {
				t.Fatalf("row %d col %d: got %g, want input col %d = %g", r, j, out[r*6+j], pos[j], in[r*6+pos[j]])
			}
		}
	}
	for _, v := range tensorutil.ToFloat64(res[1]) {
		if v != 0 {
			t.Fatalf("log det of the identity = %g", v)
		}
	}
}

func TestConfigErrors(t *testing.T) {
	for _, c := range []Config{{Dim: 1}, {Dim: 4, Blocks: -1}, {Dim: 4, Clamp: -1}, {Dim: 4, Subnet: dense.MLPConfig{Activation: "nope"}}} {
		if _, err := New(context.New(), dtypes.Float32, c, rand.New(rand.NewPCG(1, 1))); err == nil {
			t.Errorf("config %+v: want an error", c)
		}
	}
}

var testDType = dtypes.Float32

func seq(from, count int) []int {
	s := make([]int, count)
	for i := range s {
		s[i] = from + i
	}
	return s
}
