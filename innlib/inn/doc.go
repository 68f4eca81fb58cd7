// Package inn trains invertible networks that map model parameters x to
// outputs y and back, and uses them for posterior sampling and emulation.
//
// Two recipes share the coupling blocks of package flow:
//
//   - Bidirectional, the paper's INN (Ardizzone et al. 2019): x ↔ [y, z],
//     trained with a fit term on y, an MMD on [z, y] and a backward MMD on x.
//     Forward emulates the model (BatchFunc is the same map as an
//     allocation-free batched function, the surrogate an MCMC sampler
//     calls); Posterior runs the network backwards from an observation and
//     latent draws.
//   - Conditional, the maximum-likelihood conditional flow (cINN/NPE): x ↔ z
//     given y. It only inverts, and gives the posterior density (LogDensity).
//
// Callers speak original units throughout: parameters are mapped through the
// prior box (Config.Lo, Hi; every posterior sample stays inside it) and
// outputs standardised inside the model. Observation noise (Config.ObsNoise)
// enters training. Save and Load write and read one atomic, checksummed file;
// Load treats it as untrusted data: it checks every size the header declares
// against the weights before allocating, and rejects non-finite weights and a
// normalisation that standardises nothing (scales must pass rows.ScaleOK:
// finite and above 1e-12·max(1, |mean|), the rule training applies), with an
// error that names the file and the field.
//
// Training runs on the native engine by default (TrainConfig.Engine): the
// flow, its hand-derived gradients and Adam in plain Go on innlib's gemm
// kernels, checked against GoMLX's autodiff; EngineGraph trains through GoMLX
// graphs on the selected backend (float64, XLA).
//
// Usage:
//
//	model, err := inn.Train(x, y, inn.Config{
//		Recipe:   inn.Conditional,
//		Lo:       lo, Hi: hi,
//		ObsNoise: []float64{1.0},
//		Train:    inn.TrainConfig{Epochs: 100, Seed: 1},
//	})
//	samples, err := model.Posterior(yObs, 10000, 42)
package inn
