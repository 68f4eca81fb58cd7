// Package rows checks and summarises data given as rows of float64 values,
// with errors that name the package, the data set, the row and the column.
package rows

import (
	"fmt"
	"math"
)

// Check reports the first problem with a data matrix: no rows, ragged rows,
// or a non-finite value. cols <= 0 takes the width of the first row. Rows and
// columns are 0-based, as in the caller's slice; pkg prefixes the message.
func Check(pkg, name string, rows [][]float64, cols int) error {
	if len(rows) == 0 {
		return fmt.Errorf("%s: %s has no rows", pkg, name)
	}
	if cols <= 0 {
		cols = len(rows[0])
		if cols == 0 {
			return fmt.Errorf("%s: %s row 0 has no values", pkg, name)
		}
	}
	for i, r := range rows {
		if len(r) != cols {
			return fmt.Errorf("%s: %s row %d (0-based) has %d values, want %d", pkg, name, i, len(r), cols)
		}
		for j, v := range r {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("%s: %s row %d, column %d (0-based) is %g; values must be finite", pkg, name, i, j, v)
			}
		}
	}
	return nil
}

// Stats returns each column's mean and standard deviation (divisor n). A
// constant column is an error: it cannot be standardised and carries no information.
func Stats(rows [][]float64) (mean, sd []float64, err error) {
	d := len(rows[0])
	mean, sd = make([]float64, d), make([]float64, d)
	for _, r := range rows {
		for j, v := range r {
			mean[j] += v
		}
	}
	for j := range mean {
		mean[j] /= float64(len(rows))
	}
	for _, r := range rows {
		for j, v := range r {
			sd[j] += (v - mean[j]) * (v - mean[j])
		}
	}
	for j := range sd {
		sd[j] = math.Sqrt(sd[j] / float64(len(rows)))
		if math.IsInf(sd[j], 0) {
			return nil, nil, fmt.Errorf("column %d spreads too widely to standardise: its standard deviation overflows", j)
		}
		if !ScaleOK(mean[j], sd[j]) {
			return nil, nil, fmt.Errorf("column %d is constant (%g) in the training data: it carries no information; remove it", j, mean[j])
		}
	}
	return mean, sd, nil
}

// MinRelScale is the smallest scale, relative to max(1, |center|), that
// values can be standardised with: below it a column is constant to working
// precision, and a model that multiplies its output by such a scale returns
// the center for every draw.
const MinRelScale = 1e-12

// ScaleOK reports whether scale can standardise values around center:
// both finite and scale > MinRelScale·max(1, |center|), so that 1/scale is
// finite too. Stats applies it to the training data; checkpoint readers apply
// it to the stored normalisation (and to prior boxes: center lo, scale hi − lo).
func ScaleOK(center, scale float64) bool {
	return !math.IsNaN(center) && !math.IsInf(center, 0) && !math.IsInf(scale, 0) &&
		scale > MinRelScale*math.Max(1, math.Abs(center))
}
