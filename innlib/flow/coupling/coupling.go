// Package coupling is the table of coupling transforms: how a block of
// package flow changes one half x of its input, given the heads its
// subnetwork computed from the other half. Each entry gives the transform
// as a GoMLX graph (package flow's Network) and in plain Go with its
// backward passes (flow/flowgrad), so that a new coupling type is one file
// here (its Type) plus its line in table: flow.Config.Coupling then selects
// it, the layout gives its subnetworks as many heads as it asks for, and both
// engines run it.
package coupling

import (
	"fmt"
	"strings"

	"github.com/gomlx/gomlx/pkg/core/graph"
)

// Type is one coupling transform y = f(x; h) of a half x of width w, with
// heads h (Heads of them, each of width w) from the block's subnetwork and
// the layout's clamp. Plain-Go slices hold rows×w values, row-major; keep
// holds rows×w×Keep values that the forward maps write for the backward
// passes. Outputs (y, Inverse's x, keep, dh) must not overlap inputs: the
// maps may use them as scratch space before writing them.
type Type struct {
	Name  string
	Heads int // Subnetwork heads, each as wide as the half.
	Keep  int // Values kept per unit of the half for the backward passes.

	// Graph returns y and log|det ∂y/∂x| per row ([B]) in a GoMLX graph;
	// GoMLX differentiates it.
	Graph func(x *graph.Node, h []*graph.Node, clamp float64) (y, logDet *graph.Node)
	// GraphInverse returns x from y.
	GraphInverse func(y *graph.Node, h []*graph.Node, clamp float64) *graph.Node

	// Forward writes y and adds log|det ∂y/∂x| of each row to logDet.
	Forward func(y, x []float32, h [][]float32, keep []float32, logDet []float64, w int, clamp float32)
	// Inverse writes x from y.
	Inverse func(x, y []float32, h [][]float32, keep []float32, clamp float32)
	// Backward is the reverse of Forward: given the gradient of the loss
	// with respect to y in d and to each row's log-det in dLogDet (nil for
	// none), it overwrites d with the gradient with respect to x and writes
	// the gradients with respect to the heads into dh. x is Forward's input.
	Backward func(d, x, keep []float32, dLogDet []float64, w int, clamp float32, dh [][]float32)
	// InverseBackward is the reverse of Inverse: it overwrites d (the
	// gradient with respect to x) with the gradient with respect to y and
	// writes the heads' gradients into dh. x is Inverse's output.
	InverseBackward func(d, x, keep []float32, clamp float32, dh [][]float32)
}

// Default is the coupling of a configuration that names none.
const Default = "affine"

// table holds every coupling type.
var table = []*Type{&Affine}

// Lookup returns the coupling type called name.
func Lookup(name string) (*Type, error) {
	for _, t := range table {
		if t.Name == name {
			return t, nil
		}
	}
	names := make([]string, len(table))
	for i, t := range table {
		names[i] = t.Name
	}
	return nil, fmt.Errorf("unknown coupling %q (want %s)", name, strings.Join(names, ", "))
}
