package mcmc

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestIndicatorSums checks the pair-counting autocovariance sums of 0/1
// chains against the definition, for rare ones, rare zeros, no ones, and a
// clustered chain whose pairs exceed the budget (then nothing is added).
func TestIndicatorSums(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const n, lags = 1000, 120
	chain := func(p float64) []float64 {
		x := make([]float64, n)
		for i := range x {
			if r.Float64() < p {
				x[i] = 1
			}
		}
		return x
	}
	for _, tc := range []struct {
		name string
		x    []float64
	}{{"rare ones", chain(0.05)}, {"rare zeros", chain(0.93)}, {"no ones", chain(0)}, {"half", chain(0.5)}} {
		var s autocovs
		dst := s.direct(lags)
		dst[3] = 1 // Sums add to what is there.
		if !s.indicatorSums(dst, tc.x, 1<<20) {
			t.Fatalf("%s: over a budget of 2^22 pairs", tc.name)
		}
		var mean float64
		for _, v := range tc.x {
			mean += v
		}
		mean /= n
		for k := range lags + 1 {
			var want float64
			for i := 0; i+k < n; i++ {
				want += (tc.x[i] - mean) * (tc.x[i+k] - mean)
			}
			if k == 3 {
				want++
			}
			if math.Abs(dst[k]-want) > 1e-10 {
				t.Errorf("%s: lag %d: %v, want %v", tc.name, k, dst[k], want)
			}
		}
	}
	// 400 ones in a row: about 400·120 pairs within 120 lags, over 4·1000.
	x := make([]float64, n)
	for i := 100; i < 500; i++ {
		x[i] = 1
	}
	var s autocovs
	dst := s.direct(lags)
	if s.indicatorSums(dst, x, 1000) {
		t.Error("clustered chain: counted despite the budget")
	}
	for k, v := range dst {
		if v != 0 {
			t.Fatalf("clustered chain: lag %d: %v added", k, v)
		}
	}
}
