// Package par runs the iterations of a loop on several goroutines, for the
// loops whose iterations are independent and write their results by index
// (so that the results do not depend on how many goroutines ran them).
//
//	par.Each(len(rows), runtime.GOMAXPROCS(0), func() []float64 { return make([]float64, d) },
//		func(buf []float64, i int) { out[i] = work(buf, rows[i]) })
package par

import (
	"sync"
	"sync/atomic"
)

// Each runs fn(s, i) for every i in [0, n) on up to workers goroutines, the
// caller's included when workers ≤ 1 (then in order, on the caller alone).
// Each goroutine claims the next index in turn, so one slow to be scheduled
// leaves its share to the others, and has its own scratch s from mk.
func Each[S any](n, workers int, mk func() S, fn func(s S, i int)) {
	workers = min(workers, n)
	if workers <= 1 {
		if n > 0 {
			s := mk()
			for i := 0; i < n; i++ {
				fn(s, i)
			}
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			s := mk()
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				fn(s, i)
			}
		})
	}
	wg.Wait()
}
