package metrics

import (
	"math"

	"github.com/ozarkinn/inn/innlib/mmd"
)

// ScaledMMD returns the squared MMD (mmd.Samples, biased V-statistic, kernels
// summed) between the samples x and y after z-scoring both with the mean and
// standard deviation (n − 1) of x, column by column, as C2ST does. Without
// the scaling a kernel width cannot suit parameters that range over 1e-6
// (br_mr) and 4e4 (crit_dayl) at once. A column that is constant in x is
// only centred. The cost is quadratic in the sample sizes.
func ScaledMMD(x, y [][]float64, ks []mmd.Kernel) (float64, error) {
	if _, err := checkMatPair("ScaledMMD", "x", x, "y", y); err != nil {
		return 0, err
	}
	m, sd := zParams(x)
	return mmd.Samples(zScore(x, m, sd), zScore(y, m, sd), ks)
}

// zParams returns the column means and standard deviations (n − 1) of x, with
// a standard deviation of 1 where x is constant or has a single row.
func zParams(x [][]float64) (mean, sd []float64) {
	dim := len(x[0])
	mean = make([]float64, dim)
	sd = make([]float64, dim)
	n := float64(len(x))
	for _, r := range x {
		for j, v := range r {
			mean[j] += v / n
		}
	}
	for _, r := range x {
		for j, v := range r {
			sd[j] += (v - mean[j]) * (v - mean[j])
		}
	}
	for j := range sd {
		if len(x) < 2 || sd[j] == 0 {
			sd[j] = 1
			continue
		}
		sd[j] = math.Sqrt(sd[j] / (n - 1))
	}
	return mean, sd
}

// zScore returns (x − mean)/sd row by row, in a new matrix.
func zScore(x [][]float64, mean, sd []float64) [][]float64 {
	z := make([][]float64, len(x))
	for i, r := range x {
		z[i] = make([]float64, len(r))
		for j, v := range r {
			z[i][j] = (v - mean[j]) / sd[j]
		}
	}
	return z
}
