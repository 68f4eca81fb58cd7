// Package layout is the one description of a coupling flow's network that
// both of its engines are built from: the GoMLX graph of package flow
// creates and reads its variables through it, and the plain-Go engine of
// flow/flowgrad reads its flat parameter vector through it.
//
// A Net lists, block by block and subnetwork by subnetwork, every parameter
// tensor with its GoMLX scope and name, its shape and its offset in the flat
// vector, together with the coupling type, the activation, the clamp and the
// permutations. The flat order is the order of the GoMLX variables: blocks in
// order; in each, net1 then net2; in each subnetwork the trunk layers and then
// the heads (for the affine coupling: raw log-scale, then shift); in each
// layer the weights [in, out], row-major, then the bias [out].
//
//	lay, err := layout.New(layout.Spec{Dim: 8, Blocks: 4, Coupling: "affine", Layers: 3, Width: 128,
//		Activation: "leaky_relu", Alpha: 0.01, Clamp: 2})
//	for _, t := range lay.Tensors() {
//		fmt.Println(t.Path(), t.Shape, t.Offset) // flow/block_0/net1/hidden_0/weights [4 128] 0 ...
//	}
package layout

import (
	"fmt"
	"strings"

	"github.com/ozarkinn/inn/innlib/flow/coupling"
	"github.com/ozarkinn/inn/innlib/internal/activation"
)

// Spec sets the size of a network; package flow fills it from flow.Config.
type Spec struct {
	Dim     int // Width D of the flow, >= 2.
	CondDim int // Width of the condition fed to every subnetwork; 0 for none.
	Blocks  int // Coupling blocks, >= 1.
	// Coupling names the blocks' transform in the table of flow/coupling.
	Coupling string
	// Subnetworks: Layers linear layers along any path (the head included,
	// >= 1) with hidden width Width and the activation (a name from the
	// table of internal/activation) with its parameter Alpha after each
	// trunk layer.
	Layers, Width int
	Activation    string
	Alpha         float64
	Clamp         float64 // The coupling's clamp (affine: soft clamp of the log-scales), in (0, MaxClamp].
}

// Tensor is one parameter tensor.
type Tensor struct {
	Index  int      // Position in Net.Tensors().
	Scope  []string // GoMLX scope below the network's context, e.g. flow, block_0, net1, hidden_0.
	Name   string   // GoMLX variable name: "weights" or "bias".
	Shape  []int    // [in, out] for weights, [out] for a bias.
	Offset int      // Position of its first value in the flat vector (row-major).
}

// Size returns the number of values.
func (t Tensor) Size() int {
	n := 1
	for _, d := range t.Shape {
		n *= d
	}
	return n
}

// Path returns the scope and name joined by "/".
func (t Tensor) Path() string {
	return strings.Join(append(append([]string(nil), t.Scope...), t.Name), "/")
}

// Dense is one fully connected layer, x·W + B.
type Dense struct {
	In, Out int
	W, B    Tensor
}

// Subnet is one subnetwork: a trunk of dense layers, each followed by the
// activation, and linear heads on the trunk's output.
type Subnet struct {
	In    int     // Input width: half width plus CondDim.
	Trunk []Dense // Layers-1 layers of Width units.
	// Heads, as many as the coupling takes, each of the width of the half
	// it transforms (affine: the raw log-scale, then the shift).
	Heads []Dense
}

// Block is one coupling block on the halves u1 (D1 columns) and u2 (D2),
// with f the coupling's transform and c the condition:
//
//	v1 = f(u1; Net2(u2, c))
//	v2 = f(u2; Net1(v1, c))
//
// followed by a permutation of the columns of [v1, v2].
type Block struct {
	D1, D2     int
	Net1, Net2 Subnet
	Perm       []int // Output column j is column Perm[j] of [v1, v2].
}

// Net is the whole network. Treat it as read-only: WithPerms returns a copy.
type Net struct {
	Dim, CondDim int
	Coupling     string
	Activation   string
	Alpha        float64
	Clamp        float64
	Blocks       []Block
	NumParams    int // Length of the flat vector.
	tensors      []Tensor
}

// New lays out the network of spec with identity permutations (see WithPerms).
func New(s Spec) (*Net, error) {
	if err := s.validate(); err != nil {
		return nil, err
	}
	cp, err := coupling.Lookup(s.Coupling)
	if err != nil {
		return nil, fmt.Errorf("flow: %w", err)
	}
	n := &Net{Dim: s.Dim, CondDim: s.CondDim, Coupling: s.Coupling, Activation: s.Activation, Alpha: s.Alpha, Clamp: s.Clamp}
	d1 := s.Dim / 2
	d2 := s.Dim - d1
	identity := make([]int, s.Dim)
	for j := range identity {
		identity[j] = j
	}
	for i := 0; i < s.Blocks; i++ {
		scope := []string{"flow", fmt.Sprintf("block_%d", i)}
		b := Block{D1: d1, D2: d2, Perm: identity}
		b.Net1 = n.subnet(append(scope, "net1"), d1+s.CondDim, d2, cp.Heads, s)
		b.Net2 = n.subnet(append(scope, "net2"), d2+s.CondDim, d1, cp.Heads, s)
		n.Blocks = append(n.Blocks, b)
	}
	return n, nil
}

// subnet lays out one subnetwork with input width in and heads heads of
// width out from the end of the flat vector.
func (n *Net) subnet(scope []string, in, out, heads int, s Spec) Subnet {
	add := func(layer, name string, shape ...int) Tensor {
		t := Tensor{Index: len(n.tensors), Scope: append(append([]string(nil), scope...), layer),
			Name: name, Shape: shape, Offset: n.NumParams}
		n.NumParams += t.Size()
		n.tensors = append(n.tensors, t)
		return t
	}
	dense := func(name string, in, out int) Dense {
		return Dense{In: in, Out: out, W: add(name, "weights", in, out), B: add(name, "bias", out)}
	}
	sub := Subnet{In: in}
	for i := 0; i < s.Layers-1; i++ {
		sub.Trunk = append(sub.Trunk, dense(fmt.Sprintf("hidden_%d", i), in, s.Width))
		in = s.Width
	}
	for i := 0; i < heads; i++ {
		sub.Heads = append(sub.Heads, dense(fmt.Sprintf("head_%d", i), in, out))
	}
	return sub
}

// MaxClamp bounds the coupling's clamp: a block scales by at most exp(±clamp),
// and beyond exp(20) a few blocks overflow float32. FrEIA's default is 2.
const MaxClamp = 20.0

func (s Spec) validate() error {
	switch {
	case s.Dim < 2:
		return fmt.Errorf("flow: width %d, want >= 2 (a coupling block splits its input in two)", s.Dim)
	case s.CondDim < 0:
		return fmt.Errorf("flow: condition width %d, want >= 0", s.CondDim)
	case s.Blocks < 1:
		return fmt.Errorf("flow: %d blocks, want >= 1", s.Blocks)
	case !(s.Clamp > 0 && s.Clamp <= MaxClamp):
		return fmt.Errorf("flow: clamp %g, want in (0, %g]", s.Clamp, MaxClamp)
	case s.Layers < 1:
		return fmt.Errorf("flow: subnetworks of %d layers, want >= 1", s.Layers)
	case s.Width < 1:
		return fmt.Errorf("flow: subnetwork width %d, want >= 1", s.Width)
	}
	if _, err := activation.Lookup(s.Activation); err != nil {
		return fmt.Errorf("flow: %w", err)
	}
	return nil
}

// Tensors returns every parameter tensor in flat order.
func (n *Net) Tensors() []Tensor { return n.tensors }

// Perms returns the permutations, one per block.
func (n *Net) Perms() [][]int {
	perms := make([][]int, len(n.Blocks))
	for i, b := range n.Blocks {
		perms[i] = b.Perm
	}
	return perms
}

// WithPerms returns a copy of n with permutation perms[i] after block i,
// after checking that each is a permutation of 0..Dim-1.
func (n *Net) WithPerms(perms [][]int) (*Net, error) {
	if len(perms) != len(n.Blocks) {
		return nil, fmt.Errorf("flow: %d permutations for %d blocks", len(perms), len(n.Blocks))
	}
	c := *n
	c.Blocks = append([]Block(nil), n.Blocks...)
	for i, p := range perms {
		if err := checkPerm(p, n.Dim); err != nil {
			return nil, fmt.Errorf("flow: permutation %d: %w", i, err)
		}
		c.Blocks[i].Perm = append([]int(nil), p...)
	}
	return &c, nil
}

func checkPerm(p []int, d int) error {
	if len(p) != d {
		return fmt.Errorf("%d entries, want %d", len(p), d)
	}
	seen := make([]bool, d)
	for _, v := range p {
		if v < 0 || v >= d || seen[v] {
			return fmt.Errorf("%v is not a permutation of 0..%d", p, d-1)
		}
		seen[v] = true
	}
	return nil
}
