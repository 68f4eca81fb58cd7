package mcmc

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// TestRHatBasicByHand checks the classic formula on chains {1,2,3,4} and
// {2,3,4,5}: W = 5/3, B/n = 1/2, n = 4, R̂ = √((3/4·W + B/n)/W) = √1.05.
func TestRHatBasicByHand(t *testing.T) {
	got := rhatBasic([][]float64{{1, 2, 3, 4}, {2, 3, 4, 5}})
	if want := math.Sqrt(1.05); math.Abs(got-want) > 1e-14 {
		t.Errorf("rhatBasic = %v, want %v", got, want)
	}
}

// TestZScaleTies checks rank normalisation with tied values: ranks of
// {3, 1, 2, 2} are {4, 1, 2.5, 2.5}, z = Φ⁻¹((r − 3/8)/(4 + 1/4)).
func TestZScaleTies(t *testing.T) {
	z := zScale([][]float64{{3, 1}, {2, 2}})
	ranks := []float64{4, 1, 2.5, 2.5}
	for i, r := range ranks {
		want := distuv.UnitNormal.Quantile((r - 0.375) / 4.25)
		if got := z[i/2][i%2]; math.Abs(got-want) > 1e-14 {
			t.Errorf("draw %d: z = %v, want %v", i, got, want)
		}
	}
}

// TestRHat checks that R̂ is near 1 for iid chains and clearly above
// RHatThreshold for chains that disagree in location, in scale (only the
// folded, tail R̂ sees it), or that drift (only splitting sees it).
func TestRHat(t *testing.T) {
	const n = 2000
	// iid: R̂ − 1 is O(1/N); over 10 seeds of 4×1000 draws it stayed
	// below 1.002, so 1.005 leaves a wide margin under the 1.01 threshold.
	rhat, bulk, tail, err := RHat(normalChains(1, n, []float64{0, 0, 0, 0}, []float64{1, 1, 1, 1}))
	if err != nil {
		t.Fatal(err)
	}
	if rhat > 1.005 || rhat != math.Max(bulk, tail) {
		t.Errorf("iid chains: R̂ = %.4f (bulk %.4f, tail %.4f), want < 1.005", rhat, bulk, tail)
	}

	// One chain of four stuck 1 sd away: the between-chain variance is
	// 3/16 of the within-chain one, R̂ ≈ √(1 + 3/16·...) ≈ 1.09.
	rhat, bulk, _, err = RHat(normalChains(2, n, []float64{0, 0, 0, 1}, []float64{1, 1, 1, 1}))
	if err != nil {
		t.Fatal(err)
	}
	if bulk < 1.05 || rhat < bulk {
		t.Errorf("shifted chain: R̂ = %.4f, bulk %.4f, want bulk > 1.05", rhat, bulk)
	}

	// Same centre, one chain 3 times wider: bulk R̂ stays near 1, the
	// folded (tail) R̂ must flag it.
	rhat, bulk, tail, err = RHat(normalChains(3, n, []float64{0, 0, 0, 0}, []float64{1, 1, 1, 3}))
	if err != nil {
		t.Fatal(err)
	}
	if bulk > 1.01 || tail < 1.05 || rhat != tail {
		t.Errorf("wider chain: R̂ = %.4f, bulk %.4f, tail %.4f; want bulk < 1.01, tail > 1.05", rhat, bulk, tail)
	}

	// Every chain drifts from mean 0 to mean 2 over its length: the chains
	// agree with each other, but their halves do not.
	drift := normalChains(4, n, []float64{0, 0, 0, 0}, []float64{1, 1, 1, 1})
	for _, c := range drift {
		for i := range c {
			c[i] += 2 * float64(i) / n
		}
	}
	if rhat, _, _, _ = RHat(drift); rhat < 1.05 {
		t.Errorf("drifting chains: split R̂ = %.4f, want > 1.05", rhat)
	}
}

func TestRHatErrors(t *testing.T) {
	if _, _, _, err := RHat(nil); err == nil {
		t.Error("no chains: no error")
	}
	if _, _, _, err := RHat([][]float64{{1, 2, 3}}); err == nil {
		t.Error("3 draws: no error")
	}
	if _, _, _, err := RHat([][]float64{{1, 2, 3, math.Inf(1)}}); err == nil {
		t.Error("Inf draw: no error")
	}
	rhat, _, _, err := RHat([][]float64{{1, 1, 1, 1}, {1, 1, 1, 1}})
	if err != nil || !math.IsNaN(rhat) {
		t.Errorf("constant chains: R̂ = %v, err = %v; want NaN, nil", rhat, err)
	}
}
