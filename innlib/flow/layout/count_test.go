package layout

import (
	"runtime"
	"strings"
	"testing"
)

// TestCountMatchesNew: Count's closed form gives New's NumParams and tensor
// count for every combination of small sizes.
func TestCountMatchesNew(t *testing.T) {
	for _, dim := range []int{2, 3, 8, 13} {
		for _, cond := range []int{0, 1, 5} {
			for _, layers := range []int{1, 2, 3, 5} {
				for _, blocks := range []int{1, 4} {
					s := spec
					s.Dim, s.CondDim, s.Layers, s.Blocks, s.Width = dim, cond, layers, blocks, 7
					n, err := New(s)
					if err != nil {
						t.Fatal(err)
					}
					params, tensors, err := Count(s)
					if err != nil || params != n.NumParams || tensors != len(n.Tensors()) {
						t.Fatalf("%+v: Count gives %d values and %d tensors (%v), New %d and %d",
							s, params, tensors, err, n.NumParams, len(n.Tensors()))
					}
				}
			}
		}
	}
}

// TestCountHugeSpecs: sizes a crafted checkpoint header could claim are
// counted (or reported as too large) without allocating.
func TestCountHugeSpecs(t *testing.T) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	s := spec
	s.Blocks = 100_000_000
	params, tensors, err := Count(s)
	if err != nil || tensors != 16*s.Blocks || params < s.Blocks {
		t.Errorf("1e8 blocks: %d values, %d tensors, %v", params, tensors, err)
	}
	for _, c := range []struct {
		name string
		edit func(*Spec)
	}{
		{"width 2e9, 1e9 blocks", func(s *Spec) { s.Dim, s.Blocks = 2_000_000_000, 1_000_000_000 }},
		{"hidden width 4e9", func(s *Spec) { s.Width = 4_000_000_000 }},
		{"1e18 layers", func(s *Spec) { s.Layers = 1_000_000_000_000_000_000 }},
		{"condition width near MaxInt", func(s *Spec) { s.CondDim = 1<<63 - 2 }},
	} {
		s := spec
		c.edit(&s)
		if _, _, err := Count(s); err == nil || !strings.Contains(err.Error(), "too large") {
			t.Errorf("%s: want a 'too large' error, got %v", c.name, err)
		}
	}
	runtime.ReadMemStats(&after)
	if d := after.TotalAlloc - before.TotalAlloc; d > 1<<20 {
		t.Errorf("counting allocated %d bytes", d)
	}
}
