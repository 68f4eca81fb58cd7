//go:build purego

package optim

import "testing"

// TestPuregoUsesGoLoop: -tags purego must leave the AVX2 loop out, so that
// CI on an AVX machine still runs the loop that other CPUs get.
func TestPuregoUsesGoLoop(t *testing.T) {
	p := make([]float32, 64)
	if n := adamVector(p, p, p, p, &adamConsts{}, false); n != 0 {
		t.Errorf("purego build: the vector loop did %d values, want 0", n)
	}
	if hasVector {
		t.Error("purego build: DotSq, AddSq and ProjectSq would use the vector loops")
	}
}
