package coupling

import (
	"github.com/gomlx/gomlx/pkg/core/graph"

	"github.com/ozarkinn/inn/innlib/internal/fastmath"
)

// Affine is the GLOW / RealNVP coupling y = x ⊙ exp(s) + t, with heads ŝ and
// t and the log-scale soft-clamped, s = c·tanh(ŝ/c), which keeps exp(s)
// bounded; log|det| is Σ s. It keeps s for the backward passes. The plain-Go
// maps take the clamp's tanh and the exponentials from package fastmath
// (float32, 8 lanes at a time with AVX2) and sum log|det| in float64.
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
		s, t := s[:len(x)], h[1]
		fastmath.SoftClamp(s, h[0], c)
		fastmath.Exp(y, s) // e^s, until the next line
		for i := range y[:len(x)] {
			y[i] = x[i]*y[i] + t[i]
		}
		for r := range len(s) / w {
			ld := logDet[r]
			for _, v := range s[r*w : (r+1)*w] {
				ld += float64(v)
			}
			logDet[r] = ld
		}
	},
	Inverse: func(x, y []float32, h [][]float32, s []float32, c float32) {
		x, s, t := x[:len(y)], s[:len(y)], h[1]
		fastmath.SoftClamp(s, h[0], c)
		for i, v := range s {
			x[i] = -v
		}
		fastmath.Exp(x, x) // e^−s, until the next line
		for i := range x {
			x[i] *= y[i] - t[i]
		}
	},
	Backward: func(d, x, s []float32, dLogDet []float64, w int, c float32, dh [][]float32) {
		ds, dt := dh[0][:len(d)], dh[1]
		fastmath.Exp(ds, s[:len(d)]) // e^s, until overwritten below
		for r := range len(d) / w {
			var dl float32 // the row's gradient with respect to its log-det
			if dLogDet != nil {
				dl = float32(dLogDet[r])
			}
			for i := r * w; i < (r+1)*w; i++ {
				gv, e, q := d[i], ds[i], s[i]/c
				ds[i] = (gv*x[i]*e + dl) * (1 - q*q) // through the clamp: d(c·tanh(ŝ/c))/dŝ = 1 − (s/c)²
				dt[i] = gv
				d[i] = gv * e
			}
		}
	},
	InverseBackward: func(d, x, s []float32, c float32, dh [][]float32) {
		ds, dt := dh[0], dh[1][:len(d)]
		for i, v := range s[:len(d)] {
			dt[i] = -v
		}
		fastmath.Exp(dt, dt) // e^−s, until overwritten below
		for i, gv := range d {
			f, q := dt[i], s[i]/c
			ds[i] = -gv * x[i] * (1 - q*q)
			dt[i] = -gv * f
			d[i] = gv * f
		}
	},
}

func softClamp(s *graph.Node, c float64) *graph.Node {
	return graph.MulScalar(graph.Tanh(graph.MulScalar(s, 1/c)), c)
}
