package mcmc

import (
	"math"
	"testing"
)

// TestAutocovMatchesDirect checks the FFT autocovariance against the O(n²)
// definition for lengths that are and are not powers of two.
func TestAutocovMatchesDirect(t *testing.T) {
	for _, n := range []int{2, 5, 16, 17, 100} {
		x := ar1Chains(1, 1, n, 0.7)[0]
		got := newAutocov(n, n-1).into(x)
		var mean float64
		for _, v := range x {
			mean += v / float64(n)
		}
		for k := range n {
			var want float64
			for i := 0; i+k < n; i++ {
				want += (x[i] - mean) * (x[i+k] - mean)
			}
			want /= float64(n)
			if math.Abs(got[k]-want) > 1e-12 {
				t.Errorf("n = %d lag %d: autocov %v, want %v", n, k, got[k], want)
			}
		}
	}
}

// TestIntegratedTimeAR1 checks τ = (1+φ)/(1−φ) for AR(1) series. With 8
// chains of 50000 (N = 4·10⁵) and Sokal's window M ≈ 5τ, the relative
// standard error of τ̂ is about √(2(2M+1)/N): 1.2% for φ = 0.5 (τ = 3) and
// 3.1% for φ = 0.9 (τ = 19); the bias from truncating at M is below 10⁻⁴.
// The tolerances are about 4 standard errors.
func TestIntegratedTimeAR1(t *testing.T) {
	for _, tc := range []struct {
		phi, tol float64
	}{
		{0.5, 0.05},
		{0.9, 0.12},
	} {
		want := (1 + tc.phi) / (1 - tc.phi)
		chains := ar1Chains(42, 8, 50000, tc.phi)
		iat, err := IntegratedTime(chains, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if rel := math.Abs(iat.Tau/want - 1); rel > tc.tol {
			t.Errorf("φ = %v: τ = %.3f, want %.3f (relative error %.3f > %v)", tc.phi, iat.Tau, want, rel, tc.tol)
		}
		if iat.TooShort {
			t.Errorf("φ = %v: %d steps flagged as shorter than 50τ", tc.phi, 50000)
		}
		if float64(iat.Window) < DefaultAutocorrC*iat.Tau || float64(iat.Window) > DefaultAutocorrC*iat.Tau+DefaultAutocorrC+1 {
			t.Errorf("φ = %v: window %d is not the first M >= 5τ = %.1f", tc.phi, iat.Window, DefaultAutocorrC*iat.Tau)
		}

		// The lag-1 autocorrelation of one long chain is φ within
		// ≈ 4 standard errors, √((1−φ²)/n) ≤ 0.004 for n = 50000.
		acf, err := AutocorrFunc(chains[0])
		if err != nil {
			t.Fatal(err)
		}
		if acf[0] != 1 || math.Abs(acf[1]-tc.phi) > 0.016 {
			t.Errorf("φ = %v: ρ(0) = %v, ρ(1) = %v", tc.phi, acf[0], acf[1])
		}
	}
}

// TestIntegratedTimeTooShort checks emcee's 50τ rule: one chain of 400 steps
// with τ = 39 (φ = 0.95) is flagged (τ̂ from so short a chain is biased low,
// 10-22 over 7 seeds, but any τ̂ > 8 triggers the flag), and white noise
// gives τ ≈ 1 without a flag.
func TestIntegratedTimeTooShort(t *testing.T) {
	iat, err := IntegratedTime(ar1Chains(3, 1, 400, 0.95), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !iat.TooShort {
		t.Errorf("τ = %.1f from 500 steps not flagged as too short", iat.Tau)
	}
	// White noise: τ̂ − 1 has standard error ≈ √(2·11/N) = 0.008 for
	// N = 4·10⁵ (window M ≈ 5).
	iat, err = IntegratedTime(ar1Chains(4, 8, 50000, 0), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(iat.Tau-1) > 0.035 || iat.TooShort {
		t.Errorf("white noise: τ = %.3f (too short %v), want 1", iat.Tau, iat.TooShort)
	}
}

func TestIntegratedTimeErrors(t *testing.T) {
	if _, err := IntegratedTime([][]float64{{1, 2, 3, 4}, {1, 1, 1, 1}}, 0, 0); err == nil {
		t.Error("constant chain: no error")
	}
	if _, err := IntegratedTime([][]float64{{1, 2, 3, 4}, {1, 2, 3}}, 0, 0); err == nil {
		t.Error("unequal lengths: no error")
	}
	if _, err := IntegratedTime([][]float64{{1, 2, math.NaN(), 4}}, 0, 0); err == nil {
		t.Error("NaN draw: no error")
	}
	if _, err := IntegratedTime([][]float64{{1, 2, 3, 4}}, -1, 0); err == nil {
		t.Error("negative c: no error")
	}
	if _, err := AutocorrFunc([]float64{2, 2, 2}); err == nil {
		t.Error("AutocorrFunc of a constant: no error")
	}
}
