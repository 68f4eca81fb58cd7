// Package mmdgraph is the maximum mean discrepancy of package mmd inside
// GoMLX graphs: the loss of the bidirectional INN when it trains through
// graphs and autodiff (inn's graph engine). Package mmd itself is plain Go
// (kernels, Samples, ValueGrad), so statistics code can use it without GoMLX.
//
// Usage, inside a graph function:
//
//	loss := mmdgraph.MMD(x, y, mmd.Widths(0.2, 0.5, 1, 2, 5))
package mmdgraph

import (
	"fmt"

	"github.com/gomlx/gomlx/pkg/core/graph"

	"github.com/ozarkinn/inn/innlib/dense"
	"github.com/ozarkinn/inn/innlib/mmd"
)

// MMD returns the squared MMD between the rows of x [N, d] and y [M, d] as a
// scalar node, with the kernels summed: the graph twin of mmd.Samples (same
// biased V-statistic). Pairwise products go through dense.MatMul, so the
// gradient stays fast on SimpleGo. Invalid kernels or shapes panic, as
// graph construction errors do in GoMLX.
func MMD(x, y *graph.Node, ks []mmd.Kernel) *graph.Node {
	if err := mmd.Validate(ks); err != nil {
		panic(err)
	}
	if x.Rank() != 2 || y.Rank() != 2 || x.Shape().Dimensions[1] != y.Shape().Dimensions[1] {
		panic(fmt.Sprintf("mmdgraph.MMD: want x [N, d] and y [M, d], got %s and %s", x.Shape(), y.Shape()))
	}
	kxx := meanKernelGraph(x, x, ks)
	kyy := meanKernelGraph(y, y, ks)
	kxy := meanKernelGraph(x, y, ks)
	return graph.Sub(graph.Add(kxx, kyy), graph.MulScalar(kxy, 2))
}

// meanKernelGraph returns mean over all pairs (i, j) of sum_k k(|a_i − b_j|²).
func meanKernelGraph(a, b *graph.Node, ks []mmd.Kernel) *graph.Node {
	g := a.Graph()
	na := graph.ReduceSum(graph.Square(a), 1)       // [N]
	nb := graph.ReduceSum(graph.Square(b), 1)       // [M]
	ab := dense.MatMul(a, graph.Transpose(b, 0, 1)) // [N, M]
	d2 := graph.Sub(graph.Add(graph.InsertAxes(na, 1), graph.InsertAxes(nb, 0)), graph.MulScalar(ab, 2))
	d2 = graph.Max(d2, graph.ScalarZero(g, d2.DType())) // Rounding can make it slightly negative.
	var sum *graph.Node
	for _, k := range ks {
		c := graph.Scalar(g, d2.DType(), k.C)
		v := graph.Div(c, graph.Add(c, d2))
		if k.A != 1 {
			v = graph.Pow(v, graph.Scalar(g, d2.DType(), k.A))
		}
		if sum == nil {
			sum = v
		} else {
			sum = graph.Add(sum, v)
		}
	}
	return graph.ReduceAllMean(sum)
}
