package metrics

import (
	"fmt"

	"gonum.org/v1/gonum/stat"
)

// Pearson returns the Pearson correlation coefficient of x and y
// (stat.Correlation with unit weights). It returns an error if either
// vector is constant, where the correlation is undefined.
func Pearson(x, y []float64) (float64, error) {
	if err := checkPair("Pearson", "x", x, "y", y); err != nil {
		return 0, err
	}
	return pearson("Pearson", x, y)
}

func pearson(fn string, x, y []float64) (float64, error) {
	if len(x) < 2 {
		return 0, fmt.Errorf("metrics.%s: %d pair, need at least 2: %w", fn, len(x), ErrEmpty)
	}
	r := stat.Correlation(x, y, nil)
	if !finite(r) {
		return 0, fmt.Errorf("metrics.%s: a variable is constant, correlation undefined: %w", fn, ErrDomain)
	}
	return r, nil
}

// ColumnPearson returns the Pearson correlation between columns i and j of
// the sample s, e.g. the posterior correlation of slatop (column 1) and flnr
// (column 2) in the paper's parameter order.
func ColumnPearson(s [][]float64, i, j int) (float64, error) {
	dim, err := checkMat("ColumnPearson", "s", s)
	if err != nil {
		return 0, err
	}
	if i < 0 || i >= dim || j < 0 || j >= dim {
		return 0, fmt.Errorf("metrics.ColumnPearson: columns %d, %d of %d: %w", i, j, dim, ErrDomain)
	}
	return pearson("ColumnPearson", column(nil, s, i), column(nil, s, j))
}
