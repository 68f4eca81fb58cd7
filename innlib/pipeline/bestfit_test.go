package pipeline

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/ozarkinn/inn/innlib/dense"
	"github.com/ozarkinn/inn/innlib/flow"
	"github.com/ozarkinn/inn/innlib/inn"
	"github.com/ozarkinn/inn/innlib/metrics"
)

func TestRunDistances(t *testing.T) {
	lo, hi := []float64{0, 10}, []float64{2, 20}
	// Box-normalised: (0,0), (0.5,0), (0.5,0.4), (1,1).
	runs := [][]float64{{0, 10}, {1, 10}, {1, 14}, {2, 20}}
	// Nearest-neighbour distances: 0.5, 0.4, 0.4, |(0.5,0.6)| = 0.781 → median 0.45.
	if got := runSpacing(runs, lo, hi); math.Abs(got-0.45) > 1e-12 {
		t.Errorf("runSpacing = %g, want 0.45", got)
	}
	// (2, 10) normalises to (1, 0): nearest run is (0.5, 0) at 0.5.
	if got := nearestRunDistance([]float64{2, 10}, runs, lo, hi); math.Abs(got-0.5) > 1e-12 {
		t.Errorf("nearestRunDistance = %g, want 0.5", got)
	}
	if got := nearestRunDistance([]float64{1, 14}, runs, lo, hi); got != 0 {
		t.Errorf("distance to a run itself = %g, want 0", got)
	}
	if got := runSpacing(runs[:1], lo, hi); !math.IsNaN(got) {
		t.Errorf("spacing of one run = %g, want NaN", got)
	}
}

// TestINNBestFit trains a small INN on y = (x0 + x1, x0 − x1) in a box and
// checks that the search lands in the box and beats every start, with an
// RMSE that matches the INN's forward pass at the point it returns.
func TestINNBestFit(t *testing.T) {
	lo, hi := []float64{0, 0}, []float64{1, 2}
	rng := rand.New(rand.NewPCG(3, 4))
	var x, y [][]float64
	for range 300 {
		a, b := rng.Float64(), 2*rng.Float64()
		x, y = append(x, []float64{a, b}), append(y, []float64{a + b, a - b})
	}
	cfg := inn.Config{Lo: lo, Hi: hi, Flow: flow.Config{Blocks: 2, Subnet: dense.MLPConfig{Layers: 2, Width: 32}},
		Train: inn.TrainConfig{Epochs: 30, BatchSize: 32, Seed: 1}}
	m, err := inn.Train(x, y, cfg)
	if err != nil {
		t.Fatal(err)
	}
	obs := []float64{1.1, 0.1} // x = (0.6, 0.5)
	starts := [][]float64{{0.1, 1.8}, {0.9, 0.1}, {0.5, 1}}
	px, err := m.Forward(starts)
	if err != nil {
		t.Fatal(err)
	}
	bx, by, r, err := innBestFit(m, obs, starts, lo, hi)
	if err != nil {
		t.Fatal(err)
	}
	for j, v := range bx {
		if v < lo[j] || v > hi[j] {
			t.Errorf("best fit %v leaves the box", bx)
		}
	}
	for i, p := range px {
		if s, _ := metrics.RMSE(obs, p); r > s {
			t.Errorf("best fit RMSE %g worse than start %d's %g", r, i, s)
		}
	}
	check, _ := m.Forward([][]float64{bx})
	if s, _ := metrics.RMSE(obs, check[0]); math.Abs(s-r) > 1e-9 || math.Abs(by[0]-check[0][0]) > 1e-9 {
		t.Errorf("reported RMSE %g and prediction %v, forward pass gives %g and %v", r, by, s, check[0])
	}
	// The INN is a good emulator of this map after training, so its best fit
	// should nearly reproduce the observation (outputs have sd ≈ 0.65).
	if r > 0.05 {
		t.Errorf("best fit RMSE %g, want below 0.05", r)
	}
}

// TestBestFitStage checks that each case's best fit lies in the box and fits
// at least as well as every start it was searched from, and that the
// near-best fields follow from it.
func TestBestFitStage(t *testing.T) {
	x := toyExperiment(t, "compare")
	if err := x.bestFit(); err != nil {
		t.Fatal(err)
	}
	for i, c := range x.res.Cases {
		bf := c.BestFit
		if bf == nil || bf.RunSpacing == nil || bf.INNFit == nil {
			t.Fatalf("case %s: best fit %+v", c.Name, bf)
		}
		checkInBox(t, c.Name+" best fit", bf.X, x.in.Train)
		pred, err := x.models.MLP.Predict(x.bestStarts(i))
		if err != nil {
			t.Fatal(err)
		}
		for k, p := range pred {
			if r, _ := metrics.RMSE(c.Obs, p); bf.RMSE > r*(1+1e-6) {
				t.Errorf("case %s: best fit RMSE %g, worse than start %d's %g", c.Name, bf.RMSE, k, r)
			}
		}
		// The synthetic observations are simulator outputs: the emulator
		// nearly reproduces them somewhere in the box.
		if c.Truth != nil && bf.RMSE > toyNoise/2 {
			t.Errorf("case %s: best fit RMSE %g, want below %g", c.Name, bf.RMSE, toyNoise/2)
		}
		for _, p := range c.Posteriors {
			if bf.RMSE >= NearBestMinRMSE && (p.DrawFit.NearBest == nil || *p.DrawFit.MAPNearBest != (p.MAPPredRMSE <= (1+NearBestTolerance)*bf.RMSE)) {
				t.Errorf("case %s %s: near-best fields %+v for best fit %g and MAP fit %g", c.Name, p.Recipe, p.DrawFit, bf.RMSE, p.MAPPredRMSE)
			}
		}
	}
}

// A rerun from the same starts on the same models reads each case's best
// fit back from OutDir/cache: the same fit, and a record a test marks is
// what comes back; other settings miss the cache.
func TestBestFitCached(t *testing.T) {
	x := toyExperiment(t, "compare")
	if err := x.bestFit(); err != nil {
		t.Fatal(err)
	}
	y := toyExperiment(t, "compare")
	y.cfg.OutDir = x.cfg.OutDir
	again := func(steps int) *experiment {
		y.cfg.FitSteps = steps
		if err := y.bestFit(); err != nil {
			t.Fatal(err)
		}
		return y
	}
	again(x.cfg.FitSteps)
	for i := range x.res.Cases {
		a, _ := json.Marshal(x.res.Cases[i].BestFit)
		b, _ := json.Marshal(y.res.Cases[i].BestFit)
		if string(a) != string(b) {
			t.Errorf("case %s: the rerun's best fit differs from the first", x.res.Cases[i].Name)
		}
	}
	name := x.res.Cases[0].Name
	path := filepath.Join(x.cfg.OutDir, "cache", "bestfit_"+name+".json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var e memoEntry[*BestFit]
	if err := json.Unmarshal(data, &e); err != nil {
		t.Fatal(err)
	}
	e.Value.RMSE = 123
	if err := memoWrite(path, e.Key, e.Value); err != nil {
		t.Fatal(err)
	}
	if got := again(x.cfg.FitSteps).res.Cases[0].BestFit.RMSE; got != 123 {
		t.Errorf("the rerun did not read the stored best fit back (RMSE %g)", got)
	}
	if got := again(x.cfg.FitSteps + 5).res.Cases[0].BestFit.RMSE; got == 123 {
		t.Error("with other settings the stored best fit came back")
	}
}
