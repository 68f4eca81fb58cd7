// Package optim holds innlib's plain-Go optimisation pieces: Adam on a flat
// parameter vector and the cosine learning-rate schedule. The native INN
// engine (package inn), the C2ST classifier (package metrics) and the
// emulator's best fit use this one Adam; GoMLX graphs (the graph engine, the
// emulator's training) use GoMLX's own optimizers.Adam, which the default
// form here matches.
//
// Adam's float32 update runs an AVX2 loop where the CPU has it (Go elsewhere,
// and with -tags purego) that rounds every operation as the Go loop does, so
// results do not depend on the CPU. DotSq, AddSq and ProjectSq are the
// passes over a whole gradient before a step (gradient surgery, the norm for
// clipping): float32 vectors, float64 sums.
//
// Usage:
//
//	opt := optim.NewAdam[float32](len(p), optim.AdamConfig{
//		LearningRate: 1e-3, Beta1: 0.9, Beta2: 0.999, Epsilon: 1e-8})
//	for step := range steps {
//		opt.SetLearningRate(optim.Cosine(1e-3, 0.01, step, steps))
//		grad(p, g)           // fill g with the gradient at p
//		opt.Update(p, g, 1)  // p -= Adam step
//	}
package optim
