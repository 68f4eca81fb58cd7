package layout

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

var spec = Spec{Dim: 5, CondDim: 2, Blocks: 2, Coupling: "affine", Layers: 3, Width: 4, Activation: "tanh", Alpha: 0.01, Clamp: 2}

// TestTensorsTileTheVector: the tensors follow one another in the flat
// vector without gaps or overlaps, in the documented order, with the shapes
// of each subnetwork's layers, and the blocks' layers point at them.
func TestTensorsTileTheVector(t *testing.T) {
	n, err := New(spec)
	if err != nil {
		t.Fatal(err)
	}
	off := 0
	var paths []string
	for i, tt := range n.Tensors() {
		if tt.Index != i || tt.Offset != off {
			t.Fatalf("tensor %d (%s): index %d, offset %d, want %d and %d", i, tt.Path(), tt.Index, tt.Offset, i, off)
		}
		off += tt.Size()
		paths = append(paths, fmt.Sprint(tt.Path(), tt.Shape))
	}
	if off != n.NumParams {
		t.Fatalf("tensors cover %d values, NumParams %d", off, n.NumParams)
	}
	// Block 0, net1: input v1 (2) + condition (2), heads of width 3.
	want := []string{
		"flow/block_0/net1/hidden_0/weights[4 4]", "flow/block_0/net1/hidden_0/bias[4]",
		"flow/block_0/net1/hidden_1/weights[4 4]", "flow/block_0/net1/hidden_1/bias[4]",
		"flow/block_0/net1/head_0/weights[4 3]", "flow/block_0/net1/head_0/bias[3]",
		"flow/block_0/net1/head_1/weights[4 3]", "flow/block_0/net1/head_1/bias[3]",
		"flow/block_0/net2/hidden_0/weights[5 4]", "flow/block_0/net2/hidden_0/bias[4]",
	}
	if got := strings.Join(paths[:len(want)], " "); got != strings.Join(want, " ") {
		t.Fatalf("tensors\n%s\nwant\n%s", got, strings.Join(want, " "))
	}
	if len(paths) != 2*2*8 {
		t.Fatalf("%d tensors, want 32", len(paths))
	}
	for _, b := range n.Blocks {
		for _, sub := range []Subnet{b.Net1, b.Net2} {
			for _, d := range append(append([]Dense(nil), sub.Trunk...), sub.Heads...) {
				w, bias := n.Tensors()[d.W.Index], n.Tensors()[d.B.Index]
				if w.Offset != d.W.Offset || bias.Offset != d.B.Offset || w.Shape[0] != d.In || w.Shape[1] != d.Out || bias.Shape[0] != d.Out {
					t.Fatalf("layer %s (%d→%d) does not match its tensors %v %v", d.W.Path(), d.In, d.Out, w, bias)
				}
			}
		}
	}
}

func TestWithPerms(t *testing.T) {
	n, err := New(spec)
	if err != nil {
		t.Fatal(err)
	}
	perms := [][]int{{4, 3, 2, 1, 0}, {1, 0, 2, 3, 4}}
	m, err := n.WithPerms(perms)
	if err != nil {
		t.Fatal(err)
	}
	perms[0][0] = 0 // WithPerms copies
	if m.Perms()[0][0] != 4 || n.Perms()[0][0] != 0 {
		t.Fatalf("perms after WithPerms: new %v, old %v", m.Perms(), n.Perms())
	}
	for _, bad := range [][][]int{{{0, 1, 2, 3, 4}}, {{0, 1, 2, 3, 4}, {0, 0, 2, 3, 4}}, {{0, 1, 2, 3}, {0, 1, 2, 3, 4}}, {{0, 1, 2, 3, 5}, {0, 1, 2, 3, 4}}} {
		if _, err := n.WithPerms(bad); err == nil {
			t.Errorf("WithPerms(%v): want an error", bad)
		}
	}
}

func TestSpecErrors(t *testing.T) {
	for _, mod := range []func(*Spec){
		func(s *Spec) { s.Dim = 1 },
		func(s *Spec) { s.CondDim = -1 },
		func(s *Spec) { s.Blocks = 0 },
		func(s *Spec) { s.Layers = 0 },
		func(s *Spec) { s.Width = 0 },
		func(s *Spec) { s.Clamp = 0 },
		func(s *Spec) { s.Clamp = math.NaN() },
		func(s *Spec) { s.Clamp = math.Inf(1) },
		func(s *Spec) { s.Clamp = 1e300 },
		func(s *Spec) { s.Activation = "swish" },
		func(s *Spec) { s.Coupling = "spline" },
	} {
		s := spec
		mod(&s)
		if _, err := New(s); err == nil {
			t.Errorf("New(%+v): want an error", s)
		}
	}
}
