//go:build purego

package fastmath

import "testing"

// -tags purego leaves ScaleBySign's AVX2 loop out too.
func TestPuregoScaleBySignUsesGoLoop(t *testing.T) {
	x := make([]float32, 64)
	if n := scaleBySignVector(x, x, 1, 0.5); n != 0 {
		t.Errorf("purego build: the vector loop did %d values, want 0", n)
	}
}
