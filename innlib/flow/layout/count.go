package layout

import (
	"fmt"

	"github.com/ozarkinn/inn/innlib/flow/coupling"
	"github.com/ozarkinn/inn/innlib/internal/sizes"
)

// Count returns the number of values (NumParams) and of tensors the network
// of spec has, as New would lay them out, without allocating anything: a
// reader of untrusted sizes (a checkpoint's header) compares them with its
// payload before it builds the network. Sizes whose counts overflow an int
// are an error.
func Count(s Spec) (params, tensors int, err error) {
	if err := s.validate(); err != nil {
		return 0, 0, err
	}
	cp, err := coupling.Lookup(s.Coupling)
	if err != nil {
		return 0, 0, fmt.Errorf("flow: %w", err)
	}
	d1 := s.Dim / 2
	d2 := s.Dim - d1
	// Mirrors New and subnet: per block net1 (d1+CondDim → d2) and net2 (d2+CondDim → d1).
	subnet := func(in, out int) int {
		n, last := 0, in
		if s.Layers > 1 {
			n = sizes.Add(sizes.Mul(in, s.Width), s.Width)
			hidden := sizes.Add(sizes.Mul(s.Width, s.Width), s.Width)
			n = sizes.Add(n, sizes.Mul(s.Layers-2, hidden))
			last = s.Width
		}
		return sizes.Add(n, sizes.Mul(cp.Heads, sizes.Add(sizes.Mul(last, out), out)))
	}
	block := sizes.Add(subnet(sizes.Add(d1, s.CondDim), d2), subnet(sizes.Add(d2, s.CondDim), d1))
	params = sizes.Mul(s.Blocks, block)
	tensors = sizes.Mul(s.Blocks, sizes.Mul(4, sizes.Add(s.Layers-1, cp.Heads))) // 2 subnets × 2 tensors per layer.
	if params == sizes.Overflow || tensors == sizes.Overflow {
		return 0, 0, fmt.Errorf("flow: a network of %d blocks, width %d, condition width %d and subnetworks of %d layers of %d units is too large to count",
			s.Blocks, s.Dim, s.CondDim, s.Layers, s.Width)
	}
	return params, tensors, nil
}
