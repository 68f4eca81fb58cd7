package mcmc

import (
	"math"
	"testing"
)

// TestESSIID checks that iid draws have ESS close to their number. Over 10
// seeds of 4000 draws the bulk ESS scattered by ≈ 5% and the tail ESS by
// ≈ 6%; with 16000 draws that halves, so 10% and 15% are ≈ 4 standard errors.
func TestESSIID(t *testing.T) {
	chains := normalChains(9, 2000, make([]float64, 8), []float64{1, 1, 1, 1, 1, 1, 1, 1})
	const n = 16000
	bulk, err := ESSBulk(chains)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(bulk/n-1) > 0.10 {
		t.Errorf("iid bulk ESS = %.0f, want %d ± 10%%", bulk, n)
	}
	tail, err := ESSTail(chains)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(tail/n-1) > 0.15 {
		t.Errorf("iid tail ESS = %.0f, want %d ± 15%%", tail, n)
	}
}

// TestESSAR1 checks ESS ≈ N/τ for AR(1) chains, τ = (1+φ)/(1−φ) = 19 at
// φ = 0.9. The relative standard error of the estimate is ≈ 3% (as for τ
// in TestIntegratedTimeAR1); the tolerance is 12%.
func TestESSAR1(t *testing.T) {
	chains := ar1Chains(8, 8, 50000, 0.9)
	want := 8 * 50000 / 19.0
	got, err := ESSBulk(chains)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(got/want-1) > 0.12 {
		t.Errorf("AR(1) bulk ESS = %.0f, want %.0f ± 12%%", got, want)
	}
}

func TestESSConstant(t *testing.T) {
	got, err := ESSBulk([][]float64{{2, 2, 2, 2}, {2, 2, 2, 2}})
	if err != nil || got != 8 {
		t.Errorf("constant chains: ESS = %v, err = %v; want 8, nil", got, err)
	}
	if _, err := ESSTail([][]float64{{1, 2}}); err == nil {
		t.Error("2 draws: no error")
	}
}
