package inn

import (
	"fmt"

	"github.com/ozarkinn/inn/innlib/internal/rows"
)

// checkMatrix reports the first problem with a data matrix (see rows.Check).
func checkMatrix(name string, r [][]float64, cols int) error { return rows.Check("inn", name, r, cols) }

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
