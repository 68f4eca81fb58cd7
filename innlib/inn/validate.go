package inn

import (
	"fmt"
	"math"
)

// checkMatrix reports the first problem with a data matrix: no rows, ragged
// rows, or a non-finite value. Rows and columns are 0-based, as in the caller's slice.
func checkMatrix(name string, rows [][]float64, cols int) error {
	if len(rows) == 0 {
		return fmt.Errorf("inn: %s has no rows", name)
	}
	if cols <= 0 {
		cols = len(rows[0])
		if cols == 0 {
			return fmt.Errorf("inn: %s row 0 has no values", name)
		}
	}
	for i, r := range rows {
		if len(r) != cols {
			return fmt.Errorf("inn: %s row %d (0-based) has %d values, want %d", name, i, len(r), cols)
		}
		for j, v := range r {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("inn: %s row %d, column %d (0-based) is %g; values must be finite", name, i, j, v)
			}
		}
	}
	return nil
}

// checkInBox reports the first parameter vector outside [lo, hi].
func checkInBox(name string, rows [][]float64, lo, hi []float64) error {
	for i, r := range rows {
		for j, v := range r {
			if v < lo[j] || v > hi[j] {
				return fmt.Errorf("inn: %s row %d, column %d (0-based) is %g, outside the prior box [%g, %g]", name, i, j, v, lo[j], hi[j])
			}
		}
	}
	return nil
}
