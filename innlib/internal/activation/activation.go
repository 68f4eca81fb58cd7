// Package activation is the one table of the subnetworks' activation
// functions. Each entry gives the function as a GoMLX graph (package dense,
// and through it package flow; GoMLX differentiates it) and in plain Go with
// its derivative (the native engine of flow/flowgrad and dense.Fast), so a
// new activation is one entry in table and nothing else: configurations
// accept its name, both engines evaluate it, and the cross-engine tests of
// package flow compare them once it is added to their list.
package activation

import (
	"fmt"
	"math"
	"strings"

	"github.com/gomlx/gomlx/pkg/core/graph"

	"github.com/ozarkinn/inn/innlib/internal/fastmath"
)

// Func is one activation function f. Alpha is the configuration's
// parameter (dense.MLPConfig.Alpha, the leaky-ReLU slope); functions without
// one ignore it.
type Func struct {
	Name string
	// Graph returns f(x) in a GoMLX graph.
	Graph func(x *graph.Node, alpha float64) *graph.Node
	// Forward writes f(z) to h and leaves in z what Deriv needs (z itself,
	// or for SiLU σ(z)). h may be z itself when no derivative follows
	// (inference): then z ends holding f(z).
	Forward func(h, z []float32, alpha float32)
	// Deriv multiplies dh by f'(z) in place, from what Forward left in z and h.
	Deriv func(dh, z, h []float32, alpha float32)
	// Slope, for a piecewise-linear f(z) = z (z ≥ 0), s·z (z < 0), returns s.
	// The gemm kernels then fuse f into the matrix product (inference).
	// Nil for other functions.
	Slope func(alpha float32) float32
}

// Default is the activation of a configuration that names none.
const Default = "leaky_relu"

// table holds every activation.
var table = []Func{
	{
		Name: "leaky_relu",
		// max(x, αx), as the native Forward.
		Graph: func(x *graph.Node, alpha float64) *graph.Node { return graph.Max(x, graph.MulScalar(x, alpha)) },
		Forward: func(h, z []float32, a float32) {
			for i, v := range z {
				h[i] = max(v, a*v)
			}
		},
		Deriv: func(dh, z, _ []float32, a float32) {
			// By the sign bit of z (fastmath.ScaleBySign): the signs are
			// random, and a branch on them made this a fifth of a step.
			if a > 1 { // max(z, αz) is αz for z > 0
				fastmath.ScaleBySign(dh, z, a, 1)
			} else {
				fastmath.ScaleBySign(dh, z, 1, a)
			}
		},
		Slope: func(a float32) float32 { return a },
	},
	{
		Name: "relu",
		Graph: func(x *graph.Node, _ float64) *graph.Node {
			return graph.Max(x, graph.ScalarZero(x.Graph(), x.DType()))
		},
		Forward: func(h, z []float32, _ float32) {
			for i, v := range z {
				h[i] = max(v, 0)
			}
		},
		Deriv: func(dh, z, _ []float32, _ float32) {
			for i, v := range z {
				if v <= 0 {
					dh[i] = 0
				}
			}
		},
		Slope: func(float32) float32 { return 0 },
	},
	{
		Name:  "tanh",
		Graph: func(x *graph.Node, _ float64) *graph.Node { return graph.Tanh(x) },
		Forward: func(h, z []float32, _ float32) {
			for i, v := range z {
				h[i] = float32(math.Tanh(float64(v)))
			}
		},
		Deriv: func(dh, _, h []float32, _ float32) {
			for i, v := range h[:len(dh)] {
				dh[i] *= 1 - v*v
			}
		},
	},
	{
		Name:  "silu",
		Graph: func(x *graph.Node, _ float64) *graph.Node { return graph.Mul(x, graph.Sigmoid(x)) },
		// z becomes σ(z): with h = z·σ(z) the derivative is σ + h·(1 − σ),
		// which spares the backward pass an exponential per unit.
		Forward: func(h, z []float32, _ float32) {
			if len(z) > 0 && &h[0] == &z[0] {
				fastmath.SiLU(h, nil, z)
				return
			}
			fastmath.SiLU(h, z, z)
		},
		Deriv: func(dh, z, h []float32, _ float32) { fastmath.SiLUDeriv(dh[:len(z)], z, h) },
	},
}

// Lookup returns the activation called name.
func Lookup(name string) (*Func, error) {
	for i := range table {
		if table[i].Name == name {
			return &table[i], nil
		}
	}
	return nil, fmt.Errorf("unknown activation %q (want %s)", name, strings.Join(Names(), ", "))
}

// Names lists the activations.
func Names() []string {
	names := make([]string, len(table))
	for i, f := range table {
		names[i] = f.Name
	}
	return names
}
