package mcmc

// Acceptance fractions outside [AcceptanceLow, AcceptanceHigh] are flagged by
// Summary: Foreman-Mackey et al. (2013, the emcee paper) suggest this range as
// a rule of thumb for the stretch move; far below it the walkers barely move.
// In 1-3 dimensions the stretch move on a smooth target naturally accepts
// 0.6-0.75 of its proposals, so a high fraction there is no cause for concern.
const (
	AcceptanceLow  = 0.2
	AcceptanceHigh = 0.5
)

// acceptanceFractions returns accepted[w]/steps per walker and their mean.
func acceptanceFractions(accepted []int, steps int) (frac []float64, mean float64) {
	frac = make([]float64, len(accepted))
	for w, a := range accepted {
		frac[w] = float64(a) / float64(steps)
		mean += frac[w]
	}
	return frac, mean / float64(len(accepted))
}
