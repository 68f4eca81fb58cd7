package dense

import (
	"fmt"

	"github.com/gomlx/gomlx/pkg/core/graph"

	"github.com/ozarkinn/inn/innlib/internal/customgrad"
)

// MatMul returns x·w for x of shape [B, in] and w of shape [in, out], with a
// gradient made of two matrix products, v·wᵀ and xᵀ·v, instead of GoMLX's
// broadcast-and-reduce (see the package comment and internal/customgrad).
func MatMul(x, w *graph.Node) *graph.Node {
	if x.Rank() != 2 || w.Rank() != 2 || x.Shape().Dimensions[1] != w.Shape().Dimensions[0] {
		panic(fmt.Sprintf("dense.MatMul: want x [B, in] and w [in, out], got %s and %s", x.Shape(), w.Shape()))
	}
	return customgrad.Op([]*graph.Node{x, w}, func(in []*graph.Node) *graph.Node {
		return graph.Dot(in[0], in[1])
	}, func(v *graph.Node) []*graph.Node {
		return []*graph.Node{
			graph.DotGeneral(v, []int{1}, nil, w, []int{1}, nil), // v·wᵀ: [B, in]
			graph.DotGeneral(x, []int{0}, nil, v, []int{0}, nil), // xᵀ·v: [in, out]
		}
	})
}
