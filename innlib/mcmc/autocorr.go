package mcmc

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/dsp/fourier"
)

// Defaults of IntegratedTime, those of emcee's integrated_time.
const (
	// DefaultAutocorrC is Sokal's window constant c: the window M is the
	// smallest lag with M >= c·τ(M).
	DefaultAutocorrC = 5.0
	// DefaultAutocorrTol is emcee's rule: τ is trusted only when every chain
	// is longer than DefaultAutocorrTol·τ.
	DefaultAutocorrTol = 50.0
)

// IAT is an integrated autocorrelation time estimate.
type IAT struct {
	Tau    float64 // Integrated autocorrelation time τ, in steps.
	Window int     // Sokal window M, the lag at which the sum was cut.

	// TooShort reports emcee's warning: the chains are shorter than tol·τ,
	// so τ is not reliable.
	TooShort bool
}

// AutocorrFunc returns the normalised autocorrelation function ρ(k) = γ(k)/γ(0),
// k = 0..len(x)−1, of one series, estimated as emcee's function_1d does: the
// biased autocovariance from a zero-padded FFT. It returns an error for a
// constant or non-finite series or one shorter than 2.
func AutocorrFunc(x []float64) ([]float64, error) {
	if len(x) < 2 {
		return nil, fmt.Errorf("mcmc: AutocorrFunc: need at least 2 draws, got %d", len(x))
	}
	for t, v := range x {
		if !isFinite(v) {
			return nil, fmt.Errorf("mcmc: AutocorrFunc: draw %d is %v", t, v)
		}
	}
	dst := newAutocov(len(x), len(x)-1).into(x)
	if !(dst[0] > 0) {
		return nil, fmt.Errorf("mcmc: AutocorrFunc: series is constant")
	}
	inv := 1 / dst[0]
	for k := range dst {
		dst[k] *= inv
	}
	return dst, nil
}

// IntegratedTime estimates the integrated autocorrelation time of one scalar
// quantity from several chains (the walkers), exactly as emcee's
// integrated_time: the normalised autocorrelation function of each chain is
// averaged over chains, τ(M) = 1 + 2 Σ_{k=1..M} ρ̄(k), and M is Sokal's
// automatic window, the smallest M with M >= c·τ(M). Zero c and tol select
// DefaultAutocorrC and DefaultAutocorrTol.
//
// Averaging ρ over walkers before summing (rather than averaging τ) is the
// estimator emcee recommends; it has lower variance for short chains.
func IntegratedTime(chains [][]float64, c, tol float64) (IAT, error) {
	if c == 0 {
		c = DefaultAutocorrC
	}
	if tol == 0 {
		tol = DefaultAutocorrTol
	}
	if !(c > 0) || !(tol > 0) {
		return IAT{}, fmt.Errorf("mcmc: IntegratedTime: need c > 0 and tol > 0, got c = %v, tol = %v", c, tol)
	}
	if err := checkChains(chains); err != nil {
		return IAT{}, err
	}
	return integratedTime(chains, c, tol, new(autocovs))
}

// integratedTime is IntegratedTime on checked chains with valid c and tol.
func integratedTime(chains [][]float64, c, tol float64, acs *autocovs) (IAT, error) {
	n := len(chains[0])
	invW := 1 / float64(len(chains))
	for _, lags := range lagTries(n) {
		ac := acs.get(n, lags)
		// f(k) = Σ_chains γ(k)/γ(0): each chain's |X|² weighted by 1/Σ(x−x̄)²
		// and one inverse transform for all.
		for k, x := range chains {
			ss := ac.center(x)
			if !(ss > 0) {
				return IAT{}, fmt.Errorf("mcmc: IntegratedTime: chain %d is constant", k)
			}
			ac.add(1 / ss)
		}
		f := ac.sum(1 / float64(len(ac.pad)))
		// τ(M) = 2 Σ_{k<=M} ρ̄(k) − 1; the first M with M >= c·τ(M) ends the sum.
		var sum, tau float64
		for m, v := range f {
			sum += v * invW
			tau = 2*sum - 1
			if float64(m) >= c*tau {
				return IAT{Tau: tau, Window: m, TooShort: tol*tau > float64(n)}, nil
			}
		}
		if lags == n-1 {
			// Not reached in exact arithmetic: the biased autocovariances of a
			// centred series sum to zero over all lags, so τ(n−1) = 0 <= (n−1)/c.
			// Rounding could leave τ(n−1) slightly positive; report it as unreliable.
			return IAT{Tau: tau, Window: n - 1, TooShort: true}, nil
		}
	}
	panic("unreachable: lagTries ends with n−1")
}

// AutocorrTime returns IntegratedTime with the default c and tol for each
// parameter of the post-burn-in chain, like emcee's get_autocorr_time.
func (r *Result) AutocorrTime() ([]IAT, error) {
	out := make([]IAT, r.Dim)
	for j := range out {
		iat, err := IntegratedTime(r.Trace(j), 0, 0)
		if err != nil {
			return nil, fmt.Errorf("mcmc: parameter %d: %w", j, err)
		}
		out[j] = iat
	}
	return out, nil
}

// isFinite reports whether v is neither NaN nor infinite.
func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// autocov computes biased autocovariances with a zero-padded FFT, summed
// over series of one length, reusing its buffers.
type autocov struct {
	n, lags int
	fft     *fourier.FFT
	pad     []float64
	coef    []complex128
	power   []float64 // Σ w·|X(f)|² over the series added so far.
	out     []float64
}

// newAutocov prepares for series of length n and lags 0..lags. A circular
// correlation of length N equals the linear one at lags k <= N − n, so the
// padding is the smallest fast FFT length >= n + lags (emcee pads to
// 2·nextPow2(n), up to twice as long as 2n − 1).
func newAutocov(n, lags int) *autocov {
	m := fftSize(n + lags)
	return &autocov{n: n, lags: lags, fft: fourier.NewFFT(m), pad: make([]float64, m),
		coef: make([]complex128, m/2+1), power: make([]float64, m/2+1), out: make([]float64, lags+1)}
}

// center loads x − x̄ (zero-padded) for the next add and returns Σ(x − x̄)².
func (a *autocov) center(x []float64) (ss float64) {
	var mean float64
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	for t, v := range x {
		d := v - mean
		a.pad[t] = d
		ss += d * d
	}
	clear(a.pad[len(x):])
	return ss
}

// add transforms the loaded series and adds w·|X(f)|² to the power.
func (a *autocov) add(w float64) {
	a.fft.Coefficients(a.coef, a.pad)
	for i, c := range a.coef {
		a.power[i] += w * (real(c)*real(c) + imag(c)*imag(c))
	}
}

// sum returns scale · Σ_series w · Σ_{t<n−k} (x_t − x̄)(x_{t+k} − x̄) for
// k = 0..lags (a buffer reused by the next call) and resets the power.
func (a *autocov) sum(scale float64) []float64 {
	for i, p := range a.power {
		a.coef[i] = complex(p, 0)
	}
	clear(a.power)
	a.fft.Sequence(a.pad, a.coef)
	for k := range a.out {
		a.out[k] = a.pad[k] * scale
	}
	return a.out
}

// into returns γ_k = (1/n) Σ_{t<n−k} (x_t − x̄)(x_{t+k} − x̄) for
// k = 0..lags of one series (a buffer reused by the next call).
func (a *autocov) into(x []float64) []float64 {
	a.center(x)
	a.add(1)
	// Sequence is unnormalised: divide by the FFT length, then by n.
	return a.sum(1 / (float64(len(a.pad)) * float64(a.n)))
}

// fftSize returns the smallest 2^a·3^b·5^c >= n, the lengths gonum's FFT
// has fast passes for.
func fftSize(n int) int {
	best := math.MaxInt
	for p5 := 1; p5 < best; p5 *= 5 {
		for p35 := p5; p35 < best; p35 *= 3 {
			m := p35
			for m < n {
				m *= 2
			}
			best = min(best, m)
			if p35 >= n {
				break
			}
		}
		if p5 >= n {
			break
		}
	}
	return best
}

// lagTries lists the lags to compute, fewest first: the diagnostics need
// lags up to a few autocorrelation times (Sokal's window is about 5τ),
// usually far below the chain length, and a shorter padding makes the
// transforms cheaper (and the tail ESS's pair counts fewer). The first try
// has n/8 lags, at most 4096 (enough for τ up to about 800, whatever the
// chain length); when the sums do not end within them, they are redone with
// n/2 (chains of 10τ to 40τ, like the paper's), then with all.
func lagTries(n int) []int {
	if n/8 < 64 {
		return []int{n - 1}
	}
	return []int{min(n/8, 4096), n / 2, n - 1}
}

// autocovs keeps one autocov per (length, lags), so that the parameters
// of a Summarize share the FFT plans and buffers.
type autocovs struct {
	m map[[2]int]*autocov

	sums  []float64 // indicatorSums's sums over chains, lags 0..len−1.
	pos   []int     // Its minority draws' positions,
	pairs []int     // and its pair counts per lag.
}

func (s *autocovs) get(n, lags int) *autocov {
	if s.m == nil {
		s.m = make(map[[2]int]*autocov)
	}
	a := s.m[[2]int{n, lags}]
	if a == nil {
		a = newAutocov(n, lags)
		s.m[[2]int{n, lags}] = a
	}
	clear(a.power) // An error may have left a sum unfinished.
	return a
}
