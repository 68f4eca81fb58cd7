package sizes

import (
	"math"
	"testing"
)

func TestMulAdd(t *testing.T) {
	for _, c := range []struct {
		a, b, mul, add int
	}{
		{0, 5, 0, 5},
		{3, 4, 12, 7},
		{1 << 31, 1 << 31, 1 << 62, 1 << 32},
		{1 << 32, 1 << 31, Overflow, 1<<32 + 1<<31},
		{math.MaxInt / 2, 2, math.MaxInt - 1, math.MaxInt/2 + 2},
		{math.MaxInt / 2, math.MaxInt/2 + 1, Overflow, Overflow}, // MaxInt itself reads as Overflow
		{math.MaxInt - 1, 1, math.MaxInt - 1, Overflow},
		{math.MaxInt/2 + 1, 2, Overflow, math.MaxInt/2 + 3},
		{Overflow, 0, Overflow, Overflow},
		{Overflow, 1, Overflow, Overflow},
		{-1, 3, Overflow, Overflow},
		{3, -1, Overflow, Overflow},
		{2_000_000_000, 2_000_000_000, 4_000_000_000_000_000_000, 4_000_000_000},
		{4_000_000_000, 4_000_000_000, Overflow, 8_000_000_000},
	} {
		if got := Mul(c.a, c.b); got != c.mul {
			t.Errorf("Mul(%d, %d) = %d, want %d", c.a, c.b, got, c.mul)
		}
		if got := Mul(c.b, c.a); got != c.mul {
			t.Errorf("Mul(%d, %d) = %d, want %d", c.b, c.a, got, c.mul)
		}
		if got := Add(c.a, c.b); got != c.add {
			t.Errorf("Add(%d, %d) = %d, want %d", c.a, c.b, got, c.add)
		}
	}
}
