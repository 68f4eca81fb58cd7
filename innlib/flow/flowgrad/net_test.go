package flowgrad

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ozarkinn/inn/innlib/flow/layout"
)

// testNet returns a small Net with random permutations and parameters (the
// heads nonzero, unlike a fresh flow, so that every path carries gradient).
func testNet(t *testing.T, dim, cond int, act string, rng *rand.Rand) (*Net, []float32) {
	return testNetLayers(t, dim, cond, 3, act, rng)
}

func testNetLayers(t *testing.T, dim, cond, layers int, act string, rng *rand.Rand) (*Net, []float32) {
	t.Helper()
	n, err := New(testLayout(t, dim, cond, layers, act, rng))
	if err != nil {
		t.Fatal(err)
	}
	p := make([]float32, n.NumParams)
	for i := range p {
		p[i] = float32(0.4 * rng.NormFloat64())
	}
	return n, p
}

// testLayout returns the layout of a 3-block flow with subnetworks of width
// 7 and random permutations.
func testLayout(t *testing.T, dim, cond, layers int, act string, rng *rand.Rand) *layout.Net {
	t.Helper()
	l, err := layout.New(layout.Spec{Dim: dim, CondDim: cond, Blocks: 3, Coupling: "affine", Layers: layers, Width: 7,
		Activation: act, Alpha: 0.1, Clamp: 1.5})
	if err != nil {
		t.Fatal(err)
	}
	perms := make([][]int, len(l.Blocks))
	for i := range perms {
		perms[i] = rng.Perm(dim)
	}
	if l, err = l.WithPerms(perms); err != nil {
		t.Fatal(err)
	}
	return l
}

func randVec(rng *rand.Rand, n int) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = float32(rng.NormFloat64())
	}
	return v
}

// checkGrad compares analytic gradients with central differences of loss
// (computed in float64 from float32 evaluations) on a sample of entries.
func checkGrad(t *testing.T, what string, x []float32, grad []float32, loss func() float64, rng *rand.Rand) {
	t.Helper()
	// Two step sizes: a leaky ReLU's kink between x ± eps spoils one
	// difference now and then, rarely both.
	steps := []float32{2e-3, 5e-4}
	scale := 0.0
	for _, g := range grad {
		scale = math.Max(scale, math.Abs(float64(g)))
	}
	worst := 0.0
	for trial := 0; trial < 40; trial++ {
		i := rng.IntN(len(x))
		best := math.Inf(1)
		for _, eps := range steps {
			old := x[i]
			x[i] = old + eps
			lp := loss()
			x[i] = old - eps
			lm := loss()
			x[i] = old
			fd := (lp - lm) / float64(2*eps)
			best = math.Min(best, math.Abs(fd-float64(grad[i]))/scale)
		}
		worst = math.Max(worst, best)
	}
	// Central differences of a float32 evaluation: truncation O(eps²) plus
	// rounding ~1e-7/eps, both well under 1% of the largest gradient here;
	// a wrong term (a missing factor or sign) is off by far more.
	if worst > 0.01 {
		t.Errorf("%s: largest difference to finite differences is %.3g of the largest gradient", what, worst)
	}
}

func TestForwardBackwardMatchesFiniteDifferences(t *testing.T) {
	for _, tc := range []struct {
		dim, cond, layers int
		act               string
	}{{5, 0, 3, "leaky_relu"}, {6, 3, 3, "tanh"}, {4, 2, 2, "silu"}, {7, 0, 3, "relu"}, {5, 2, 1, "tanh"}} {
		rng := rand.New(rand.NewPCG(1, uint64(tc.dim)))
		n, p := testNetLayers(t, tc.dim, tc.cond, tc.layers, tc.act, rng)
		rows := 6
		u := randVec(rng, rows*tc.dim)
		cond := randVec(rng, rows*tc.cond) // empty without a condition
		wv := randVec(rng, rows*tc.dim)
		wl := make([]float64, rows)
		for i := range wl {
			wl[i] = rng.NormFloat64()
		}
		var tape Tape
		loss := func() float64 {
			v, ld := n.Forward(p, &tape, u, cond, rows)
			s := 0.0
			for i := range v {
				s += float64(wv[i]) * float64(v[i])
			}
			for i := range ld {
				s += wl[i] * ld[i]
			}
			return s
		}
		loss()
		g := make([]float32, n.NumParams)
		du := append([]float32(nil), n.Backward(p, g, &tape, wv, wl)...)
		checkGrad(t, tc.act+" forward: parameters", p, g, loss, rng)
		checkGrad(t, tc.act+" forward: inputs", u, du, loss, rng)
	}
}

func TestInverseBackwardMatchesFiniteDifferences(t *testing.T) {
	for _, tc := range []struct {
		dim, cond int
		act       string
	}{{5, 0, "leaky_relu"}, {6, 3, "tanh"}} {
		rng := rand.New(rand.NewPCG(2, uint64(tc.dim)))
		n, p := testNet(t, tc.dim, tc.cond, tc.act, rng)
		rows := 5
		v := randVec(rng, rows*tc.dim)
		cond := randVec(rng, rows*tc.cond) // empty without a condition
		wu := randVec(rng, rows*tc.dim)
		var tape Tape
		loss := func() float64 {
			u := n.Inverse(p, &tape, v, cond, rows)
			s := 0.0
			for i := range u {
				s += float64(wu[i]) * float64(u[i])
			}
			return s
		}
		loss()
		g := make([]float32, n.NumParams)
		dv := append([]float32(nil), n.InverseBackward(p, g, &tape, wu)...)
		checkGrad(t, tc.act+" inverse: parameters", p, g, loss, rng)
		checkGrad(t, tc.act+" inverse: inputs", v, dv, loss, rng)
	}
}

func TestInverseUndoesForward(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	n, p := testNet(t, 7, 2, "leaky_relu", rng)
	rows := 9
	u := randVec(rng, rows*7)
	cond := randVec(rng, rows*2)
	var ft, it Tape
	v, _ := n.Forward(p, &ft, u, cond, rows)
	back := n.Inverse(p, &it, v, cond, rows)
	for i := range u {
		if d := math.Abs(float64(back[i] - u[i])); d > 1e-4 {
			t.Fatalf("entry %d: inverse gives %g, want %g", i, back[i], u[i])
		}
	}
}

// TestTapeReuseAcrossBatchSizes runs a tape on a large batch and then a
// small one (as training alternates steps and validation): the gradient of
// the small batch must not depend on what the tape held before.
func TestTapeReuseAcrossBatchSizes(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	n, p := testNet(t, 6, 2, "leaky_relu", rng)
	big, small := 11, 4
	u := randVec(rng, big*6)
	cond := randVec(rng, big*2)
	dv := randVec(rng, big*6)
	grad := func(tape *Tape, rows int) []float32 {
		n.Forward(p, tape, u[:rows*6], cond[:rows*2], rows)
		g := make([]float32, n.NumParams)
		n.Backward(p, g, tape, dv[:rows*6], nil)
		return g
	}
	var fresh, reused Tape
	want := grad(&fresh, small)
	grad(&reused, big)
	got := grad(&reused, small)
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("gradient %d: %g after a larger batch on the same tape, %g on a fresh one", i, got[i], want[i])
		}
	}
}

// TestBackwardAfterWeightChange checks that the backward passes see new
// weights after the next Forward or Inverse (the transposed weights are
// cached per step): gradients after an update must equal a fresh Net's.
func TestBackwardAfterWeightChange(t *testing.T) {
	const rows = 5
	n, p := testNet(t, 5, 2, "silu", rand.New(rand.NewPCG(7, 8)))
	fresh, _ := testNet(t, 5, 2, "silu", rand.New(rand.NewPCG(7, 8))) // same permutations
	rng := rand.New(rand.NewPCG(9, 10))
	u, cond, dv := randVec(rng, rows*5), randVec(rng, rows*2), randVec(rng, rows*5)
	grads := func(n *Net, p []float32) (gf, gi []float32) {
		var ft, it Tape
		gf, gi = make([]float32, n.NumParams), make([]float32, n.NumParams)
		n.Forward(p, &ft, u, cond, rows)
		n.Inverse(p, &it, u, cond, rows)
		n.Backward(p, gf, &ft, dv, nil)
		n.InverseBackward(p, gi, &it, dv)
		return gf, gi
	}
	grads(n, p) // fills the cache with the old weights
	for i := range p {
		p[i] += float32(0.3 * rng.NormFloat64())
	}
	gf, gi := grads(n, p)
	wf, wi := grads(fresh, p)
	for i := range gf {
		if gf[i] != wf[i] || gi[i] != wi[i] {
			t.Fatalf("gradient %d after a weight change: %g and %g, a fresh Net gives %g and %g", i, gf[i], gi[i], wf[i], wi[i])
		}
	}
}
