package flow

import (
	"fmt"
	"math/rand/v2"

	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/ml/context"

	"github.com/ozarkinn/inn/innlib/dense"
	"github.com/ozarkinn/inn/innlib/internal/customgrad"
)

// Network is a stack of coupling blocks with permutations. Its variables live
// in the context it was created in.
type Network struct {
	Config Config
	dtype  dtypes.DType
	blocks []*block
	// Perms[i] is the permutation after block i: output column j is input column Perms[i][j].
	Perms [][]int
}

type block struct {
	d1, d2     int
	net1, net2 *dense.MLP // net1: (v1, c) -> s1, t1 of width d2; net2: (u2, c) -> s2, t2 of width d1.
}

// New creates the network's variables in ctx (scope "flow") with weights and
// permutations drawn from rng.
func New(ctx *context.Context, dtype dtypes.DType, cfg Config, rng *rand.Rand) (*Network, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	n := &Network{Config: cfg, dtype: dtype}
	d1 := cfg.Dim / 2
	d2 := cfg.Dim - d1
	for i := 0; i < cfg.Blocks; i++ {
		bctx := ctx.In("flow").In(fmt.Sprintf("block_%d", i))
		sub := cfg.Subnet
		sub.ZeroLast = true
		sub.In, sub.Outputs = d1+cfg.CondDim, []int{d2, d2}
		net1, err := dense.NewMLP(bctx.In("net1"), dtype, sub, rng)
		if err != nil {
			return nil, err
		}
		sub.In, sub.Outputs = d2+cfg.CondDim, []int{d1, d1}
		net2, err := dense.NewMLP(bctx.In("net2"), dtype, sub, rng)
		if err != nil {
			return nil, err
		}
		n.blocks = append(n.blocks, &block{d1: d1, d2: d2, net1: net1, net2: net2})
		n.Perms = append(n.Perms, rng.Perm(cfg.Dim))
	}
	return n, nil
}

// DType returns the network's float dtype.
func (n *Network) DType() dtypes.DType { return n.dtype }

// NumParams returns the number of trainable values.
func (n *Network) NumParams() int {
	total := 0
	for _, b := range n.blocks {
		total += b.net1.NumParams() + b.net2.NumParams()
	}
	return total
}

// Variables returns all trainable variables in a fixed order.
func (n *Network) Variables() []*context.Variable {
	var vs []*context.Variable
	for _, b := range n.blocks {
		vs = append(vs, b.net1.Variables()...)
		vs = append(vs, b.net2.Variables()...)
	}
	return vs
}

// Forward maps u [B, Dim] to v [B, Dim] and returns log|det ∂v/∂u| per row [B].
// cond is [B, CondDim], or nil when CondDim is 0.
func (n *Network) Forward(u, cond *graph.Node) (v, logDet *graph.Node) {
	n.checkInput("Forward", u, cond)
	x := u
	for i, b := range n.blocks {
		u1 := customgrad.Columns(x, 0, b.d1)
		u2 := customgrad.Columns(x, b.d1, b.d2)
		s2, t2 := n.scaleShift(b.net2, u2, cond)
		v1 := graph.Add(graph.Mul(u1, graph.Exp(s2)), t2)
		s1, t1 := n.scaleShift(b.net1, v1, cond)
		v2 := graph.Add(graph.Mul(u2, graph.Exp(s1)), t1)
		ld := graph.Add(graph.ReduceSum(s1, 1), graph.ReduceSum(s2, 1))
		if logDet == nil {
			logDet = ld
		} else {
			logDet = graph.Add(logDet, ld)
		}
		x = customgrad.Permute(graph.Concatenate([]*graph.Node{v1, v2}, 1), n.Perms[i])
	}
	return x, logDet
}

// Inverse maps v [B, Dim] back to u, exactly inverting Forward for the same cond.
func (n *Network) Inverse(v, cond *graph.Node) *graph.Node {
	n.checkInput("Inverse", v, cond)
	x := v
	for i := len(n.blocks) - 1; i >= 0; i-- {
		b := n.blocks[i]
		x = customgrad.Permute(x, inversePerm(n.Perms[i]))
		v1 := customgrad.Columns(x, 0, b.d1)
		v2 := customgrad.Columns(x, b.d1, b.d2)
		s1, t1 := n.scaleShift(b.net1, v1, cond)
		u2 := graph.Mul(graph.Sub(v2, t1), graph.Exp(graph.Neg(s1)))
		s2, t2 := n.scaleShift(b.net2, u2, cond)
		u1 := graph.Mul(graph.Sub(v1, t2), graph.Exp(graph.Neg(s2)))
		x = graph.Concatenate([]*graph.Node{u1, u2}, 1)
	}
	return x
}

// scaleShift evaluates a subnetwork and soft-clamps its log-scale.
func (n *Network) scaleShift(net *dense.MLP, h, cond *graph.Node) (s, t *graph.Node) {
	in := h
	if cond != nil {
		in = graph.Concatenate([]*graph.Node{h, cond}, 1)
	}
	out := net.Apply(in)
	c := n.Config.Clamp
	s = graph.MulScalar(graph.Tanh(graph.MulScalar(out[0], 1/c)), c)
	return s, out[1]
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
