// Package sizes multiplies and adds non-negative sizes (element and tensor
// counts) without overflow: a result that does not fit in an int saturates at
// Overflow. Code that sizes a network from untrusted numbers, such as a
// checkpoint's header, counts with these and rejects Overflow before it
// allocates anything.
//
//	n := sizes.Add(sizes.Mul(in, out), out) // a dense layer's weights and bias
//	if n == sizes.Overflow { ... }
package sizes

import "math"

// Overflow is the saturated result of an operation whose true value does not
// fit in an int (math.MaxInt itself, never a real size, also reads as Overflow).
const Overflow = math.MaxInt

// Mul returns a·b, or Overflow when it does not fit (or an operand is
// Overflow). Negative operands count as Overflow: sizes are never negative.
func Mul(a, b int) int {
	switch {
	case a < 0 || b < 0 || a == Overflow || b == Overflow:
		return Overflow
	case a == 0 || b == 0:
		return 0
	case a > Overflow/b:
		return Overflow
	}
	return a * b
}

// Add returns a+b, or Overflow when it does not fit (or an operand is
// Overflow). Negative operands count as Overflow.
func Add(a, b int) int {
	if a < 0 || b < 0 || a > Overflow-b {
		return Overflow
	}
	return a + b
}
