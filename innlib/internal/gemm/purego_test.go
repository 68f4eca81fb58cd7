//go:build purego

package gemm

import "testing"

// TestPuregoUsesGoKernel: -tags purego must leave the assembly out, so that
// CI on an AVX machine still runs the kernel that non-amd64 CPUs get.
func TestPuregoUsesGoKernel(t *testing.T) {
	if k := Kernel(); k != "go" || hasAVX2 || hasAVX512 {
		t.Errorf("purego build: Kernel() = %q, hasAVX2 %v, hasAVX512 %v; want the pure-Go kernel only", k, hasAVX2, hasAVX512)
	}
}
