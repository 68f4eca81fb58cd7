package metrics

import (
	"fmt"
	"math"
	"sort"
)

// DefaultLevels returns the credibility levels 0.05, 0.10, ..., 0.95 at
// which Coverage is evaluated by default.
func DefaultLevels() []float64 {
	l := make([]float64, 19)
	for i := range l {
		l[i] = float64(i+1) / 20
	}
	return l
}

func checkLevels(fn string, levels []float64) error {
	if len(levels) == 0 {
		return fmt.Errorf("metrics.%s: no levels: %w", fn, ErrEmpty)
	}
	for i, a := range levels {
		if !(a > 0 && a < 1) {
			return fmt.Errorf("metrics.%s: levels[%d] = %v outside (0, 1): %w", fn, i, a, ErrDomain)
		}
	}
	return nil
}

// Coverage returns the empirical coverage of central credible intervals over
// many simulations: cov[j][k] is the fraction of simulations s whose true
// value truths[s][j] lies in the central levels[k] interval of posts[s]
// (CredibleInterval of column j, closed). For calibrated posteriors
// cov[j][k] ≈ levels[k]; coverage below the level means overconfidence.
// Posteriors may have different numbers of draws.
func Coverage(levels []float64, truths [][]float64, posts [][][]float64) ([][]float64, error) {
	if err := checkLevels("Coverage", levels); err != nil {
		return nil, err
	}
	dim, _, err := checkSims("Coverage", truths, posts, false)
	if err != nil {
		return nil, err
	}
	cov := make([][]float64, dim)
	for j := range cov {
		cov[j] = make([]float64, len(levels))
	}
	var c []float64
	for s, p := range posts {
		for j := range dim {
			c = column(c, p, j)
			sort.Float64s(c)
			t := truths[s][j]
			for k, a := range levels {
				if sortedQuantile((1-a)/2, c) <= t && t <= sortedQuantile((1+a)/2, c) {
					cov[j][k]++
				}
			}
		}
	}
	for j := range cov {
		for k := range cov[j] {
			cov[j][k] /= float64(len(truths))
		}
	}
	return cov, nil
}

// CalibrationError returns the median over levels of |coverage_k − level_k|
// (median of an even count: mean of the middle two), the calibration error of
// the BayesFlow diagnostics: 0 for exact calibration; with the default levels
// 0.5 when the intervals never (or always) cover the truth.
func CalibrationError(levels, coverage []float64) (float64, error) {
	if err := checkLevels("CalibrationError", levels); err != nil {
		return 0, err
	}
	if err := checkVec("CalibrationError", "coverage", coverage); err != nil {
		return 0, err
	}
	if len(coverage) != len(levels) {
		return 0, fmt.Errorf("metrics.CalibrationError: %d levels, %d coverages: %w", len(levels), len(coverage), ErrShape)
	}
	d := make([]float64, len(levels))
	for k, a := range levels {
		d[k] = math.Abs(coverage[k] - a)
	}
	sort.Float64s(d)
	return sortedQuantile(0.5, d), nil
}
