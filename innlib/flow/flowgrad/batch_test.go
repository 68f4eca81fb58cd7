package flowgrad

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ozarkinn/inn/innlib/flow/layout"
)

// batchNet is a 4-block flow of width dim (subnetworks 3 × 32) with random
// weights; lastPerm, when not nil, is the last block's permutation.
func batchNet(t *testing.T, dim int, act string, lastPerm []int, rng *rand.Rand) *Frozen {
	t.Helper()
	l, err := layout.New(layout.Spec{Dim: dim, Blocks: 4, Coupling: "affine", Layers: 3, Width: 32,
		Activation: act, Alpha: 0.01, Clamp: 2})
	if err != nil {
		t.Fatal(err)
	}
	perms := make([][]int, len(l.Blocks))
	for i := range perms {
		perms[i] = rng.Perm(dim)
	}
	if lastPerm != nil {
		perms[len(perms)-1] = lastPerm
	}
	if l, err = l.WithPerms(perms); err != nil {
		t.Fatal(err)
	}
	p := make([]float32, l.NumParams)
	for i := range p {
		p[i] = float32(0.3 * rng.NormFloat64())
	}
	f, err := Freeze(l, p)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// sameBits fails unless the first cols columns of every row of got and want
// ([rows, dim]) are equal bit for bit.
func sameBits(t *testing.T, what string, got, want []float32, rows, dim, cols int) {
	t.Helper()
	for r := range rows {
		for j := range cols {
			g, w := got[r*dim+j], want[r*dim+j]
			if math.Float32bits(g) != math.Float32bits(w) {
				t.Fatalf("%s: row %d column %d: Batch %v (%#x), Frozen.Forward %v (%#x)", what, r, j, g, math.Float32bits(g), w, math.Float32bits(w))
			}
		}
	}
}

// TestBatchMatchesFrozen: Batch.Forward gives Frozen.Forward's outputs bit
// for bit, for row counts from 1 to a half-ensemble and beyond one chunk,
// called one after the other on the same buffers, for a piecewise-linear
// and a smooth activation, with the last half-coupling run or skipped.
func TestBatchMatchesFrozen(t *testing.T) {
	for _, act := range []string{"leaky_relu", "silu"} {
		for _, tc := range []struct {
			name     string
			dim      int
			cols     int
			lastPerm []int
			skip     bool
		}{
			// Width 13 as the Ozark INN: d1 = 6; y (5 columns) from v1 and v2.
			{"mixed", 13, 5, []int{3, 4, 5, 12, 11, 0, 9, 6, 8, 10, 2, 7, 1}, false},
			{"all columns", 13, 13, nil, false},
			// y entirely from v1 (columns 0-5 of [v1, v2]): v2 is skipped.
			{"y from v1", 13, 5, []int{5, 0, 3, 1, 4, 12, 2, 7, 9, 11, 6, 8, 10}, true},
			{"y from v1, width 5", 5, 2, []int{1, 0, 4, 2, 3}, true},
		} {
			rng := rand.New(rand.NewPCG(21, uint64(tc.dim*100+tc.cols)))
			f := batchNet(t, tc.dim, act, tc.lastPerm, rng)
			b, err := f.NewBatch(tc.cols)
			if err != nil {
				t.Fatal(err)
			}
			if b.skipLast != tc.skip {
				t.Fatalf("%s %s: skips the last half-coupling: %v, want %v", act, tc.name, b.skipLast, tc.skip)
			}
			wantCols := tc.dim
			if tc.skip {
				wantCols = tc.cols
			}
			if b.Cols() != wantCols {
				t.Fatalf("%s %s: Cols() = %d, want %d", act, tc.name, b.Cols(), wantCols)
			}
			for _, rows := range []int{8, 1, 3, 7, 8, 2, frozenChunk + 5, 4, 8} {
				u := randVec(rng, rows*tc.dim)
				want, _, err := f.Forward(u, nil, rows)
				if err != nil {
					t.Fatal(err)
				}
				keep := append([]float32(nil), u...)
				got, err := b.Forward(u, rows)
				if err != nil {
					t.Fatal(err)
				}
				sameBits(t, act+" "+tc.name, got, want, rows, tc.dim, b.Cols())
				sameBits(t, act+" "+tc.name+" input", u, keep, rows, tc.dim, tc.dim)
			}
		}
	}
}

// TestBatchAllocs: after its first call a Batch allocates nothing.
func TestBatchAllocs(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	f := batchNet(t, 13, "silu", nil, rng)
	b, err := f.NewBatch(5)
	if err != nil {
		t.Fatal(err)
	}
	u := randVec(rng, 8*13)
	if _, err := b.Forward(u, 8); err != nil {
		t.Fatal(err)
	}
	if a := testing.AllocsPerRun(100, func() { _, _ = b.Forward(u[:5*13], 5); _, _ = b.Forward(u, 8) }); a != 0 {
		t.Errorf("Batch.Forward allocates %v times per call, want 0", a)
	}
}

// TestBatchErrors: bad shapes and flows are errors, not panics.
func TestBatchErrors(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	f := batchNet(t, 5, "leaky_relu", nil, rng)
	for _, c := range []int{0, 6} {
		if _, err := f.NewBatch(c); err == nil {
			t.Errorf("NewBatch(%d) on width 5: no error", c)
		}
	}
	b, err := f.NewBatch(2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Forward(make([]float32, 9), 2); err == nil {
		t.Error("9 values for 2 rows of width 5: no error")
	}
	l, err := testLayoutWidth(4, 2, 2, 8, rng)
	if err != nil {
		t.Fatal(err)
	}
	fc, err := Freeze(l, make([]float32, l.NumParams))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fc.NewBatch(2); err == nil {
		t.Error("NewBatch on a flow with a condition: no error")
	}
}
