package pipeline

import (
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/ozarkinn/inn/innlib/dataset"
	"github.com/ozarkinn/inn/innlib/metrics"
	"github.com/ozarkinn/inn/innlib/toy"
)

// TestDrawFit checks the draws' fit summary against hand-computed RMSEs.
func TestDrawFit(t *testing.T) {
	obs := []float64{1, 2}
	// RMSEs: 0, 1, 2, ..., 20 (each draw off by k in both outputs).
	pred := make([][]float64, 21)
	for k := range pred {
		pred[k] = []float64{1 + float64(k), 2 - float64(k)}
	}
	rmse, err := drawRMSEs(pred, obs)
	if err != nil {
		t.Fatal(err)
	}
	for k, r := range rmse {
		if math.Abs(r-float64(k)) > 1e-12 {
			t.Fatalf("draw %d: RMSE %g, want %d", k, r, k)
		}
	}
	d, err := drawFit(rmse)
	if err != nil {
		t.Fatal(err)
	}
	// Type-7 quantiles of 0..20: the 5% one is at position 0.05·20 = 1.
	if d.MinRMSE != 0 || math.Abs(d.Q05RMSE-1) > 1e-12 || math.Abs(d.MedianRMSE-10) > 1e-12 {
		t.Errorf("min, 5%%, median = %g, %g, %g; want 0, 1, 10", d.MinRMSE, d.Q05RMSE, d.MedianRMSE)
	}
	ps := PosteriorSummary{DrawFit: d, MAPPredRMSE: 5.6}
	setNearBest(&ps, rmse, 5) // Limit 5.5: draws 0..5 are near, the MAP is not.
	if got := *ps.DrawFit.NearBest; math.Abs(got-6.0/21) > 1e-12 {
		t.Errorf("near-best fraction %g, want 6/21", got)
	}
	if *ps.DrawFit.MAPNearBest {
		t.Error("MAP at 5.6 counted within 10% of 5")
	}
	ps.MAPPredRMSE = 5.5
	setNearBest(&ps, rmse, 5)
	if !*ps.DrawFit.MAPNearBest {
		t.Error("MAP at 5.5 not counted within 10% of 5")
	}
	// An exact best fit or no draws leave the fields unset rather than 0.
	for _, c := range []struct {
		rmse []float64
		best float64
	}{{rmse, 0.001}, {nil, 5}} {
		ps := PosteriorSummary{MAPPredRMSE: 5.5}
		setNearBest(&ps, c.rmse, c.best)
		if ps.DrawFit.NearBest != nil || ps.DrawFit.MAPNearBest != nil {
			t.Errorf("best fit %g, %d draws: near-best fields set (fraction %v, MAP %v)", c.best, len(c.rmse), ps.DrawFit.NearBest != nil, ps.DrawFit.MAPNearBest != nil)
		}
	}
	if _, err := drawRMSEs([][]float64{{1}}, obs); err == nil {
		t.Error("a draw with 1 output against 2 observations gave no error")
	}
}

// TestSummarise summarises Gaussian draws around a known truth, with the
// exact toy simulator as the emulator, and checks each figure against its
// known value within a stated tolerance.
func TestSummarise(t *testing.T) {
	sim := toy.Smooth{Outputs: 4}
	params, outputs := sim.Names()
	ens := &dataset.Ensemble{ParamNames: params, OutputNames: outputs, Lo: toy.SmoothLo, Hi: toy.SmoothHi}
	truth, sd := []float64{1, 2, 0}, []float64{0.1, 0.2, 0.1}
	rng := rand.New(rand.NewPCG(5, 6))
	const n = 4000
	draws := make([][]float64, n)
	for i := range draws {
		draws[i] = make([]float64, 3)
		for j := range truth {
			draws[i][j] = truth[j] + sd[j]*rng.NormFloat64()
		}
	}
	exact := func(x [][]float64) ([][]float64, error) {
		out := make([][]float64, len(x))
		for i, r := range x {
			out[i] = sim.Apply(r)
		}
		return out, nil
	}
	dir := t.TempDir()
	sm := summariser{ens: ens, predict: exact, mapDraws: 1000, seed: 1, outDir: dir}
	c := Case{Name: "synthetic-1", Obs: sim.Apply(truth), Truth: truth}
	if err := os.MkdirAll(filepath.Join(dir, "samples"), 0o755); err != nil {
		t.Fatal(err)
	}
	ps, best, err := sm.write("test", draws, nil, c)
	if err != nil {
		t.Fatal(err)
	}
	for j, p := range ps.Params {
		// Standard errors: mean sd/√n = 0.016 sd; the 2.5% quantile about 0.04 sd.
		if math.Abs(p.Mean-truth[j]) > 0.06*sd[j] || math.Abs(p.SD-sd[j]) > 0.05*sd[j] {
			t.Errorf("%s: mean %g sd %g, want %g and %g", p.Name, p.Mean, p.SD, truth[j], sd[j])
		}
		if math.Abs(p.Q025-(truth[j]-1.96*sd[j])) > 0.15*sd[j] || math.Abs(p.Q975-(truth[j]+1.96*sd[j])) > 0.15*sd[j] {
			t.Errorf("%s: 95%% interval [%g, %g], want %g ± %g", p.Name, p.Q025, p.Q975, truth[j], 1.96*sd[j])
		}
		// The prior is uniform over the box: variance width²/12.
		if want := 1 - sd[j]*sd[j]*12/(ens.Hi[j]-ens.Lo[j])/(ens.Hi[j]-ens.Lo[j]); math.Abs(p.Contraction-want) > 0.01 {
			t.Errorf("%s: contraction %g, want %g", p.Name, p.Contraction, want)
		}
		// The KDE mode of 1000 Gaussian draws lies near the mean.
		if math.Abs(ps.MAP[j]-truth[j]) > 0.5*sd[j] {
			t.Errorf("%s: MAP %g, truth %g (sd %g)", p.Name, ps.MAP[j], truth[j], sd[j])
		}
		if !*p.Inside95 || math.Abs(*p.ZScore) > 0.1 {
			t.Errorf("%s: truth inside %v, z %g", p.Name, *p.Inside95, *p.ZScore)
		}
	}
	if !*ps.TruthInside95 || !ps.ObsInside95 || ps.OutOfBox != 0 {
		t.Errorf("truth inside %v, observation inside %v, out of box %g", *ps.TruthInside95, ps.ObsInside95, ps.OutOfBox)
	}
	want := sim.Apply(ps.MAP)
	for k, v := range ps.MAPPrediction {
		if v != want[k] {
			t.Errorf("MAP prediction %v, the simulator at the MAP gives %v", ps.MAPPrediction, want)
		}
	}
	if len(best) != bestStarts || best[0] == nil {
		t.Fatalf("%d best draws, want %d", len(best), bestStarts)
	}
	if r, _ := metrics.RMSE(c.Obs, sim.Apply(best[0])); math.Abs(r-ps.DrawFit.MinRMSE) > 1e-12 {
		t.Errorf("the best draw fits at %g, DrawFit.MinRMSE says %g", r, ps.DrawFit.MinRMSE)
	}
	tab, err := dataset.ReadCSV(filepath.Join(dir, ps.PredictiveFile))
	if err != nil || tab.Len() != n || tab.Columns[3] != "y4" {
		t.Errorf("%s: %v", ps.PredictiveFile, err)
	}

	// With the method's own density, the MAP is the densest draw.
	density := make([]float64, n)
	for i := range density {
		density[i] = -math.Abs(float64(i - 1234))
	}
	ps, _, _, err = sm.summarise("test", draws, density, Case{Name: "observed", Obs: c.Obs})
	if err != nil {
		t.Fatal(err)
	}
	if ps.MAP[0] != draws[1234][0] || ps.MAPNRMSERaw != nil {
		t.Errorf("MAP %v, want the densest draw %v; truth scores without a truth: %v", ps.MAP, draws[1234], ps.MAPNRMSERaw)
	}
}
