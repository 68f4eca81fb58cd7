package inn

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ozarkinn/inn/innlib/dense"
	"github.com/ozarkinn/inn/innlib/flow"
	"github.com/ozarkinn/inn/innlib/mcmc"
)

// surrogateModel is a small model shaped like the Ozark INN: 8 parameters
// in a box with the logit map, 5 outputs with modelled noise (flow width 13:
// y, z of 8), 4 blocks of SiLU subnetworks, trained for 3 epochs.
func surrogateModel(t testing.TB) (*Model, []float64, []float64) {
	t.Helper()
	x, y, lo, hi := paperData(300, 4)
	cfg := Config{Flow: flow.Config{Blocks: 4, Subnet: dense.MLPConfig{Layers: 3, Width: 32, Activation: "silu"}},
		Train: TrainConfig{Epochs: 3, BatchSize: 32, Seed: 7}, Lo: lo, Hi: hi, ObsNoise: []float64{0.5}}
	m, err := Train(x, y, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if m.FlowWidth() != 13 {
		t.Fatalf("flow width %d, want 13", m.FlowWidth())
	}
	return m, lo, hi
}

// inBoxRows draws rows points uniformly in [lo, hi], some on its faces.
func inBoxRows(rng *rand.Rand, rows int, lo, hi []float64) []float64 {
	x := make([]float64, 0, rows*len(lo))
	for range rows {
		for j := range lo {
			v := lo[j] + rng.Float64()*(hi[j]-lo[j])
			switch rng.IntN(20) {
			case 0:
				v = lo[j]
			case 1:
				v = hi[j]
			}
			x = append(x, v)
		}
	}
	return x
}

// forwardRows is the old surrogate: Forward on rows of flat x.
func forwardRows(t *testing.T, m *Model, x []float64) []float64 {
	t.Helper()
	n := m.NumParams()
	rows := make([][]float64, len(x)/n)
	for i := range rows {
		rows[i] = x[i*n : (i+1)*n]
	}
	y, err := m.Forward(rows)
	if err != nil {
		t.Fatal(err)
	}
	var out []float64
	for _, r := range y {
		out = append(out, r...)
	}
	return out
}

// TestBatchFuncMatchesForward: BatchFunc gives Forward's outputs bit for bit
// on random in-box half-ensembles of 1 to 8 rows (and 300 rows), with the
// model's own permutations and with a last permutation that takes y from the
// first half only (then BatchFunc skips the last half-coupling), and NaN
// where Forward rejects the input.
func TestBatchFuncMatchesForward(t *testing.T) {
	m, lo, hi := surrogateModel(t)
	for _, tc := range []struct {
		name     string
		lastPerm []int // nil: the model's own
	}{{"trained permutations", nil}, {"y from v1", []int{5, 0, 3, 1, 4, 12, 2, 7, 9, 11, 6, 8, 10}}} {
		if tc.lastPerm != nil {
			perms := m.net.Perms()
			perms[len(perms)-1] = tc.lastPerm
			if err := m.net.SetPerms(perms); err != nil {
				t.Fatal(err)
			}
			m.weightsChanged()
		}
		ff, err := m.fastFlow()
		if err != nil {
			t.Fatal(err)
		}
		b, err := ff.NewBatch(5)
		if err != nil {
			t.Fatal(err)
		}
		if skip := b.Cols() == 5; skip != (tc.lastPerm != nil) {
			t.Fatalf("%s: the last half-coupling is skipped: %v, want %v", tc.name, skip, tc.lastPerm != nil)
		}
		f, err := m.BatchFunc()
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(8, 8))
		for it := range 400 {
			rows := 1 + it%8
			if it == 399 {
				rows = 300
			}
			x := inBoxRows(rng, rows, lo, hi)
			want := forwardRows(t, m, x)
			got := make([]float64, len(want))
			f(got, x)
			for i := range want {
				if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
					t.Fatalf("%s, %d rows, value %d: BatchFunc %v, Forward %v", tc.name, rows, i, got[i], want[i])
				}
			}
		}
		// Forward rejects a row outside the box or not finite: that row is
		// NaN, the others are what they are without it.
		for _, bad := range []float64{math.Nextafter(hi[3], math.Inf(1)), math.NaN(), math.Inf(-1)} {
			x := inBoxRows(rng, 4, lo, hi)
			x[2*8+3] = bad
			dst := make([]float64, 4*5)
			f(dst, x)
			for i, v := range dst {
				if r := i / 5; r == 2 && !math.IsNaN(v) {
					t.Fatalf("%s: x[2][3] = %v: dst[%d] = %v, want NaN", tc.name, bad, i, v)
				}
			}
			want := forwardRows(t, m, append(append([]float64(nil), x[:2*8]...), x[3*8:]...))
			for k, i := range []int{0, 1, 3} {
				for j := range 5 {
					if got := dst[i*5+j]; math.Float64bits(got) != math.Float64bits(want[k*5+j]) {
						t.Fatalf("%s: x[2][3] = %v: row %d output %d = %v, want %v as without row 2", tc.name, bad, i, j, got, want[k*5+j])
					}
				}
			}
		}
	}
}

// TestBatchFuncAllocs: after its first call BatchFunc allocates nothing.
func TestBatchFuncAllocs(t *testing.T) {
	m, lo, hi := surrogateModel(t)
	f, err := m.BatchFunc()
	if err != nil {
		t.Fatal(err)
	}
	x := inBoxRows(rand.New(rand.NewPCG(9, 9)), 8, lo, hi)
	dst := make([]float64, 8*5)
	f(dst, x)
	if a := testing.AllocsPerRun(100, func() { f(dst[:3*5], x[:3*8]); f(dst, x) }); a != 0 {
		t.Errorf("BatchFunc allocates %v times per call, want 0", a)
	}
}

// TestBatchFuncGraph: on GoMLX graphs (INNLIB_INFERENCE=graph) BatchFunc
// goes through Forward.
func TestBatchFuncGraph(t *testing.T) {
	m, lo, hi := surrogateModel(t)
	t.Setenv("INNLIB_INFERENCE", "graph")
	f, err := m.BatchFunc()
	if err != nil {
		t.Fatal(err)
	}
	x := inBoxRows(rand.New(rand.NewPCG(10, 10)), 8, lo, hi)
	want := forwardRows(t, m, x)
	got := make([]float64, len(want))
	f(got, x)
	for i := range want {
		if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
			t.Fatalf("value %d: BatchFunc %v, Forward %v", i, got[i], want[i])
		}
	}
}

// TestBatchFuncConditional: the conditional recipe has no forward model.
func TestBatchFuncConditional(t *testing.T) {
	x, y, _, _ := boxData(100)
	m, err := Train(x, y, tinyConfig(Conditional))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.BatchFunc(); err == nil {
		t.Error("BatchFunc of a conditional flow: no error")
	}
}

// TestBatchFuncChainsIdentical: an MCMC run on BatchFunc gives the chains of
// the same run on Forward, draw for draw and bit for bit (the chains are
// chaotic: one changed bit in an output would change them).
func TestBatchFuncChainsIdentical(t *testing.T) {
	m, lo, hi := surrogateModel(t)
	n, out := m.NumParams(), m.NumOutputs()
	old := func(dst, x []float64) { // the pipeline's surrogate before BatchFunc
		copy(dst, forwardRows(t, m, x)[:len(x)/n*out])
	}
	f, err := m.BatchFunc()
	if err != nil {
		t.Fatal(err)
	}
	obs := forwardRows(t, m, inBoxRows(rand.New(rand.NewPCG(11, 11)), 1, lo, hi))
	cfg := mcmc.DefaultConfig(3)
	cfg.Steps, cfg.BurnIn, cfg.Thin = 1500, 500, 10
	cfg.Lo, cfg.Hi = lo, hi
	var runs [2]*mcmc.Result
	for i, model := range []mcmc.Model{old, f} {
		logL, err := mcmc.GaussianLogLikelihood(model, obs, []float64{0.5})
		if err != nil {
			t.Fatal(err)
		}
		if runs[i], err = mcmc.Sample(logL, n, cfg); err != nil {
			t.Fatal(err)
		}
	}
	a, b := runs[0], runs[1]
	if a.MeanAcceptance <= 0 {
		t.Fatalf("no proposal accepted: the test compares nothing")
	}
	for w := range a.Chain {
		for k := range a.Chain[w] {
			if math.Float64bits(a.Chain[w][k]) != math.Float64bits(b.Chain[w][k]) {
				t.Fatalf("walker %d value %d: %v on Forward, %v on BatchFunc", w, k, a.Chain[w][k], b.Chain[w][k])
			}
		}
	}
	for i := range a.LogDensity {
		if math.Float64bits(a.LogDensity[i]) != math.Float64bits(b.LogDensity[i]) {
			t.Fatalf("log-density %d: %v on Forward, %v on BatchFunc", i, a.LogDensity[i], b.LogDensity[i])
		}
	}
	if a.Evaluations != b.Evaluations || len(a.Chain) == 0 || len(a.LogDensity) == 0 {
		t.Fatalf("evaluations %d and %d, %d chains, %d densities", a.Evaluations, b.Evaluations, len(a.Chain), len(a.LogDensity))
	}
}

// TestBatchFuncConcurrent: BatchFuncs of one model run side by side (the
// pipeline samples its cases concurrently), each giving Forward's numbers.
func TestBatchFuncConcurrent(t *testing.T) {
	m, lo, hi := surrogateModel(t)
	x := inBoxRows(rand.New(rand.NewPCG(12, 12)), 8, lo, hi)
	want := forwardRows(t, m, x)
	errs := make(chan string, 4)
	for range 4 {
		go func() {
			f, err := m.BatchFunc()
			if err != nil {
				errs <- err.Error()
				return
			}
			dst := make([]float64, len(want))
			for range 200 {
				f(dst, x)
				for i := range want {
					if math.Float64bits(dst[i]) != math.Float64bits(want[i]) {
						errs <- "a concurrent BatchFunc differs from Forward"
						return
					}
				}
			}
			errs <- ""
		}()
	}
	for range 4 {
		if e := <-errs; e != "" {
			t.Error(e)
		}
	}
}
