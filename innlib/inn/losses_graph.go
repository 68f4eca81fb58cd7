package inn

import (
	"github.com/gomlx/gomlx/pkg/core/graph"

	"github.com/ozarkinn/inn/innlib/flow"
	"github.com/ozarkinn/inn/innlib/internal/customgrad"
	"github.com/ozarkinn/inn/innlib/mmd/mmdgraph"
)

// bidirInputs are the per-batch inputs of the bidirectional loss, all in
// standardised units and drawn in Go (so a seed fixes them).
type bidirInputs struct {
	U    *graph.Node // [B, D] input side: x, noise ε, padding noise.
	YT   *graph.Node // [B, m] target: y + σε (or y + small noise).
	ZP   *graph.Node // [B, k] draws from N(0, I) for the latent MMD.
	VRev *graph.Node // [B, D] output side for the backward pass: y + noise, z ~ N(0, I), padding noise.
	VRec *graph.Node // [B, D] noise added to outputs for the reconstruction term (nil when off).
}

// bidirTerms returns the unweighted loss terms of the bidirectional recipe
// (bidirectionalLoss) as graph nodes, and the forward part of padding under
// forwardPart(TermPadding).
func bidirTerms(net *flow.Network, lay layout, loss LossConfig, in bidirInputs) map[string]*graph.Node {
	g := in.U.Graph()
	dt := in.U.DType()
	cols := customgrad.Columns
	terms := map[string]*graph.Node{}
	v, _ := net.Forward(in.U, nil)
	yPred := cols(v, 0, lay.M)
	z := cols(v, lay.M, lay.K)
	terms[TermFit] = graph.ReduceAllMean(graph.Square(graph.Sub(yPred, in.YT)))
	// The latent MMD must not move y_pred: the fit term owns it.
	joint := graph.Concatenate([]*graph.Node{z, graph.StopGradient(yPred)}, 1)
	target := graph.Concatenate([]*graph.Node{in.ZP, in.YT}, 1)
	terms[TermLatentMMD] = mmdgraph.MMD(joint, target, loss.ForwardKernels)

	uRev := net.Inverse(in.VRev, nil)
	in0 := lay.inWidth()
	terms[TermBackwardMMD] = mmdgraph.MMD(cols(uRev, 0, in0), cols(in.U, 0, in0), loss.BackwardKernels)

	// Padding: output padding belongs to the forward map, input padding to the inverse.
	padOut, padIn := graph.ScalarZero(g, dt), graph.ScalarZero(g, dt)
	if p := lay.padOut(); p > 0 {
		padOut = graph.ReduceAllMean(graph.Square(cols(v, lay.M+lay.K, p)))
	}
	if p := lay.padIn(); p > 0 {
		padIn = graph.ReduceAllMean(graph.Square(cols(uRev, in0, p)))
	}
	terms[TermPadding] = graph.Add(padOut, padIn)
	terms[forwardPart(TermPadding)] = padOut
	if in.VRec != nil {
		uRec := net.Inverse(graph.Add(v, in.VRec), nil)
		terms[TermReconstruction] = graph.ReduceAllMean(graph.Square(graph.Sub(cols(uRec, 0, in0), cols(in.U, 0, in0))))
	}
	return terms
}

// condNLL returns the conditional recipe's loss mean(½|z|² − log|det J|)
// (conditionalLoss).
func condNLL(net *flow.Network, u, cond *graph.Node) *graph.Node {
	z, logDet := net.Forward(u, cond)
	perRow := graph.Sub(graph.MulScalar(graph.ReduceSum(graph.Square(z), 1), 0.5), logDet)
	return graph.ReduceAllMean(perRow)
}
