package optim

import "math"

// Cosine returns the learning rate of step (0-based) out of steps on a
// cosine from base at the first step down to floor·base at the last:
// base·(floor + (1−floor)·½·(1 + cos(π·step/(steps−1)))). With one step or
// fewer it returns base.
func Cosine(base, floor float64, step, steps int) float64 {
	if steps <= 1 {
		return base
	}
	frac := float64(step) / float64(steps-1)
	return base * (floor + (1-floor)*0.5*(1+math.Cos(math.Pi*frac)))
}
