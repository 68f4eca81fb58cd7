package dense

import (
	"fmt"

	"github.com/gomlx/gomlx/pkg/core/graph"
)

// MatMul returns x·w for x of shape [B, in] and w of shape [in, out], with a
// gradient made of two matrix products instead of GoMLX's broadcast-and-reduce.
//
// GoMLX lets a program replace the gradient only of a one-input identity node
// (IdentityWithCustomGradient), so the product is wired as follows:
//
//	xi = identity(x), wi = identity(w)        custom VJPs: v·wᵀ and xᵀ·v
//	y  = identity(Dot(xi, wi)) + link(xi, wi) custom VJP of the identity: record v, send nothing to Dot
//
// link is an exact zero that depends on xi and wi only so that reverse-mode
// autodiff visits them; their VJPs ignore what arrives through it and use the
// v recorded at y instead. GoMLX back-propagates nodes in reverse creation
// order, and xi, wi are created before y, so v is always recorded first.
func MatMul(x, w *graph.Node) *graph.Node {
	if x.Rank() != 2 || w.Rank() != 2 || x.Shape().Dimensions[1] != w.Shape().Dimensions[0] {
		panic(fmt.Sprintf("dense.MatMul: want x [B, in] and w [in, out], got %s and %s", x.Shape(), w.Shape()))
	}
	g := x.Graph()
	var vOut *graph.Node // Gradient arriving at the product; set during back-propagation.
	recorded := func() *graph.Node {
		if vOut == nil {
			panic("dense.MatMul: gradient of an input requested before the output's (GoMLX visit order changed?)")
		}
		return vOut
	}
	xi := graph.IdentityWithCustomGradient(x, func(_, _ *graph.Node) *graph.Node {
		return graph.DotGeneral(recorded(), []int{1}, nil, w, []int{1}, nil) // v·wᵀ: [B, in]
	})
	wi := graph.IdentityWithCustomGradient(w, func(_, _ *graph.Node) *graph.Node {
		return graph.DotGeneral(x, []int{0}, nil, recorded(), []int{0}, nil) // xᵀ·v: [in, out]
	})
	prod := graph.IdentityWithCustomGradient(graph.Dot(xi, wi), func(_, v *graph.Node) *graph.Node {
		vOut = v
		return nil // Nothing flows into the slow default VJP of Dot.
	})
	zero := graph.ScalarZero(g, x.DType())
	link := graph.Where(graph.Const(g, false), graph.Add(graph.ReduceAllSum(xi), graph.ReduceAllSum(wi)), zero)
	return graph.Add(prod, graph.Reshape(link, 1, 1))
}
