// Package emulator fits a plain multilayer perceptron y ≈ f(x): a fast
// surrogate of the land model that is independent of the invertible network. The Ozark pipeline uses it to check INN posteriors (pushing
// samples through the INN's own forward pass returns the observation by
// construction, which checks nothing) and the MCMC comparison uses it as the
// likelihood's surrogate, as the paper's two-step approach did.
//
// Inputs are scaled to [0, 1] by the prior box when one is given (otherwise
// standardised), outputs are standardised; callers speak original units.
// Training is Adam on mini-batches with a cosine learning-rate decay, and
// keeps the weights with the best validation error. The steps run on the
// native engine by default (Config.Engine): the network, its gradient and
// Adam in plain Go on innlib's float32 gemm kernels, through flowgrad.MLP,
// the dense layers of the flows' own native engine; the GoMLX graph engine
// (autodiff, optimizers.Adam) is its oracle in the tests and the way to
// train on XLA. The weights live in a GoMLX context either way (Save, Load,
// BestFit); predictions run on the gemm kernels (dense.Fast).
// Save and Load write and read one atomic, checksummed file; Load checks
// its sizes against the weights before allocating and rejects non-finite
// weights and unresolvable scaling.
//
// Usage:
//
//	mlp, err := emulator.Train(xTrain, yTrain, xVal, yVal, emulator.Config{Lo: lo, Hi: hi, Seed: 1})
//	yHat, err := mlp.Predict(x)
package emulator
