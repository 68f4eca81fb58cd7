package pipeline

import (
	"math"
	"testing"
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
