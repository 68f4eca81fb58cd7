package flow

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/ml/context"

	"github.com/ozarkinn/inn/innlib/dense"
	"github.com/ozarkinn/inn/innlib/flow/coupling"
	"github.com/ozarkinn/inn/innlib/flow/flowgrad"
	"github.com/ozarkinn/inn/innlib/flow/layout"
	"github.com/ozarkinn/inn/innlib/internal/customgrad"
	"github.com/ozarkinn/inn/innlib/internal/tensorutil"
)

// Network is a stack of coupling blocks with permutations as a GoMLX graph.
// Its variables live in the context it was created in, one per tensor of its
// layout.
type Network struct {
	Config Config
	dtype  dtypes.DType
	cp     *coupling.Type
	lay    *layout.Net
	vars   []*context.Variable // vars[i] holds lay.Tensors()[i]
}

// New creates the network's variables in ctx (scope "flow") with weights and
// permutations drawn from rng: per block, Glorot-uniform trunk weights of
// net1 and then net2 (zero biases, zero heads, so that every block starts as
// the identity), then the block's permutation.
func New(ctx *context.Context, dtype dtypes.DType, cfg Config, rng *rand.Rand) (*Network, error) {
	cfg = cfg.WithDefaults()
	lay, err := layout.New(cfg.spec())
	if err != nil {
		return nil, err
	}
	vals := make([]float64, lay.NumParams)
	perms := make([][]int, len(lay.Blocks))
	for i, b := range lay.Blocks {
		for _, sub := range []layout.Subnet{b.Net1, b.Net2} {
			for _, d := range sub.Trunk {
				dense.GlorotUniform(vals[d.W.Offset:d.W.Offset+d.W.Size()], d.In, d.Out, rng)
			}
		}
		perms[i] = rng.Perm(cfg.Dim)
	}
	if lay, err = lay.WithPerms(perms); err != nil {
		return nil, err
	}
	cp, err := coupling.Lookup(lay.Coupling)
	if err != nil {
		return nil, err
	}
	n := &Network{Config: cfg, dtype: dtype, cp: cp, lay: lay}
	for _, t := range lay.Tensors() {
		c := ctx
		for _, s := range t.Scope {
			c = c.In(s)
		}
		v := tensorutil.FromFloat64(dtype, vals[t.Offset:t.Offset+t.Size()], t.Shape...)
		n.vars = append(n.vars, c.VariableWithValue(t.Name, v))
	}
	return n, nil
}

// DType returns the network's float dtype.
func (n *Network) DType() dtypes.DType { return n.dtype }

// Layout returns the network's layout: its tensors, activation, clamp and
// permutations. The native engine (flowgrad) is built from it.
func (n *Network) Layout() *layout.Net { return n.lay }

// NumParams returns the number of trainable values.
func (n *Network) NumParams() int { return n.lay.NumParams }

// Variables returns all trainable variables in the layout's order.
func (n *Network) Variables() []*context.Variable { return slices.Clone(n.vars) }

// Perms returns the permutations: output column j of block i is column
// Perms()[i][j] of its halves [v1, v2].
func (n *Network) Perms() [][]int { return n.lay.Perms() }

// SetPerms replaces the permutations (as a checkpoint stores them).
func (n *Network) SetPerms(perms [][]int) error {
	lay, err := n.lay.WithPerms(perms)
	if err != nil {
		return err
	}
	n.lay = lay
	return nil
}

// Params reads the variables into one float32 vector in the layout's flat
// order, the parameters of the native engine.
func (n *Network) Params() ([]float32, error) {
	p := make([]float32, n.lay.NumParams)
	for i, t := range n.lay.Tensors() {
		val, err := n.vars[i].Value()
		if err != nil {
			return nil, fmt.Errorf("flow: reading %s: %w", t.Path(), err)
		}
		if !slices.Equal(val.Shape().Dimensions, t.Shape) {
			return nil, fmt.Errorf("flow: %s has shape %v, the layout %v", t.Path(), val.Shape().Dimensions, t.Shape)
		}
		for k, x := range tensorutil.ToFloat64(val) {
			p[t.Offset+k] = float32(x)
		}
	}
	return p, nil
}

// SetParams writes a flat vector in the layout's order into the variables.
func (n *Network) SetParams(p []float32) error {
	if len(p) != n.lay.NumParams {
		return fmt.Errorf("flow: %d parameters, the network has %d", len(p), n.lay.NumParams)
	}
	for i, t := range n.lay.Tensors() {
		vals := make([]float64, t.Size())
		for k := range vals {
			vals[k] = float64(p[t.Offset+k])
		}
		if err := n.vars[i].SetValue(tensorutil.FromFloat64(n.dtype, vals, t.Shape...)); err != nil {
			return fmt.Errorf("flow: setting %s: %w", t.Path(), err)
		}
	}
	return nil
}

// Snapshot copies the network's current weights into the native engine's
// inference evaluator (float32, on the gemm kernels, safe for concurrent
// use). Its Forward and Inverse agree with the graph's to float32 rounding.
func (n *Network) Snapshot() (*flowgrad.Frozen, error) {
	p, err := n.Params()
	if err != nil {
		return nil, err
	}
	return flowgrad.Freeze(n.lay, p)
}

// Forward maps u [B, Dim] to v [B, Dim] and returns log|det ∂v/∂u| per row [B].
// cond is [B, CondDim], or nil when CondDim is 0.
func (n *Network) Forward(u, cond *graph.Node) (v, logDet *graph.Node) {
	n.checkInput("Forward", u, cond)
	x := u
	c := n.lay.Clamp
	for i, b := range n.lay.Blocks {
		u1 := customgrad.Columns(x, 0, b.D1)
		u2 := customgrad.Columns(x, b.D1, b.D2)
		v1, ld2 := n.cp.Graph(u1, n.heads(b.Net2, u2, cond), c)
		v2, ld1 := n.cp.Graph(u2, n.heads(b.Net1, v1, cond), c)
		ld := graph.Add(ld1, ld2)
		if logDet == nil {
			logDet = ld
		} else {
			logDet = graph.Add(logDet, ld)
		}
		x = customgrad.Permute(graph.Concatenate([]*graph.Node{v1, v2}, 1), n.lay.Blocks[i].Perm)
	}
	return x, logDet
}

// Inverse maps v [B, Dim] back to u, exactly inverting Forward for the same cond.
func (n *Network) Inverse(v, cond *graph.Node) *graph.Node {
	n.checkInput("Inverse", v, cond)
	x := v
	for i := len(n.lay.Blocks) - 1; i >= 0; i-- {
		b := n.lay.Blocks[i]
		x = customgrad.Permute(x, inversePerm(b.Perm))
		v1 := customgrad.Columns(x, 0, b.D1)
		v2 := customgrad.Columns(x, b.D1, b.D2)
		u2 := n.cp.GraphInverse(v2, n.heads(b.Net1, v1, cond), n.lay.Clamp)
		u1 := n.cp.GraphInverse(v1, n.heads(b.Net2, u2, cond), n.lay.Clamp)
		x = graph.Concatenate([]*graph.Node{u1, u2}, 1)
	}
	return x
}

// heads evaluates a subnetwork on a half h and the condition.
func (n *Network) heads(sub layout.Subnet, h, cond *graph.Node) []*graph.Node {
	in := h
	if cond != nil {
		in = graph.Concatenate([]*graph.Node{h, cond}, 1)
	}
	g := h.Graph()
	layers := func(ds []layout.Dense) []dense.Layer {
		out := make([]dense.Layer, len(ds))
		for i, d := range ds {
			out[i] = dense.Layer{W: n.vars[d.W.Index].ValueGraph(g), B: n.vars[d.B.Index].ValueGraph(g)}
		}
		return out
	}
	return dense.ApplyLayers(in, layers(sub.Trunk), layers(sub.Heads), n.lay.Activation, n.lay.Alpha)
}

func (n *Network) checkInput(op string, x, cond *graph.Node) {
	if x.Rank() != 2 || x.Shape().Dimensions[1] != n.Config.Dim {
		panic(fmt.Sprintf("flow.%s: input shape %s, want [B, %d]", op, x.Shape(), n.Config.Dim))
	}
	if n.Config.CondDim == 0 {
		if cond != nil {
			panic(fmt.Sprintf("flow.%s: got a condition but the network has CondDim 0", op))
		}
		return
	}
	if cond == nil || cond.Rank() != 2 || cond.Shape().Dimensions[1] != n.Config.CondDim ||
		cond.Shape().Dimensions[0] != x.Shape().Dimensions[0] {
		got := "nil"
		if cond != nil {
			got = cond.Shape().String()
		}
		panic(fmt.Sprintf("flow.%s: condition shape %s, want [%d, %d]", op, got, x.Shape().Dimensions[0], n.Config.CondDim))
	}
}

// inversePerm returns q with q[p[j]] = j.
func inversePerm(p []int) []int {
	q := make([]int, len(p))
	for j, src := range p {
		q[src] = j
	}
	return q
}
