package par

import (
	"sync/atomic"
	"testing"
)

// Every index runs exactly once, whatever the number of workers, and each
// worker's scratch is its own (a shared one would see another worker's
// index between the write and the read).
func TestEach(t *testing.T) {
	for _, n := range []int{0, 1, 7, 1000} {
		for _, workers := range []int{-1, 0, 1, 2, 8, 2000} {
			runs := make([]atomic.Int32, n)
			var made atomic.Int32
			Each(n, workers, func() *int { made.Add(1); return new(int) }, func(s *int, i int) {
				*s = i
				runs[i].Add(1)
				if *s != i {
					t.Errorf("n %d, %d workers: scratch changed under index %d", n, workers, i)
				}
			})
			for i := range runs {
				if c := runs[i].Load(); c != 1 {
					t.Fatalf("n %d, %d workers: index %d ran %d times", n, workers, i, c)
				}
			}
			if m := int(made.Load()); m > max(1, min(workers, n)) || n > 0 && m < 1 {
				t.Errorf("n %d, %d workers: %d scratches made", n, workers, m)
			}
		}
	}
}
