// Package mcmc is an affine-invariant ensemble sampler (the stretch move of
// Goodman & Weare 2010, as emcee implements it) with a batched log-density,
// a uniform box prior, and the usual convergence diagnostics.
//
// It is the MCMC baseline of Lu, Ricciuto & Zhang (2022): emcee on a
// surrogate of the land model with 16 walkers × 50000 steps, 40000 burn-in
// and thinning 100 (DefaultConfig). Each half-ensemble move evaluates all
// its in-box proposals in one call of the LogDensity, so a neural-network
// surrogate runs one batch of up to Walkers/2 points per call;
// SampleEnsembles runs several samplers (one per observation, say) in
// lockstep, their proposals in one call, and gives each what Sample would.
//
// Diagnostics, each in its own file: acceptance fractions (Result),
// emcee's integrated autocorrelation time with Sokal's window and its
// "chain shorter than 50τ" warning (IntegratedTime), split rank-normalised
// R̂ with folding (RHat) and bulk and tail effective sample sizes (ESSBulk,
// ESSTail) of Vehtari et al. (2021), and a per-parameter Summary.
//
// Usage, for a surrogate f with 5 outputs, observations y with error 1.5
// and the prior box [lo, hi]:
//
//	logL, err := mcmc.GaussianLogLikelihood(f, y, []float64{1.5})
//	if err != nil { ... }
//	cfg := mcmc.DefaultConfig(1)
//	cfg.Lo, cfg.Hi = lo, hi // walkers start uniformly in the box
//	res, err := mcmc.Sample(logL, 8, cfg)
//	if err != nil { ... }
//	post := res.Samples // 1600 rows of 8 parameters
//	sum, err := res.Summary()
//	fmt.Print(sum) // τ, R̂, ESS per parameter, and warnings
package mcmc
