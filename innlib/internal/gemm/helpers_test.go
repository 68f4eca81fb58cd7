package gemm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// kinds returns the kernels this CPU can run: the pure-Go one always, the
// assembly one where AVX2 and FMA are present.
func kinds(t testing.TB) []kernelKind {
	ks := []kernelKind{kernelGo}
	if hasAVX2 {
		ks = append(ks, kernelAVX2)
	} else {
		t.Log("no AVX2+FMA (or a purego/non-amd64 build): the assembly kernels are not tested")
	}
	if hasAVX512 {
		ks = append(ks, kernelAVX512)
	} else if hasAVX2 {
		t.Log("no AVX-512F: the ZMM kernel is not tested")
	}
	return ks
}

// randMatrix returns a rows×cols matrix with row stride ld, entries uniform in
// [-1, 1); the padding between rows is random too, so that reading it shows.
func randMatrix(rng *rand.Rand, rows, cols, ld int) []float32 {
	if rows == 0 || cols == 0 {
		return make([]float32, rng.IntN(3))
	}
	x := make([]float32, (rows-1)*ld+cols)
	for i := range x {
		x[i] = float32(2*rng.Float64() - 1)
	}
	return x
}

// product describes one call; want computes its exact result in float64.
type product struct {
	m, n, k       int
	a, b, c0      []float32
	lda, ldb, ldc int
	accumulate    bool
	bias          []float32 // nil: none
	act           bool
	alpha         float32
}

func (p *product) String() string {
	return fmt.Sprintf("m=%d n=%d k=%d lda=%d ldb=%d ldc=%d acc=%v bias=%v act=%v alpha=%g",
		p.m, p.n, p.k, p.lda, p.ldb, p.ldc, p.accumulate, p.bias != nil, p.act, p.alpha)
}

// newProduct makes random operands; pad adds up to pad unused floats to each
// leading dimension.
func newProduct(rng *rand.Rand, m, n, k, pad int, accumulate bool) *product {
	p := &product{m: m, n: n, k: k, accumulate: accumulate}
	p.lda = max(k, 1) + rng.IntN(pad+1)
	p.ldb = max(n, 1) + rng.IntN(pad+1)
	p.ldc = max(n, 1) + rng.IntN(pad+1)
	p.a = randMatrix(rng, m, k, p.lda)
	p.b = randMatrix(rng, k, n, p.ldb)
	p.c0 = randMatrix(rng, m, n, p.ldc)
	return p
}

// want returns the exact result and, per element, the scale of its rounding
// error: Σ|a||b| + |c0| + |bias| (times |alpha| where the ReLU scales it).
func (p *product) want() (want, scale []float64) {
	want = make([]float64, p.m*p.n)
	scale = make([]float64, p.m*p.n)
	for i := 0; i < p.m; i++ {
		for j := 0; j < p.n; j++ {
			var s, abs float64
			for q := 0; q < p.k; q++ {
				x := float64(p.a[i*p.lda+q]) * float64(p.b[q*p.ldb+j])
				s += x
				abs += math.Abs(x)
			}
			if p.bias != nil {
				s += float64(p.bias[j])
				abs += math.Abs(float64(p.bias[j]))
			}
			if p.accumulate {
				s += float64(p.c0[i*p.ldc+j])
				abs += math.Abs(float64(p.c0[i*p.ldc+j]))
			}
			if p.act && s < 0 {
				s *= float64(p.alpha)
				abs *= math.Abs(float64(p.alpha))
			}
			want[i*p.n+j], scale[i*p.n+j] = s, abs
		}
	}
	return want, scale
}

// tolerance bounds the relative error of a length-k float32 dot product
// summed in order, plus a bias, an old C and the ReLU's multiply: each of the
// k+3 roundings contributes at most u = 2⁻²⁴ of the running |terms| (Higham,
// Accuracy and Stability, §3.1: |error| ≤ γ_{k+3} Σ|aᵢbᵢ|, γ_n ≈ n·u). One more
// u covers the γ_n = nu/(1-nu) correction and the float64 reference.
func tolerance(k int) float64 { return float64(k+4) * 0x1p-24 }

// check compares got with the exact result and checks that C's padding, and
// its rows when m×n is empty, kept their old values.
func (p *product) check(t *testing.T, label string, got []float32) {
	t.Helper()
	want, scale := p.want()
	tol := tolerance(p.k)
	bad := 0
	for i := range got {
		r, j := i/p.ldc, i%p.ldc
		if r >= p.m || j >= p.n || p.m == 0 || p.n == 0 {
			if math.Float32bits(got[i]) != math.Float32bits(p.c0[i]) {
				t.Errorf("%s %v: C[%d] outside the %d×%d window changed: %g → %g", label, p, i, p.m, p.n, p.c0[i], got[i])
				return
			}
			continue
		}
		w, s := want[r*p.n+j], scale[r*p.n+j]
		if d := math.Abs(float64(got[i]) - w); !(d <= tol*s) {
			if bad++; bad <= 3 {
				t.Errorf("%s %v: C[%d,%d] = %g, want %g (|diff| %.3g > %.3g)", label, p, r, j, got[i], w, d, tol*s)
			}
		}
	}
}

// run computes p with kernel kind, through MatMul (packed = false) or through
// Pack and MulTo, and returns the resulting C.
func (p *product) run(kind kernelKind, packed bool) []float32 {
	c := append([]float32(nil), p.c0...)
	if packed {
		Pack(p.b, p.k, p.n, p.ldb).mulTo(kind, c, p.ldc, p.a, p.lda, p.m, p.accumulate)
	} else {
		matMul(kind, p.m, p.n, p.k, p.a, p.lda, p.b, p.ldb, c, p.ldc, p.accumulate)
	}
	return c
}

// withThreads runs f with SetMaxThreads(n) in force.
func withThreads(n int, f func()) {
	old := SetMaxThreads(n)
	defer SetMaxThreads(old)
	f()
}
