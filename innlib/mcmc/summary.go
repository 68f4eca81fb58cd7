package mcmc

import (
	"fmt"
	"runtime"
	"strings"

	"github.com/ozarkinn/inn/innlib/internal/par"
)

// ParamSummary holds the posterior summary and convergence diagnostics of
// one parameter, computed from the unthinned post-burn-in chains.
type ParamSummary struct {
	Mean, SD           float64 // Over all walkers and post-burn-in steps.
	Q05, Median, Q95   float64 // Pooled quantiles (linear interpolation).
	IAT                IAT     // emcee's integrated autocorrelation time.
	RHat               float64 // max(RHatBulk, RHatTail).
	RHatBulk, RHatTail float64 // Split rank-normalised R̂, plain and folded.
	ESSBulk, ESSTail   float64 // Vehtari et al. (2021) effective sample sizes.
}

// Summary reports per-parameter diagnostics of a run and the warnings they
// raise.
type Summary struct {
	Params   []ParamSummary
	Walkers  int // Number of chains.
	ChainLen int // Draws per chain.

	// AcceptanceFraction and MeanAcceptance are set by Result.Summary and
	// left nil / zero by Summarize, which sees only the chains.
	AcceptanceFraction []float64
	MeanAcceptance     float64

	// Warnings lists, in words, every check that failed: a chain shorter than
	// DefaultAutocorrTol·τ, R̂ >= RHatThreshold, bulk or tail ESS < MinESS,
	// mean acceptance outside [AcceptanceLow, AcceptanceHigh].
	Warnings []string
}

// OK reports whether no diagnostic raised a warning.
func (s *Summary) OK() bool { return len(s.Warnings) == 0 }

// Summarize computes the summary and diagnostics of each of the dim
// parameters from row-major chains (chains[w][t·dim+j], the layout of
// Result.Chain). An autocorrelation time that cannot be computed (a constant
// parameter) is reported as NaN with a warning.
//
// The parameters are computed in parallel, up to GOMAXPROCS at a time (and
// within about 1 GB of buffers: 100 bytes per draw of one parameter per
// goroutine, 320 MB for 16 chains × 200000 steps), each by one goroutine, so
// the results do not depend on GOMAXPROCS. Each parameter's draws are
// sorted once (for the quantiles and both rank normalisations), and its
// autocovariances come from FFTs just long enough for the lags the
// diagnostics reach.
func Summarize(chains [][]float64, dim int) (*Summary, error) {
	if dim < 1 {
		return nil, fmt.Errorf("mcmc: Summarize: dim must be >= 1, got %d", dim)
	}
	if len(chains) == 0 {
		return nil, fmt.Errorf("mcmc: Summarize: no chains")
	}
	for w, c := range chains {
		if len(c)%dim != 0 || len(c) != len(chains[0]) {
			return nil, fmt.Errorf("mcmc: Summarize: chain %d has length %d, want %d (a multiple of dim = %d)", w, len(c), len(chains[0]), dim)
		}
	}
	s := &Summary{Params: make([]ParamSummary, dim), Walkers: len(chains), ChainLen: len(chains[0]) / dim}
	// The parameters are independent: each worker takes the next one and
	// computes it alone, so the results do not depend on GOMAXPROCS. The
	// normal scores of the ranks are the same table for all.
	scores := newNormalScores(2 * len(chains) * (s.ChainLen / 2))
	errs, iatErrs := make([]error, dim), make([]error, dim)
	type scratch struct {
		d   paramDiag
		col [][]float64
	}
	par.Each(dim, summarizeWorkers(dim, len(chains)*s.ChainLen), func() *scratch {
		return &scratch{d: paramDiag{scores: scores}}
	}, func(w *scratch, j int) {
		w.col = columnInto(w.col, chains, dim, j)
		if err := checkChains(w.col); err != nil {
			errs[j] = fmt.Errorf("mcmc: Summarize: parameter %d: %w", j, err)
			return
		}
		s.Params[j], iatErrs[j] = w.d.param(w.col)
	})
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	for j, p := range s.Params {
		iat, err := p.IAT, iatErrs[j]
		switch {
		case err != nil:
			s.warn("parameter %d: no autocorrelation time: %v", j, err)
		case iat.TooShort:
			s.warn("parameter %d: chain of %d steps is shorter than %g·τ = %.0f; τ = %.1f is unreliable", j, s.ChainLen, DefaultAutocorrTol, DefaultAutocorrTol*iat.Tau, iat.Tau)
		}
		if !(p.RHat < RHatThreshold) {
			s.warn("parameter %d: R-hat = %.4f >= %g", j, p.RHat, RHatThreshold)
		}
		if !(p.ESSBulk >= MinESS) || !(p.ESSTail >= MinESS) {
			s.warn("parameter %d: ESS bulk = %.0f, tail = %.0f; want >= %d", j, p.ESSBulk, p.ESSTail, MinESS)
		}
	}
	return s, nil
}

// summarizeMemory bounds the buffers of Summarize's workers together, about
// 100 bytes per draw of one parameter each.
const summarizeMemory = 1 << 30

// summarizeWorkers is the number of goroutines Summarize uses for dim
// parameters of draws draws each: up to GOMAXPROCS, within summarizeMemory.
func summarizeWorkers(dim, draws int) int {
	return max(1, min(dim, runtime.GOMAXPROCS(0), summarizeMemory/(100*max(draws, 1))))
}

// Summary returns Summarize of the post-burn-in chain plus the acceptance
// fractions of the whole run.
func (r *Result) Summary() (*Summary, error) {
	s, err := Summarize(r.Chain, r.Dim)
	if err != nil {
		return nil, err
	}
	s.AcceptanceFraction = r.AcceptanceFraction
	s.MeanAcceptance = r.MeanAcceptance
	if r.MeanAcceptance < AcceptanceLow || r.MeanAcceptance > AcceptanceHigh {
		s.warn("mean acceptance fraction %.3f is outside [%g, %g]", r.MeanAcceptance, AcceptanceLow, AcceptanceHigh)
	}
	return s, nil
}

func (s *Summary) warn(format string, args ...any) {
	s.Warnings = append(s.Warnings, fmt.Sprintf(format, args...))
}

// String formats the summary as a table followed by the warnings.
func (s *Summary) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d chains x %d draws", s.Walkers, s.ChainLen)
	if s.AcceptanceFraction != nil {
		fmt.Fprintf(&b, ", mean acceptance %.3f", s.MeanAcceptance)
	}
	b.WriteString("\n")
	fmt.Fprintf(&b, "%5s %11s %11s %11s %11s %11s %8s %7s %7s %8s %8s\n",
		"param", "mean", "sd", "q05", "median", "q95", "tau", "N/tau", "rhat", "ess_bulk", "ess_tail")
	for j, p := range s.Params {
		fmt.Fprintf(&b, "%5d %11.4g %11.4g %11.4g %11.4g %11.4g %8.1f %7.0f %7.4f %8.0f %8.0f\n",
			j, p.Mean, p.SD, p.Q05, p.Median, p.Q95, p.IAT.Tau, float64(s.ChainLen)/p.IAT.Tau, p.RHat, p.ESSBulk, p.ESSTail)
	}
	for _, w := range s.Warnings {
		fmt.Fprintf(&b, "warning: %s\n", w)
	}
	return b.String()
}
