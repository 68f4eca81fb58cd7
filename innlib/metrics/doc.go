// Package metrics computes the numbers the project reports: emulation and
// point-estimate scores, posterior summaries, comparisons of two posteriors
// (INN against MCMC), and calibration checks over many synthetic
// observations. It is pure Go on plain slices (C2ST's classifier
// uses the project's gemm kernels, assembly with a pure-Go fallback), and it
// never imports GoMLX.
//
// The groups, one file each:
//
//   - Regression (regression.go): R² = 1 − SSE/SST per output and pooled,
//     RMSE, the paper's NRMSE = sqrt(Σ(obs − sim)²/Σ obs²) (appendix C),
//     and NRMSERange, which scales each parameter by its prior width.
//   - Summaries (summary.go, posterior.go, kde.go): column means, variances
//     and standard deviations (n − 1 divisor), quantiles by linear
//     interpolation as numpy's default (type 7; not gonum's LinInterp),
//     central credible intervals, posterior contraction
//     clip(1 − Var_post/Var_prior, 0, 1), posterior z-scores, and the MAP as
//     the mode of a Gaussian KDE with Scott's bandwidth (marginal or joint,
//     package kde).
//   - Two-sample comparison (wasserstein.go, ks.go, correlation.go, c2st.go,
//     mmd.go): exact Wasserstein-1 per marginal (raw or over the prior
//     range), the two-sample Kolmogorov–Smirnov statistic and p-value,
//     Pearson correlation of two columns, the classifier two-sample test
//     C2ST (sbibm's recipe; an MLP trained in float32 on the
//     gemm kernels of internal/gemm), and MMD on z-scored samples via
//     package mmd.
//   - Calibration (sbc.go, coverage.go, calibration.go): simulation-based
//     calibration ranks with chi-square and KS uniformity tests, coverage of
//     central credible intervals, the calibration error median |coverage −
//     level|, a per-parameter summary of all of these, and (calcheck.go)
//     pass bounds that an exactly calibrated posterior meets, simulated for
//     the given numbers of simulations, draws and parameters, with a verdict
//     per parameter (over-confident, under-confident, biased).
//
// Conventions. A sample is [][]float64 with one row per draw and one column
// per parameter, in the order of the data files. Functions that return a
// vector take a destination first, which may be nil (allocated) or of the
// right length (reused). Bad input (empty, ragged, mismatched lengths, NaN
// or ±Inf, out-of-range arguments) returns an error wrapping ErrEmpty,
// ErrShape, ErrNotFinite or ErrDomain whose message names the function and
// the argument; nothing panics on bad data. Randomised functions (C2ST) take
// a seed and return the same result for the same seed.
//
// Usage:
//
//	nrmse, err := metrics.NRMSE(obsLH, mapLH)          // paper's score
//	w, err := metrics.Wasserstein1Columns(nil, inn, mcmc, lo, hi)
//	res, err := metrics.C2ST(inn, mcmc, metrics.C2STConfig{Seed: 1})
//	fmt.Printf("C2ST accuracy %.3f (0.5 = same distribution)\n", res.Accuracy)
//	cal, err := metrics.Calibration(truths, posts, metrics.CalibrationConfig{PriorVar: pv})
package metrics
