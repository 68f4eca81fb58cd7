package metrics

import (
	"errors"
	"fmt"
	"math"
)

// Errors returned by this package wrap one of these, so callers can test the
// kind with errors.Is while the message says which argument is at fault.
var (
	ErrEmpty     = errors.New("empty input")
	ErrShape     = errors.New("mismatched lengths")
	ErrNotFinite = errors.New("value is NaN or infinite")
	ErrDomain    = errors.New("argument out of range")
)

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// checkVec reports an empty vector or a non-finite entry of x.
func checkVec(fn, name string, x []float64) error {
	if len(x) == 0 {
		return fmt.Errorf("metrics.%s: %s: %w", fn, name, ErrEmpty)
	}
	for i, v := range x {
		if !finite(v) {
			return fmt.Errorf("metrics.%s: %s[%d] = %v: %w", fn, name, i, v, ErrNotFinite)
		}
	}
	return nil
}

// checkPair checks two vectors and that they have the same length.
func checkPair(fn, na string, a []float64, nb string, b []float64) error {
	if err := checkVec(fn, na, a); err != nil {
		return err
	}
	if err := checkVec(fn, nb, b); err != nil {
		return err
	}
	if len(a) != len(b) {
		return fmt.Errorf("metrics.%s: %s has %d values, %s has %d: %w", fn, na, len(a), nb, len(b), ErrShape)
	}
	return nil
}

// checkMat checks that x has at least one row, that all rows have the same
// positive length, and that every entry is finite. It returns that length.
func checkMat(fn, name string, x [][]float64) (int, error) {
	if len(x) == 0 || len(x[0]) == 0 {
		return 0, fmt.Errorf("metrics.%s: %s has no rows or no columns: %w", fn, name, ErrEmpty)
	}
	dim := len(x[0])
	for i, r := range x {
		if len(r) != dim {
			return 0, fmt.Errorf("metrics.%s: %s row %d has %d values, row 0 has %d: %w", fn, name, i, len(r), dim, ErrShape)
		}
		for j, v := range r {
			if !finite(v) {
				return 0, fmt.Errorf("metrics.%s: %s[%d][%d] = %v: %w", fn, name, i, j, v, ErrNotFinite)
			}
		}
	}
	return dim, nil
}

// checkMatPair checks two matrices with the same number of columns and
// returns it.
func checkMatPair(fn, na string, a [][]float64, nb string, b [][]float64) (int, error) {
	da, err := checkMat(fn, na, a)
	if err != nil {
		return 0, err
	}
	db, err := checkMat(fn, nb, b)
	if err != nil {
		return 0, err
	}
	if da != db {
		return 0, fmt.Errorf("metrics.%s: %s has %d columns, %s has %d: %w", fn, na, da, nb, db, ErrShape)
	}
	return da, nil
}

// checkBox checks prior bounds lo < hi of length dim.
func checkBox(fn string, lo, hi []float64, dim int) error {
	if err := checkPair(fn, "lo", lo, "hi", hi); err != nil {
		return err
	}
	if len(lo) != dim {
		return fmt.Errorf("metrics.%s: bounds have %d values, want %d: %w", fn, len(lo), dim, ErrShape)
	}
	for i := range lo {
		if !(hi[i] > lo[i]) {
			return fmt.Errorf("metrics.%s: bound %d has hi = %g <= lo = %g: %w", fn, i, hi[i], lo[i], ErrDomain)
		}
	}
	return nil
}

// useDst returns dst if it has length n, a new slice if dst is nil, and an
// error otherwise: a wrong-sized destination is a caller bug worth reporting.
func useDst(fn string, dst []float64, n int) ([]float64, error) {
	if dst == nil {
		return make([]float64, n), nil
	}
	if len(dst) != n {
		return nil, fmt.Errorf("metrics.%s: dst has length %d, want %d: %w", fn, len(dst), n, ErrShape)
	}
	return dst, nil
}

// column copies column j of x into dst (len(x)).
func column(dst []float64, x [][]float64, j int) []float64 {
	dst = dst[:0]
	for _, r := range x {
		dst = append(dst, r[j])
	}
	return dst
}
