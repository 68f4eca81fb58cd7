// Package customgrad defines GoMLX graph operations with hand-written
// gradients, for ops whose built-in gradient is slow or missing on SimpleGo
// (matrix products, slices, column permutations).
//
// GoMLX v0.26 lets a program replace only the gradient of a one-input
// identity node (graph.IdentityWithCustomGradient). Op builds a many-input
// operation on top of that:
//
//	id_i = identity(in_i)                  custom VJP: the i-th result of vjp(v)
//	out  = identity(forward(id...)) + link custom VJP of the identity: record v, send nothing into forward
//
// link is an exact zero (Where(false, Σ sum(id_i), 0)) that depends on every
// id_i only so that reverse-mode autodiff visits them. GoMLX back-propagates
// nodes in reverse creation order and the id_i are created before out, so v is
// recorded before any id_i asks for it.
package customgrad

import (
	"fmt"

	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/shapes"
)

// Op returns forward(inputs) with the gradient given by vjp: for the gradient
// v of the output, vjp returns one gradient per input, shaped like it (nil for
// an input that needs none). forward receives stand-ins for the inputs and must
// build its result from them only with forward ops.
func Op(inputs []*graph.Node, forward func(in []*graph.Node) *graph.Node, vjp func(v *graph.Node) []*graph.Node) *graph.Node {
	if len(inputs) == 0 {
		panic("customgrad.Op: no inputs")
	}
	g := inputs[0].Graph()
	var (
		vOut  *graph.Node
		grads []*graph.Node
	)
	ids := make([]*graph.Node, len(inputs))
	for i, x := range inputs {
		ids[i] = graph.IdentityWithCustomGradient(x, func(_, _ *graph.Node) *graph.Node {
			if vOut == nil {
				panic("customgrad.Op: an input's gradient was requested before the output's (GoMLX visit order changed?)")
			}
			if grads == nil {
				grads = vjp(vOut)
				if len(grads) != len(inputs) {
					panic(fmt.Sprintf("customgrad.Op: vjp returned %d gradients for %d inputs", len(grads), len(inputs)))
				}
			}
			return grads[i]
		})
	}
	out := graph.IdentityWithCustomGradient(forward(ids), func(_, v *graph.Node) *graph.Node {
		vOut, grads = v, nil
		return nil // Nothing flows into forward's own (default) gradient.
	})
	var sum *graph.Node
	for _, id := range ids {
		s := graph.ReduceAllSum(id)
		if sum == nil {
			sum = s
		} else {
			sum = graph.Add(sum, s)
		}
	}
	zero := graph.ScalarZero(g, out.DType())
	link := graph.Where(graph.Const(g, false), graph.ConvertDType(sum, out.DType()), zero)
	if r := out.Rank(); r > 0 {
		ones := make([]int, r)
		for i := range ones {
			ones[i] = 1
		}
		link = graph.Reshape(link, ones...)
	}
	return graph.Add(out, link)
}

// Columns returns x[:, from:from+count] for x of shape [B, D]; its gradient
// pads with zeros by concatenation (SimpleGo has no Pad, which the built-in
// gradient of Slice needs).
func Columns(x *graph.Node, from, count int) *graph.Node {
	d := x.Shape().Dimensions[1]
	if x.Rank() != 2 || from < 0 || count < 1 || from+count > d {
		panic(fmt.Sprintf("customgrad.Columns: columns [%d, %d) of %s", from, from+count, x.Shape()))
	}
	if from == 0 && count == d {
		return x
	}
	return Op([]*graph.Node{x}, func(in []*graph.Node) *graph.Node {
		return graph.SliceAxis(in[0], 1, graph.AxisRange(from, from+count))
	}, func(v *graph.Node) []*graph.Node {
		parts := make([]*graph.Node, 0, 3)
		b := v.Shape().Dimensions[0]
		if from > 0 {
			parts = append(parts, graph.Zeros(v.Graph(), shapes.Make(v.DType(), b, from)))
		}
		parts = append(parts, v)
		if rest := d - from - count; rest > 0 {
			parts = append(parts, graph.Zeros(v.Graph(), shapes.Make(v.DType(), b, rest)))
		}
		return []*graph.Node{graph.Concatenate(parts, 1)}
	})
}

// Permute returns x[:, perm] for x of shape [B, D] and a permutation of 0..D-1;
// its gradient applies the inverse permutation.
func Permute(x *graph.Node, perm []int) *graph.Node {
	d := x.Shape().Dimensions[1]
	if x.Rank() != 2 || len(perm) != d {
		panic(fmt.Sprintf("customgrad.Permute: permutation of %d for %s", len(perm), x.Shape()))
	}
	inv := make([]int, d)
	for j, src := range perm {
		inv[src] = j
	}
	return Op([]*graph.Node{x}, func(in []*graph.Node) *graph.Node {
		return pick(in[0], perm)
	}, func(v *graph.Node) []*graph.Node {
		return []*graph.Node{pick(v, inv)}
	})
}

// pick gathers columns with forward-only ops: one slice per run of consecutive columns.
func pick(x *graph.Node, cols []int) *graph.Node {
	var parts []*graph.Node
	for i := 0; i < len(cols); {
		j := i + 1
		for j < len(cols) && cols[j] == cols[j-1]+1 {
			j++
		}
		parts = append(parts, graph.SliceAxis(x, 1, graph.AxisRange(cols[i], cols[j-1]+1)))
		i = j
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return graph.Concatenate(parts, 1)
}
