//go:build unix

package cputime

import "testing"

// TestProcessAdvances burns CPU and checks that the clock moved forward.
func TestProcessAdvances(t *testing.T) {
	t0 := Process()
	x := 1.0
	for i := 0; i < 50_000_000; i++ {
		x = x*1.0000001 + 1e-9
	}
	if d := Process() - t0; d <= 0 {
		t.Fatalf("CPU time did not advance over a busy loop (%v, x=%g)", d, x)
	}
}
