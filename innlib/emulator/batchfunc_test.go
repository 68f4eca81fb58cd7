package emulator

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ozarkinn/inn/innlib/mcmc"
)

// oldEval is batchEval.eval as it was before it used local slices and kept
// small batches on the calling goroutine: the reference the surrogate must
// match bit for bit.
func oldEval(e *MLP, dst, x []float64, rows int) {
	f, err := e.fastNet()
	if err != nil {
		panic(err)
	}
	in, out := make([]float32, rows*e.n), make([]float32, rows*e.m)
	for i := 0; i < rows; i++ {
		for j := 0; j < e.n; j++ {
			in[i*e.n+j] = float32((x[i*e.n+j] - e.xShift[j]) / e.xDiv[j])
		}
	}
	f.Apply([][]float32{out}, in, rows, make([]float32, 2*rows*max(f.Width(), 1)))
	for i := 0; i < rows; i++ {
		for j := 0; j < e.m; j++ {
			dst[i*e.m+j] = float64(out[i*e.m+j])*e.yStd[j] + e.yMean[j]
		}
	}
}

// boxRows draws rows points uniformly in the emulator's box.
func boxRows(e *MLP, rng *rand.Rand, rows int) []float64 {
	lo, hi := e.cfg.Lo, e.cfg.Hi
	x := make([]float64, 0, rows*len(lo))
	for range rows {
		for j := range lo {
			x = append(x, lo[j]+rng.Float64()*(hi[j]-lo[j]))
		}
	}
	return x
}

// TestBatchFuncBitIdentical: BatchFunc gives the old evaluation's outputs bit
// for bit on the default 8-128-128-5 SiLU network, on random in-box batches
// of 1 to 8 rows (one after the other on its buffers) and of 40 rows.
func TestBatchFuncBitIdentical(t *testing.T) {
	e := benchMLP(t)
	f, err := e.BatchFunc()
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(6, 6))
	for it := range 300 {
		rows := 1 + it%8
		if it == 299 {
			rows = 40
		}
		x := boxRows(e, rng, rows)
		want, got := make([]float64, rows*e.m), make([]float64, rows*e.m)
		oldEval(e, want, x, rows)
		f(got, x)
		for i := range want {
			if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
				t.Fatalf("%d rows, value %d: BatchFunc %v, old %v", rows, i, got[i], want[i])
			}
		}
	}
}

// TestBatchFuncChainsIdentical: a short MCMC run gives the same chains on
// BatchFunc as on the old evaluation, bit for bit.
func TestBatchFuncChainsIdentical(t *testing.T) {
	e := benchMLP(t)
	f, err := e.BatchFunc()
	if err != nil {
		t.Fatal(err)
	}
	old := func(dst, x []float64) { oldEval(e, dst, x, len(x)/e.n) }
	cfg := mcmc.DefaultConfig(4)
	cfg.Steps, cfg.BurnIn, cfg.Thin = 1500, 500, 10
	cfg.Lo, cfg.Hi = e.cfg.Lo, e.cfg.Hi
	var runs [2]*mcmc.Result
	for i, model := range []mcmc.Model{old, f} {
		logL, err := mcmc.GaussianLogLikelihood(model, []float64{50, 48, 55, 55, 60}, []float64{1})
		if err != nil {
			t.Fatal(err)
		}
		if runs[i], err = mcmc.Sample(logL, e.n, cfg); err != nil {
			t.Fatal(err)
		}
	}
	a, b := runs[0], runs[1]
	if a.MeanAcceptance <= 0 || len(a.Chain) == 0 {
		t.Fatal("nothing accepted: the test compares nothing")
	}
	for w := range a.Chain {
		for k := range a.Chain[w] {
			if math.Float64bits(a.Chain[w][k]) != math.Float64bits(b.Chain[w][k]) {
				t.Fatalf("walker %d value %d: %v on the old evaluation, %v on BatchFunc", w, k, a.Chain[w][k], b.Chain[w][k])
			}
		}
	}
	for i := range a.LogDensity {
		if math.Float64bits(a.LogDensity[i]) != math.Float64bits(b.LogDensity[i]) {
			t.Fatalf("log-density %d: %v on the old evaluation, %v on BatchFunc", i, a.LogDensity[i], b.LogDensity[i])
		}
	}
}
