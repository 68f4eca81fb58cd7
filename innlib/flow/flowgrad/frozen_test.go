package flowgrad

import (
	"math"
	"math/rand/v2"
	"sync"
	"testing"
)

// TestFrozenMatchesNet: inference (packed weights, fused activations, chunks
// on several goroutines) agrees with the training path's Forward, log-det
// and Inverse to float32 rounding, 2e-4·max(1, |value|), over rows that span
// three chunks, for every activation, with and without a condition.
func TestFrozenMatchesNet(t *testing.T) {
	for _, act := range []string{"leaky_relu", "relu", "tanh", "silu"} {
		for _, cond := range []int{0, 2} {
			rng := rand.New(rand.NewPCG(11, uint64(cond)))
			lay := testLayout(t, 5, cond, 3, act, rng)
			n, err := New(lay)
			if err != nil {
				t.Fatal(err)
			}
			p := make([]float32, n.NumParams)
			for i := range p {
				p[i] = float32(0.4 * rng.NormFloat64())
			}
			q := append([]float32(nil), p...)
			f, err := Freeze(lay, q)
			if err != nil {
				t.Fatal(err)
			}
			clear(q) // Freeze keeps a copy
			rows := 2*frozenChunk + 37
			u := randVec(rng, rows*5)
			var c []float32
			if cond > 0 {
				c = randVec(rng, rows*cond)
			}
			var ft, it Tape
			wantV, wantLD := n.Forward(p, &ft, u, c, rows)
			wantU := n.Inverse(p, &it, u, c, rows)
			v, ld, err := f.Forward(u, c, rows)
			if err != nil {
				t.Fatal(err)
			}
			inv, err := f.Inverse(u, c, rows)
			if err != nil {
				t.Fatal(err)
			}
			near := func(what string, i int, got, want float64) {
				t.Helper()
				if math.Abs(got-want) > 2e-4*math.Max(1, math.Abs(want)) {
					t.Fatalf("%s cond %d %s [%d]: frozen %g, net %g", act, cond, what, i, got, want)
				}
			}
			for i := range wantV {
				near("forward", i, float64(v[i]), float64(wantV[i]))
				near("inverse", i, float64(inv[i]), float64(wantU[i]))
			}
			for i := range wantLD {
				near("log det", i, ld[i], wantLD[i])
			}
		}
	}
}

// TestFrozenConcurrent: calls from several goroutines at once give the same
// values as one call alone.
func TestFrozenConcurrent(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 1))
	lay := testLayout(t, 6, 2, 3, "silu", rng)
	p := randVec(rng, lay.NumParams)
	f, err := Freeze(lay, p)
	if err != nil {
		t.Fatal(err)
	}
	const rows = 300
	u, c := randVec(rng, rows*6), randVec(rng, rows*2)
	want, err := f.Inverse(u, c, rows)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := f.Inverse(u, c, rows)
			if err != nil {
				errs <- err.Error()
				return
			}
			for i := range want {
				if got[i] != want[i] {
					errs <- "a concurrent call gave different values"
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatal(e)
	}
}

func TestFrozenErrors(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 1))
	lay := testLayout(t, 4, 2, 2, "tanh", rng)
	if _, err := Freeze(lay, make([]float32, lay.NumParams-1)); err == nil {
		t.Error("Freeze with too few parameters: want an error")
	}
	f, err := Freeze(lay, make([]float32, lay.NumParams))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.Forward(make([]float32, 7), make([]float32, 4), 2); err == nil {
		t.Error("Forward with 7 values for 2 rows of 4: want an error")
	}
	if _, err := f.Inverse(make([]float32, 8), nil, 2); err == nil {
		t.Error("Inverse without the condition: want an error")
	}
	if v, _, err := f.Forward(nil, nil, 0); err != nil || len(v) != 0 {
		t.Errorf("Forward of 0 rows: %v, %v", v, err)
	}
}
