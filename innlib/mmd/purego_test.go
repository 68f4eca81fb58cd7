//go:build purego

package mmd

import "testing"

// TestPuregoUsesGoLoop: -tags purego must leave the AVX2 loop out, so that
// CI on an AVX2 machine still runs the loop other CPUs get.
func TestPuregoUsesGoLoop(t *testing.T) {
	a := make([]float32, 3)
	bT := make([]float32, 3*16)
	var sum lanes
	if n := imqVector(a, bT, 16, 0, 2, []float32{1}, &sum, nil); n != 0 {
		t.Errorf("purego build: the vector loop did %d columns, want 0", n)
	}
}
