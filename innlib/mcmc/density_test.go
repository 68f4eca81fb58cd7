package mcmc

import (
	"math"
	"testing"
)

// linearModel maps x (2 columns) to 3 outputs (x0, x1, x0 + 2 x1).
func linearModel(dst, x []float64) {
	for i := range len(x) / 2 {
		a, b := x[2*i], x[2*i+1]
		dst[3*i], dst[3*i+1], dst[3*i+2] = a, b, a+2*b
	}
}

func TestGaussianLogLikelihood(t *testing.T) {
	obs := []float64{1, 2, 5} // x = (1, 2) fits exactly.
	x := []float64{0, 0, 1, 2, 0.5, -1}
	for _, sigma := range [][]float64{{0.5}, {0.5, 1, 2}} {
		ll, err := GaussianLogLikelihood(linearModel, obs, sigma)
		if err != nil {
			t.Fatal(err)
		}
		dst := make([]float64, 3)
		ll(dst, x)
		for i := range 3 {
			f := []float64{x[2*i], x[2*i+1], x[2*i] + 2*x[2*i+1]}
			var want float64
			for k := range 3 {
				s := sigma[0]
				if len(sigma) == 3 {
					s = sigma[k]
				}
				want += -0.5 * (obs[k] - f[k]) * (obs[k] - f[k]) / (s * s)
			}
			if math.Abs(dst[i]-want) > 1e-12 {
				t.Errorf("sigma %v, point %d: log L = %v, want %v", sigma, i, dst[i], want)
			}
		}
		// A smaller batch reuses the buffer.
		ll(dst[:1], x[2:4])
		if dst[0] != 0 {
			t.Errorf("sigma %v: log L at the exact fit = %v, want 0", sigma, dst[0])
		}
	}
}

func TestGaussianLogLikelihoodErrors(t *testing.T) {
	for _, tc := range []struct {
		name       string
		f          Model
		obs, sigma []float64
	}{
		{"nil model", nil, []float64{1}, []float64{1}},
		{"no obs", linearModel, nil, []float64{1}},
		{"NaN obs", linearModel, []float64{1, math.NaN(), 3}, []float64{1}},
		{"sigma length", linearModel, []float64{1, 2, 3}, []float64{1, 1}},
		{"zero sigma", linearModel, []float64{1, 2, 3}, []float64{1, 0, 1}},
		{"negative sigma", linearModel, []float64{1, 2, 3}, []float64{-1}},
		{"Inf sigma", linearModel, []float64{1, 2, 3}, []float64{math.Inf(1)}},
	} {
		if _, err := GaussianLogLikelihood(tc.f, tc.obs, tc.sigma); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}

// TestGaussianLikelihoodPosterior samples the posterior of the linear model
// with a flat prior: it is Gaussian with precision AᵀA/σ² and mean equal to
// the least-squares fit, here exact: x = (1, 1) fits obs = (1, 1, 3).
// With σ = 0.5, AᵀA = [[2, 2], [2, 5]]: Var x0 = σ²·5/6, Var x1 = σ²·2/6.
func TestGaussianLikelihoodPosterior(t *testing.T) {
	ll, err := GaussianLogLikelihood(linearModel, []float64{1, 1, 3}, []float64{0.5})
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Walkers: 8, Steps: 20000, BurnIn: 1000, Seed: 4, Lo: []float64{-5, -5}, Hi: []float64{5, 5}}
	res, err := Sample(ll, 2, cfg)
	if err != nil {
		t.Fatal(err)
	}
	mean, c := pooledMeanCov(res.Chain, 2)
	want := []float64{0.25 * 5 / 6, 0.25 * 2 / 6}
	// 8 × 19000 draws with τ ≲ 50 give ESS ≳ 3000: SE of a mean
	// 0.018 sd, of a variance 2.6%; bounds ≈ 4 SE.
	for j := range 2 {
		if e := math.Abs(mean[j]-1) / math.Sqrt(want[j]); e > 0.073 {
			t.Errorf("x%d: posterior mean %.4f, want 1", j, mean[j])
		}
		if e := math.Abs(c[j][j]/want[j] - 1); e > 0.1 {
			t.Errorf("x%d: posterior variance %.4f, want %.4f", j, c[j][j], want[j])
		}
	}
}
