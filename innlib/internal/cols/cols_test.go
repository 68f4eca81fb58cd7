package cols

import (
	"slices"
	"testing"
)

func TestSplitAndJoinPermuted(t *testing.T) {
	x := []float32{1, 2, 3, 4, 5, 6, 7, 8, 9, 10} // 2 rows × 5
	a, b := make([]float32, 4), make([]float32, 6)
	Split(x, a, b, 2, 2, 3)
	if !slices.Equal(a, []float32{1, 2, 6, 7}) || !slices.Equal(b, []float32{3, 4, 5, 8, 9, 10}) {
		t.Fatalf("Split: a %v, b %v", a, b)
	}
	out := make([]float32, 10)
	JoinPermuted(out, a, b, 2, 2, 3, []int{4, 0, 2, 1, 3})
	if want := []float32{5, 1, 3, 2, 4, 10, 6, 8, 7, 9}; !slices.Equal(out, want) {
		t.Fatalf("JoinPermuted: %v, want %v", out, want)
	}
}
