//go:build purego

package fastmath

import "testing"

// TestPuregoUsesGoLoop: -tags purego must leave the AVX2 loop out, so that
// CI on an AVX machine still runs the loop that other CPUs get.
func TestPuregoUsesGoLoop(t *testing.T) {
	x := make([]float32, 64)
	if n := siluVector(make([]float32, 64), nil, x); n != 0 {
		t.Errorf("purego build: the vector loop did %d values, want 0", n)
	}
	if n := siluDerivVector(x, x, x); n != 0 {
		t.Errorf("purego build: the derivative's vector loop did %d values, want 0", n)
	}
	if n := expVector(x, x); n != 0 {
		t.Errorf("purego build: Exp's vector loop did %d values, want 0", n)
	}
	if n := softClampVector(x, x, 1); n != 0 {
		t.Errorf("purego build: SoftClamp's vector loop did %d values, want 0", n)
	}
	if n := scaleBySignVector(x, x, 1, 0.5); n != 0 {
		t.Errorf("purego build: ScaleBySign's vector loop did %d values, want 0", n)
	}
}
