package metrics

import (
	"errors"
	"math"
	"testing"
)

// Hand case: obs = 1,2,3,4; sim = 1,2,3,5. SSE = 1, mean(obs) = 2.5,
// SST = 2.25+0.25+0.25+2.25 = 5, Σobs² = 30.
// Tolerance 1e-14: a handful of exact-ish float operations.
func TestRegressionHand(t *testing.T) {
	obs := []float64{1, 2, 3, 4}
	sim := []float64{1, 2, 3, 5}
	r2, err := R2(obs, sim)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "R2", r2, 0.8, 1e-14)
	rmse, _ := RMSE(obs, sim)
	near(t, "RMSE", rmse, 0.5, 1e-14)
	nrmse, _ := NRMSE(obs, sim)
	near(t, "NRMSE", nrmse, math.Sqrt(1.0/30), 1e-14)

	// Predicting the mean gives R² = 0; worse gives negative.
	r2, _ = R2(obs, []float64{2.5, 2.5, 2.5, 2.5})
	near(t, "R2 of the mean", r2, 0, 1e-14)
	r2, _ = R2(obs, []float64{4, 3, 2, 1}) // SSE = 9+1+1+9 = 20 -> 1 - 20/5.
	near(t, "R2 reversed", r2, -3, 1e-14)
}

// NRMSERange: ((2−1)/4)² and ((150−100)/200)² are both 1/16, mean 1/16, root 1/4.
// The raw NRMSE of the same vectors is dominated by the second entry.
func TestNRMSERangeHand(t *testing.T) {
	a, b := []float64{1, 100}, []float64{2, 150}
	got, err := NRMSERange(a, b, []float64{0, 0}, []float64{4, 200})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "NRMSERange", got, 0.25, 1e-15)
	raw, _ := NRMSE(a, b) // sqrt((1 + 2500)/(1 + 10000))
	near(t, "NRMSE", raw, math.Sqrt(2501.0/10001), 1e-15)
	if _, err := NRMSERange(a, b, []float64{0, 5}, []float64{4, 5}); !errors.Is(err, ErrDomain) {
		t.Errorf("empty box: err = %v, want ErrDomain", err)
	}
}

// Columns: column 0 is the hand case above (0.8), column 1 is exact (1).
// Pooled: SSE = 1, SST about the grand mean 13.75 of the eight values = 1517.5.
func TestR2ColumnsPooled(t *testing.T) {
	obs := [][]float64{{1, 10}, {2, 20}, {3, 30}, {4, 40}}
	sim := [][]float64{{1, 10}, {2, 20}, {3, 30}, {5, 40}}
	cols, err := R2Columns(nil, obs, sim)
	if err != nil {
		t.Fatal(err)
	}
	nearAll(t, "R2Columns", cols, []float64{0.8, 1}, 1e-14)
	pooled, err := R2Pooled(obs, sim)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "R2Pooled", pooled, 1-1/1517.5, 1e-14)
	if _, err := R2Columns(nil, obs, sim[:3]); !errors.Is(err, ErrShape) {
		t.Errorf("row count mismatch: err = %v, want ErrShape", err)
	}
}

func TestRegressionUndefined(t *testing.T) {
	if _, err := R2([]float64{3, 3, 3}, []float64{1, 2, 3}); !errors.Is(err, ErrDomain) {
		t.Errorf("constant obs: R2 err = %v, want ErrDomain", err)
	}
	if _, err := NRMSE([]float64{0, 0}, []float64{1, 2}); !errors.Is(err, ErrDomain) {
		t.Errorf("zero obs: NRMSE err = %v, want ErrDomain", err)
	}
}
