package flowgrad

import (
	"runtime"
	"sync"
)

// shardRows is the fewest rows a shard of a training batch gets. A batch of
// at least twice as many is evaluated in shards on separate goroutines: the
// products of one shard (128×128×128 and smaller) are too small for gemm to
// split with profit, but a whole shard's passes are. The number of shards
// depends on the rows alone, never on GOMAXPROCS, so that results do not
// depend on the machine.
const (
	shardRows = 128
	maxShards = 8
)

// shardsFor returns the number of shards of a batch of rows.
func shardsFor(rows int) int { return min(max(rows/shardRows, 1), maxShards) }

// shardBounds returns the rows [r0, r1) of shard s of k.
func shardBounds(rows, k, s int) (r0, r1 int) { return s * rows / k, (s + 1) * rows / k }

// sharded records a pass of rows on k shard tapes of tape, running
// fn(shardTape, r0, r1) for each shard concurrently.
func (n *Net) sharded(tape *Tape, rows int, cond []float32, k int, fn func(t *Tape, r0, r1 int)) {
	tape.rows, tape.cond, tape.nShards = rows, cond, k
	for len(tape.shards) < k {
		tape.shards = append(tape.shards, Tape{})
	}
	inParallel(k, func(s int) {
		r0, r1 := shardBounds(rows, k, s)
		fn(&tape.shards[s], r0, r1)
	})
}

// backSharded runs a backward pass over the shards of tape: fn(shardTape,
// gs, r0, r1) adds shard s's parameter gradients into gs and returns its
// input gradient, which goes into rows [r0, r1) of the result. Shard 0 adds
// into g itself, the others into zeroed buffers, added into g in shard order
// after all are done.
func (n *Net) backSharded(g []float32, tape *Tape, fn func(t *Tape, gs []float32, r0, r1 int) []float32) []float32 {
	k, rows, D := tape.nShards, tape.rows, n.Dim
	d := grow(&tape.d, rows*D)
	for len(tape.gs) < k {
		tape.gs = append(tape.gs, nil)
	}
	inParallel(k, func(s int) {
		r0, r1 := shardBounds(rows, k, s)
		gs := g
		if s > 0 {
			gs = grow(&tape.gs[s], len(g))
			clear(gs)
		}
		copy(d[r0*D:r1*D], fn(&tape.shards[s], gs, r0, r1))
	})
	for s := 1; s < k; s++ {
		addTo(g, tape.gs[s])
	}
	return d
}

// addTo adds src into dst element by element.
func addTo(dst, src []float32) {
	src = src[:len(dst)]
	for i, v := range src {
		dst[i] += v
	}
}

// inParallel runs fn(0), ..., fn(k-1) on up to GOMAXPROCS goroutines, the
// caller's included, each claiming the next index in turn, so that a helper
// slow to be scheduled (busy cores) leaves its share to the others.
func inParallel(k int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), k)
	if workers <= 1 {
		for i := range k {
			fn(i)
		}
		return
	}
	var (
		mu   sync.Mutex
		next int
		wg   sync.WaitGroup
	)
	claim := func() int {
		mu.Lock()
		defer mu.Unlock()
		next++
		return next - 1
	}
	work := func() {
		for i := claim(); i < k; i = claim() {
			fn(i)
		}
	}
	wg.Add(workers - 1)
	for range workers - 1 {
		go func() {
			defer wg.Done()
			work()
		}()
	}
	work()
	wg.Wait()
}
