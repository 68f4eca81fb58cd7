package gemm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// Sizes around every tile boundary: 6-row tiles, 8- and 16-column panels.
var (
	edgeM = []int{1, 2, 3, 4, 5, 6, 7, 11, 12, 13, 31}
	edgeN = []int{1, 2, 3, 7, 8, 9, 15, 16, 17, 24, 25, 31, 32, 33, 129}
	edgeK = []int{0, 1, 2, 3, 7, 8, 17, 128, 256}
)

func TestMatMulEdgeShapes(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, kind := range kinds(t) {
		for _, m := range edgeM {
			for _, n := range edgeN {
				for _, k := range edgeK {
					acc := rng.IntN(2) == 0
					p := newProduct(rng, m, n, k, 3, acc)
					p.check(t, kind.String()+" MatMul", p.run(kind, false))
					p.check(t, kind.String()+" MulTo", p.run(kind, true))
				}
			}
		}
	}
}

func TestMatMulRandomShapes(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, kind := range kinds(t) {
		for range 150 {
			m, n, k := 1+rng.IntN(200), 1+rng.IntN(256), rng.IntN(257)
			p := newProduct(rng, m, n, k, 20, rng.IntN(2) == 0)
			p.check(t, kind.String(), p.run(kind, rng.IntN(2) == 0))
		}
	}
}

// TestLargeM covers the row blocking and the split over goroutines, and checks
// that the split changes no bit of the result.
func TestLargeM(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, kind := range kinds(t) {
		for _, s := range [][3]int{{10007, 128, 128}, {20011, 8, 9}, {4099, 131, 250}} {
			p := newProduct(rng, s[0], s[1], s[2], 2, true)
			var one, two, three []float32
			withThreads(1, func() { one = p.run(kind, true) })
			withThreads(2, func() { two = p.run(kind, true) })
			withThreads(3, func() { three = p.run(kind, false) })
			p.check(t, kind.String(), two)
			for i := range one {
				if math.Float32bits(one[i]) != math.Float32bits(two[i]) || math.Float32bits(one[i]) != math.Float32bits(three[i]) {
					t.Fatalf("%s %v: C[%d] is %g on one goroutine, %g on two, %g on three", kind, p, i, one[i], two[i], three[i])
				}
			}
		}
	}
}

// TestPackedMatchesUnpacked: reading B in place or packed feeds the kernel the
// same numbers in the same order, so the results agree exactly.
func TestPackedMatchesUnpacked(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, kind := range kinds(t) {
		for range 40 {
			p := newProduct(rng, 1+rng.IntN(50), 1+rng.IntN(70), 1+rng.IntN(70), 9, rng.IntN(2) == 0)
			x, y := p.run(kind, false), p.run(kind, true)
			for i := range x {
				if math.Float32bits(x[i]) != math.Float32bits(y[i]) {
					t.Fatalf("%s %v: MatMul gives C[%d] = %g, MulTo %g", kind, p, i, x[i], y[i])
				}
			}
		}
	}
}

func TestZeroSizes(t *testing.T) {
	for _, kind := range kinds(t) {
		for _, s := range [][3]int{{0, 5, 5}, {5, 0, 5}, {0, 0, 0}, {5, 5, 0}, {7, 17, 0}, {1, 8, 0}} {
			for _, acc := range []bool{false, true} {
				rng := rand.New(rand.NewPCG(11, 12))
				p := newProduct(rng, s[0], s[1], s[2], 2, acc)
				p.check(t, kind.String()+" MatMul", p.run(kind, false))
				p.check(t, kind.String()+" MulTo", p.run(kind, true))
			}
		}
	}
}

func TestDense(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for _, kind := range kinds(t) {
		for _, alpha := range []float32{0, 0.01, 0.2, 1, 1.5, -0.5} {
			for _, s := range [][3]int{{8, 128, 8}, {13, 8, 128}, {7, 12, 5}, {100, 129, 17}, {1, 1, 1}, {6, 33, 0}} {
				for _, withBias := range []bool{false, true} {
					for _, act := range []bool{false, true} {
						p := newProduct(rng, s[0], s[1], s[2], 0, false)
						p.act, p.alpha = act, alpha
						if withBias {
							p.bias = randMatrix(rng, 1, p.n, p.n)
						}
						got := append([]float32(nil), p.c0...)
						dense(kind, got, p.a, p.m, Pack(p.b, p.k, p.n, p.n), p.bias, alpha, act)
						p.check(t, kind.String()+" Dense", got)
						// The weights read in place: the same kernel on the
						// same panel values, so the same bits.
						unp := append([]float32(nil), p.c0...)
						denseUnpacked(kind, unp, p.a, p.m, p.k, p.n, p.b, p.bias, alpha, act)
						for i := range got {
							if math.Float32bits(unp[i]) != math.Float32bits(got[i]) {
								t.Fatalf("%s %v: DenseUnpacked[%d] = %g, Dense %g", kind, p, i, unp[i], got[i])
							}
						}
					}
				}
			}
		}
	}
}

// TestNaNStaysInItsRow: a NaN in one row of A must reach every output of that
// row (through the ReLU too) and no other row.
func TestNaNStaysInItsRow(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	for _, kind := range kinds(t) {
		for _, alpha := range []float32{0.1, 2} {
			m, n, k := 13, 24, 9
			a, b := randMatrix(rng, m, k, k), randMatrix(rng, k, n, n)
			a[4*k+3] = float32(math.NaN())
			out := make([]float32, m*n)
			dense(kind, out, a, m, Pack(b, k, n, n), randMatrix(rng, 1, n, n), alpha, true)
			for i, v := range out {
				if isNaN := v != v; isNaN != (i/n == 4) {
					t.Fatalf("%s alpha=%g: out[%d,%d] = %g", kind, alpha, i/n, i%n, v)
				}
			}
		}
	}
}

func TestBadArgumentsPanic(t *testing.T) {
	a, b, c := make([]float32, 12), make([]float32, 12), make([]float32, 12)
	w := Pack(b, 3, 4, 4)
	for name, f := range map[string]func(){
		"short a":     func() { MatMul(4, 4, 4, a, 4, b, 4, c, 4, false) },
		"short c":     func() { MatMul(3, 5, 2, a, 2, b, 5, c, 5, false) },
		"lda < k":     func() { MatMul(2, 2, 3, a, 2, b, 2, c, 2, false) },
		"ldb < n":     func() { MatMul(2, 3, 2, a, 2, b, 2, c, 3, false) },
		"negative m":  func() { MatMul(-1, 2, 2, a, 2, b, 2, c, 2, false) },
		"Pack short":  func() { Pack(b, 4, 4, 4) },
		"MulTo short": func() { w.MulTo(c, 4, a, 3, 5, false) },
		"Dense bias":  func() { Dense(c, a, 3, w, make([]float32, 3), 0, true) },
		"Dense out":   func() { Dense(c[:11], a, 3, w, nil, 0, false) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

func TestSetMaxThreads(t *testing.T) {
	old := SetMaxThreads(1)
	defer SetMaxThreads(old)
	if got := threadsFor(100000, 128, 128); got != 1 {
		t.Errorf("SetMaxThreads(1): %d goroutines", got)
	}
	SetMaxThreads(4)
	if got := threadsFor(100000, 128, 128); got != 4 {
		t.Errorf("SetMaxThreads(4), big product: %d goroutines", got)
	}
	if got := threadsFor(8, 128, 128); got != 1 {
		t.Errorf("8 rows: %d goroutines", got)
	}
	if prev := SetMaxThreads(0); prev != 4 {
		t.Errorf("SetMaxThreads returned %d, want 4", prev)
	}
}

// TestNoAllocations: a packed product on the calling goroutine allocates
// nothing, so that it can sit in an MCMC inner loop.
func TestNoAllocations(t *testing.T) {
	defer SetMaxThreads(SetMaxThreads(1))
	rng := rand.New(rand.NewPCG(17, 18))
	m, k, n := 8, 128, 130
	a, out := randMatrix(rng, m, k, k), make([]float32, m*n)
	w, bias := Pack(randMatrix(rng, k, n, n), k, n, n), randMatrix(rng, 1, n, n)
	if allocs := testing.AllocsPerRun(20, func() {
		Dense(out, a, m, w, bias, 0.1, true)
		w.MulTo(out, n, a, k, m, true)
	}); allocs != 0 {
		t.Errorf("Dense and MulTo: %v allocations per call", allocs)
	}
}

// TestChooseKernel: KernelEnv caps the kernel at what the CPU has, and a
// value it does not know (or a kernel the CPU lacks) says so.
func TestChooseKernel(t *testing.T) {
	for _, c := range []struct {
		env          string
		avx2, avx512 bool
		want         kernelKind
		warns        bool
	}{
		{"", true, true, kernelAVX512, false},
		{"auto", true, false, kernelAVX2, false},
		{"", false, false, kernelGo, false},
		{"avx2", true, true, kernelAVX2, false},
		{" AVX2 ", true, true, kernelAVX2, false},
		{"go", true, true, kernelGo, false},
		{"avx512", true, true, kernelAVX512, false},
		{"avx512", true, false, kernelAVX2, true},
		{"avx2", false, false, kernelGo, true},
		{"sse", true, true, kernelAVX512, true},
	} {
		got, warn := chooseKernel(c.env, c.avx2, c.avx512)
		if got != c.want || (warn != "") != c.warns {
			t.Errorf("chooseKernel(%q, avx2 %v, avx512 %v) = %s, warning %q; want %s, warning %v",
				c.env, c.avx2, c.avx512, got, warn, c.want, c.warns)
		}
	}
}

// TestKernelEnv runs this test binary again with KernelEnv set and checks
// that Kernel reports the kernel asked for.
func TestKernelEnv(t *testing.T) {
	if os.Getenv("GEMM_TEST_CHILD") != "" {
		fmt.Printf("kernel=%s\n", Kernel())
		return
	}
	for _, env := range []string{"go", "avx2"} {
		want, _ := chooseKernel(env, hasAVX2, hasAVX512)
		cmd := exec.Command(os.Args[0], "-test.run", "^TestKernelEnv$", "-test.v")
		cmd.Env = append(os.Environ(), "GEMM_TEST_CHILD=1", KernelEnv+"="+env)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s=%s: %v\n%s", KernelEnv, env, err, out)
		}
		if !strings.Contains(string(out), "kernel="+want.String()+"\n") {
			t.Errorf("%s=%s: the child reports\n%s\nwant kernel=%s", KernelEnv, env, out, want)
		}
	}
}

// TestMatMulTA: Aᵀ·B read in place equals, bit for bit, the product with an
// explicitly transposed A (the same kernel sums the same values in the same
// order), which TestMatMul checks against the float64 reference, for every
// kernel, with and without accumulating, on one goroutine and several.
func TestMatMulTA(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	for _, kind := range kinds(t) {
		for _, m := range edgeM {
			for _, n := range []int{1, 4, 8, 16, 17, 32, 33, 129} {
				for _, k := range []int{0, 1, 3, 17, 128, 256} {
					for _, acc := range []bool{false, true} {
						lda := m + 3
						a := randMatrix(rng, k, m, lda) // k×m
						at := make([]float32, m*max(k, 1))
						for p := 0; p < k; p++ {
							for i := 0; i < m; i++ {
								at[i*k+p] = a[p*lda+i]
							}
						}
						b := randMatrix(rng, k, n, n)
						c0 := randMatrix(rng, m, n, n)
						want := append([]float32(nil), c0...)
						matMul(kind, m, n, k, at, max(k, 1), b, n, want, n, acc)
						for _, threads := range []int{1, 0} {
							got := append([]float32(nil), c0...)
							withThreads(threads, func() { matMulTA(kind, m, n, k, a, lda, b, n, got, n, acc) })
							for i := range want {
								if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
									t.Fatalf("%s m=%d n=%d k=%d acc=%v threads=%d: C[%d] = %g, want %g", kind, m, n, k, acc, threads, i, got[i], want[i])
								}
							}
						}
					}
				}
			}
		}
	}
	// Big enough to be split over goroutines.
	m, n, k := 128, 128, 512
	a, b := randMatrix(rng, k, m, m), randMatrix(rng, k, n, n)
	p := &product{m: m, n: n, k: k, lda: k, ldb: n, ldc: n, b: b, c0: make([]float32, m*n)}
	p.a = make([]float32, m*k)
	for q := 0; q < k; q++ {
		for i := 0; i < m; i++ {
			p.a[i*k+q] = a[q*m+i]
		}
	}
	for _, kind := range kinds(t) {
		got := make([]float32, m*n)
		matMulTA(kind, m, n, k, a, m, b, n, got, n, false)
		p.check(t, kind.String()+" MatMulTA", got)
	}
}
