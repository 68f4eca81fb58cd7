package emulator

import (
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// smoothData is y = (sin(3u0) + u1², u0·u2 − u1) on u ~ U(box): a smooth
// nonlinear map an MLP fits to R² > 0.99 with a few hundred points.
func smoothData(rows int, seed uint64) (x, y [][]float64, lo, hi []float64) {
	rng := rand.New(rand.NewPCG(seed, 9))
	lo, hi = []float64{0, 10, -5}, []float64{1, 20, 5}
	for i := 0; i < rows; i++ {
		u := []float64{rng.Float64(), rng.Float64(), rng.Float64()}
		r := make([]float64, 3)
		for j := range r {
			r[j] = lo[j] + u[j]*(hi[j]-lo[j])
		}
		x = append(x, r)
		y = append(y, []float64{math.Sin(3*u[0]) + u[1]*u[1], u[0]*u[2] - u[1]})
	}
	return x, y, lo, hi
}

func r2(obs, pred [][]float64, j int) float64 {
	mean := 0.0
	for _, r := range obs {
		mean += r[j]
	}
	mean /= float64(len(obs))
	var sse, sst float64
	for i := range obs {
		sse += (obs[i][j] - pred[i][j]) * (obs[i][j] - pred[i][j])
		sst += (obs[i][j] - mean) * (obs[i][j] - mean)
	}
	return 1 - sse/sst
}

func TestFitsASmoothFunction(t *testing.T) {
	x, y, lo, hi := smoothData(600, 1)
	xv, yv, _, _ := smoothData(200, 2)
	m, err := Train(x, y, xv, yv, Config{Lo: lo, Hi: hi, Width: 32, Epochs: 150, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	pred, err := m.Predict(xv)
	if err != nil {
		t.Fatal(err)
	}
	for j := 0; j < 2; j++ {
		if got := r2(yv, pred, j); got < 0.99 {
			t.Errorf("output %d: validation R² %.4f, want >= 0.99", j, got)
		}
	}
	// Save/Load gives bit-identical predictions.
	path := filepath.Join(t.TempDir(), "mlp.bin")
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	m2, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	pred2, err := m2.Predict(xv)
	if err != nil {
		t.Fatal(err)
	}
	for i := range pred {
		for j := range pred[i] {
			if pred[i][j] != pred2[i][j] {
				t.Fatalf("prediction [%d][%d] changed after Load: %v vs %v", i, j, pred[i][j], pred2[i][j])
			}
		}
	}
	data, _ := os.ReadFile(path)
	os.WriteFile(path, data[:len(data)-10], 0o644)
	if _, err := Load(path); err == nil || !strings.Contains(err.Error(), "checksum") {
		t.Errorf("truncated file: got %v", err)
	}
}

func TestBadInput(t *testing.T) {
	x, y, lo, hi := smoothData(50, 1)
	bad := [][]float64{{1, 2}}
	if _, err := Train(bad, y[:1], x, y, Config{}); err == nil {
		t.Error("one-row training data with validation of another width: want an error")
	}
	nan := append([][]float64(nil), x...)
	nan[3] = []float64{0.5, math.NaN(), 1}
	if _, err := Train(nan, y, x, y, Config{Epochs: 1}); err == nil || !strings.Contains(err.Error(), "row 3") {
		t.Errorf("NaN: got %v", err)
	}
	if _, err := Train(x, y, x, y, Config{Lo: lo[:2], Hi: hi[:2], Epochs: 1}); err == nil || !strings.Contains(err.Error(), "box") {
		t.Errorf("short box: got %v", err)
	}
	m, err := Train(x, y, x, y, Config{Epochs: 1, Width: 4})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Predict([][]float64{{1, 2}}); err == nil || !strings.Contains(err.Error(), "want 3") {
		t.Errorf("short input: got %v", err)
	}
}

// TestBestFitFindsAKnownOptimum: observing the emulator's own output at a
// point inside the box, BestFit from random starts gets back to a misfit near 0.
func TestBestFitFindsAKnownOptimum(t *testing.T) {
	x, y, lo, hi := smoothData(400, 3)
	m, err := Train(x, y, x[:100], y[:100], Config{Lo: lo, Hi: hi, Width: 32, Epochs: 60, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	target := []float64{0.3, 14, 1.5}
	obs, _ := m.Predict([][]float64{target})
	starts := x[:16]
	fit, err := m.BestFit(obs[0], starts, 300)
	if err != nil {
		t.Fatal(err)
	}
	// The starts misfit by O(1); the optimum is 0 (up to float32 rounding).
	if fit.RMSE > 1e-3 {
		t.Errorf("best-fit RMSE %g at %v, want < 1e-3 (target %v)", fit.RMSE, fit.X, target)
	}
	for j, v := range fit.X {
		if v < lo[j] || v > hi[j] {
			t.Errorf("best fit leaves the box: column %d = %g", j, v)
		}
	}
	// An observation outside the emulator's range: the fit stays in the box.
	far := []float64{obs[0][0] + 100, obs[0][1] - 100}
	fit, err = m.BestFit(far, starts, 50)
	if err != nil {
		t.Fatal(err)
	}
	for j, v := range fit.X {
		if v < lo[j] || v > hi[j] || math.IsNaN(v) {
			t.Errorf("far observation: best fit leaves the box: column %d = %g", j, v)
		}
	}
}

// TestBatchFuncMatchesPredict: the MCMC surrogate gives Predict's numbers and
// allocates nothing per call.
func TestBatchFuncMatchesPredict(t *testing.T) {
	x, y, lo, hi := smoothData(200, 4)
	m, err := Train(x, y, x[:50], y[:50], Config{Lo: lo, Hi: hi, Width: 16, Epochs: 5, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	want, err := m.Predict(x[:8])
	if err != nil {
		t.Fatal(err)
	}
	f, err := m.BatchFunc()
	if err != nil {
		t.Fatal(err)
	}
	flat := make([]float64, 0, 8*3)
	for _, r := range x[:8] {
		flat = append(flat, r...)
	}
	dst := make([]float64, 8*2)
	f(dst, flat)
	for i := range want {
		for j := range want[i] {
			if dst[i*2+j] != want[i][j] {
				t.Fatalf("[%d][%d]: BatchFunc %v, Predict %v", i, j, dst[i*2+j], want[i][j])
			}
		}
	}
	if a := testing.AllocsPerRun(100, func() { f(dst, flat) }); a != 0 {
		t.Errorf("BatchFunc allocates %v times per call, want 0", a)
	}
}
