package coupling

import (
	"math"

	"github.com/gomlx/gomlx/pkg/core/graph"
)

// Affine is the GLOW / RealNVP coupling y = x ⊙ exp(s) + t, with heads ŝ and
// t and the log-scale soft-clamped, s = c·tanh(ŝ/c), which keeps exp(s)
// bounded; log|det| is Σ s. It keeps s for the backward passes.
var Affine = Type{
	Name: "affine", Heads: 2, Keep: 1,
	Graph: func(x *graph.Node, h []*graph.Node, c float64) (y, logDet *graph.Node) {
		s := softClamp(h[0], c)
		return graph.Add(graph.Mul(x, graph.Exp(s)), h[1]), graph.ReduceSum(s, 1)
	},
	GraphInverse: func(y *graph.Node, h []*graph.Node, c float64) *graph.Node {
		return graph.Mul(graph.Sub(y, h[1]), graph.Exp(graph.Neg(softClamp(h[0], c))))
	},
	Forward: func(y, x []float32, h [][]float32, s []float32, logDet []float64, w int, c float32) {
		clamp(s[:len(x)], h[0], c)
		t := h[1]
		for i := range y[:len(x)] {
			y[i] = x[i]*float32(math.Exp(float64(s[i]))) + t[i]
			logDet[i/w] += float64(s[i])
		}
	},
	Inverse: func(x, y []float32, h [][]float32, s []float32, c float32) {
		clamp(s[:len(y)], h[0], c)
		t := h[1]
		for i := range x[:len(y)] {
			x[i] = (y[i] - t[i]) * float32(math.Exp(-float64(s[i])))
		}
	},
	Backward: func(d, x, s []float32, dLogDet []float64, w int, c float32, dh [][]float32) {
		ds, dt := dh[0], dh[1]
		for i, gv := range d {
			e := float32(math.Exp(float64(s[i])))
			dsv := gv * x[i] * e
			if dLogDet != nil {
				dsv += float32(dLogDet[i/w])
			}
			q := s[i] / c
			ds[i] = dsv * (1 - q*q) // through the clamp: d(c·tanh(ŝ/c))/dŝ = 1 − (s/c)²
			dt[i] = gv
			d[i] = gv * e
		}
	},
	InverseBackward: func(d, x, s []float32, c float32, dh [][]float32) {
		ds, dt := dh[0], dh[1]
		for i, gv := range d {
			f := float32(math.Exp(-float64(s[i])))
			q := s[i] / c
			ds[i] = -gv * x[i] * (1 - q*q)
			dt[i] = -gv * f
			d[i] = gv * f
		}
	},
}

func softClamp(s *graph.Node, c float64) *graph.Node {
	return graph.MulScalar(graph.Tanh(graph.MulScalar(s, 1/c)), c)
}

// clamp writes s = c·tanh(raw/c).
func clamp(s, raw []float32, c float32) {
	for i, v := range raw[:len(s)] {
		s[i] = c * float32(math.Tanh(float64(v/c)))
	}
}
