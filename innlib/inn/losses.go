package inn

import "math"

// The loss of each recipe is one table of terms: its names, weights and the
// gradient group of each term. Both training engines take the terms, their
// order and their weights from here (lossTerms, weightsFor) and group
// gradients by lossTerm.group; losses_graph.go and losses_native.go compute
// the terms themselves, as GoMLX graphs and in plain Go with hand-derived
// gradients. TestEnginesAgree checks that the two give the same values and
// gradients on the same batch and weights.

// group is the side of the network a term trains. Under gradient surgery
// (LossConfig.Surgery "project") the inverse group's gradient loses its
// component against the forward group's.
type group int

const (
	groupForward group = iota // The forward map x → y.
	groupInverse              // The latent distribution and the inverse map.
	// groupSplit is padding: its output part (forward pass) is forward, its
	// input part (inverse pass) inverse.
	groupSplit
)

// lossTerm is one term of a recipe's loss.
type lossTerm struct {
	name   string // As in EpochStats and the Term constants.
	group  group
	weight func(LossConfig) float64 // Its full weight (before any ramp).
}

// bidirectionalLoss is the paper's loss (Ardizzone et al. 2019), in the
// order every engine reports it. All terms are means over the batch, in
// standardised units.
var bidirectionalLoss = []lossTerm{
	// MSE of y_pred against y + noise.
	{TermFit, groupForward, func(l LossConfig) float64 { return l.Fit }},
	// MMD of [z, stop_gradient(y_pred)] against [N(0, I), y + noise]: the fit
	// term owns y_pred.
	{TermLatentMMD, groupInverse, func(l LossConfig) float64 { return l.LatentMMD }},
	// MMD of the inverse pass's inputs (x and modelled noise) from
	// [y + noise, N(0, I), padding noise] against the batch's.
	{TermBackwardMMD, groupInverse, func(l LossConfig) float64 { return l.BackwardMMD }},
	// Mean square of the output padding (forward pass) plus that of the input
	// padding (inverse pass).
	{TermPadding, groupSplit, func(l LossConfig) float64 { return l.Padding }},
	// MSE of Inverse(Forward(u) + noise) against u on the meaningful inputs;
	// only when its weight is > 0.
	{TermReconstruction, groupInverse, func(l LossConfig) float64 { return l.Reconstruction }},
}

// conditionalLoss is the maximum-likelihood conditional flow's loss:
// mean(½|z|² − log|det J|).
var conditionalLoss = []lossTerm{
	{TermNLL, groupForward, func(LossConfig) float64 { return 1 }},
}

// lossTerms returns the terms a configuration trains on, in the order the
// engines report them.
func lossTerms(c Config) []lossTerm {
	if c.Recipe == Conditional {
		return conditionalLoss
	}
	var out []lossTerm
	for _, t := range bidirectionalLoss {
		if t.name == TermReconstruction && !(c.Loss.Reconstruction > 0) {
			continue
		}
		out = append(out, t)
	}
	return out
}

// termNames returns the names of terms, in order.
func termNames(terms []lossTerm) []string {
	names := make([]string, len(terms))
	for i, t := range terms {
		names[i] = t.name
	}
	return names
}

// weightsFor returns the weight of each of the configuration's terms at an
// epoch; with ramped, the backward MMD's ramp (LossConfig.BackwardRamp) is
// applied.
func weightsFor(c Config, epoch int, ramped bool) map[string]float64 {
	w := map[string]float64{}
	for _, t := range lossTerms(c) {
		w[t.name] = t.weight(c.Loss)
	}
	if _, ok := w[TermBackwardMMD]; ok && ramped && c.Loss.BackwardRamp == "ardizzone" {
		frac := float64(epoch+1) / float64(c.Train.Epochs)
		w[TermBackwardMMD] *= math.Min(1, 2*math.Pow(0.002, 1-frac))
	}
	return w
}

// termMap returns values in terms' order as a map by name.
func termMap(terms []lossTerm, vals []float64) map[string]float64 {
	out := make(map[string]float64, len(terms))
	for i, t := range terms {
		out[t.name] = vals[i]
	}
	return out
}

// forwardPart names, in the graph engine's map of term values, the forward
// part of a groupSplit term.
func forwardPart(name string) string { return name + "_forward" }
