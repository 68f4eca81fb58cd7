package flowgrad

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ozarkinn/inn/innlib/flow/layout"
)

// TestFrozenFoldsCondition: with the same condition in every row (posterior
// sampling), Frozen folds it into the first layers' biases; Forward, its
// log-det and Inverse agree with the unfolded evaluation to float32
// rounding (the condition's terms are summed before the half's instead of
// after), 2e-5·max(1, |value|), and with Net's to 2e-4.
func TestFrozenFoldsCondition(t *testing.T) {
	for _, act := range []string{"leaky_relu", "silu"} {
		rng := rand.New(rand.NewPCG(31, 1))
		lay := testLayout(t, 8, 5, 3, act, rng)
		n, err := New(lay)
		if err != nil {
			t.Fatal(err)
		}
		p := randVec(rng, n.NumParams)
		for i := range p {
			p[i] *= 0.4
		}
		f, err := Freeze(lay, p)
		if err != nil {
			t.Fatal(err)
		}
		plain, err := Freeze(lay, p)
		if err != nil {
			t.Fatal(err)
		}
		plain.noFold = true
		rows := 2*frozenChunk + 37
		u := randVec(rng, rows*8)
		c1 := randVec(rng, 5)
		c := make([]float32, 0, rows*5)
		for range rows {
			c = append(c, c1...)
		}
		if _, folded := f.evalParams(c, rows); !folded {
			t.Fatal("a condition the same in every row was not folded")
		}
		c[len(c)-1] += 1
		if _, folded := f.evalParams(c, rows); folded {
			t.Fatal("a condition that differs in the last row was folded")
		}
		c[len(c)-1] -= 1
		var ft, it Tape
		netV, netLD := n.Forward(p, &ft, u, c, rows)
		netU := n.Inverse(p, &it, u, c, rows)
		check := func(what string, got, want []float32, tol float64) {
			t.Helper()
			for i := range want {
				if math.Abs(float64(got[i]-want[i])) > tol*math.Max(1, math.Abs(float64(want[i]))) {
					t.Fatalf("%s %s [%d]: folded %g, want %g", act, what, i, got[i], want[i])
				}
			}
		}
		v, ld, err := f.Forward(u, c, rows)
		if err != nil {
			t.Fatal(err)
		}
		pv, pld, err := plain.Forward(u, c, rows)
		if err != nil {
			t.Fatal(err)
		}
		inv, err := f.Inverse(u, c, rows)
		if err != nil {
			t.Fatal(err)
		}
		pinv, err := plain.Inverse(u, c, rows)
		if err != nil {
			t.Fatal(err)
		}
		check("forward vs unfolded", v, pv, 2e-5)
		check("inverse vs unfolded", inv, pinv, 2e-5)
		check("forward vs Net", v, netV, 2e-4)
		check("inverse vs Net", inv, netU, 2e-4)
		for i := range ld {
			if math.Abs(ld[i]-pld[i]) > 2e-5*math.Max(1, math.Abs(pld[i])) || math.Abs(ld[i]-netLD[i]) > 2e-4*math.Max(1, math.Abs(netLD[i])) {
				t.Fatalf("%s log det [%d]: folded %g, unfolded %g, Net %g", act, i, ld[i], pld[i], netLD[i])
			}
		}
	}
}

// TestFrozenFusedHeads: the heads of a subnetwork computed in one product
// give the bits of one product per head when together they fit the
// 8-column kernel (halves of 4, the paper's network), and agree to float32
// rounding when they need the wider one (halves of 6 and 7); products on
// the calling goroutine give the same bits as products split over
// goroutines.
func TestFrozenFusedHeads(t *testing.T) {
	for _, dim := range []int{8, 13} {
		rng := rand.New(rand.NewPCG(32, uint64(dim)))
		l, err := testLayoutWidth(dim, 0, 3, 128, rng)
		if err != nil {
			t.Fatal(err)
		}
		p := randVec(rng, l.NumParams)
		for i := range p {
			p[i] *= 0.1
		}
		f, err := Freeze(l, p)
		if err != nil {
			t.Fatal(err)
		}
		sep, err := Freeze(l, p)
		if err != nil {
			t.Fatal(err)
		}
		sep.w.heads = nil // one product per head
		rows := 3 * frozenChunk
		u := randVec(rng, rows*dim)
		got, err := f.Inverse(u, nil, rows)
		if err != nil {
			t.Fatal(err)
		}
		want, err := sep.Inverse(u, nil, rows)
		if err != nil {
			t.Fatal(err)
		}
		for i := range want {
			d := math.Abs(float64(got[i] - want[i]))
			if dim == 8 && math.Float32bits(got[i]) != math.Float32bits(want[i]) ||
				d > 2e-5*math.Max(1, math.Abs(float64(want[i]))) {
				t.Fatalf("dim %d [%d]: heads in one product %g, one product each %g", dim, i, got[i], want[i])
			}
		}
		// Serial products: chunks on the calling goroutine, one chunk.
		w := f.w
		w.serial = true
		var tape Tape
		tape.reset(1, rows, nil)
		bt := &tape.blocks[0]
		cur := u
		for bi := len(f.net.blocks) - 1; bi >= 0; bi-- {
			cur = f.net.inverseBlock(w, bi, bt, &bt.net1, &bt.net1, cur, nil, rows)
		}
		w.serial = false
		var tape2 Tape
		tape2.reset(1, rows, nil)
		bt = &tape2.blocks[0]
		cur2 := u
		for bi := len(f.net.blocks) - 1; bi >= 0; bi-- {
			cur2 = f.net.inverseBlock(w, bi, bt, &bt.net1, &bt.net1, cur2, nil, rows)
		}
		for i := range cur {
			if math.Float32bits(cur[i]) != math.Float32bits(cur2[i]) {
				t.Fatalf("dim %d [%d]: serial products %g, split %g", dim, i, cur[i], cur2[i])
			}
		}
	}
}

// testLayoutWidth is the paper's network shape: 4 blocks of leaky-ReLU
// subnetworks of the given width, random permutations.
func testLayoutWidth(dim, cond, layers, width int, rng *rand.Rand) (*layout.Net, error) {
	l, err := layout.New(layout.Spec{Dim: dim, CondDim: cond, Blocks: 4, Coupling: "affine", Layers: layers, Width: width,
		Activation: "leaky_relu", Alpha: 0.01, Clamp: 2})
	if err != nil {
		return nil, err
	}
	perms := make([][]int, len(l.Blocks))
	for i := range perms {
		perms[i] = rng.Perm(dim)
	}
	return l.WithPerms(perms)
}
