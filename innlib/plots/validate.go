package plots

import (
	"errors"
	"fmt"
	"math"
)

// ErrInput is wrapped by every error about a builder's input (lengths that
// do not match, empty samples, NaN or Inf values), so callers can tell bad
// data from I/O failures with errors.Is.
var ErrInput = errors.New("invalid plot input")

// inputErr formats "plots.<Builder>: <what>: invalid plot input".
func inputErr(builder, format string, args ...any) error {
	return fmt.Errorf("plots.%s: %s: %w", builder, fmt.Sprintf(format, args...), ErrInput)
}

// badValue names a non-finite value for error messages.
func badValue(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	}
	return fmt.Sprint(v)
}

// checkVec requires a non-empty vector of finite values (length want when
// want > 0).
func checkVec(builder, what string, xs []float64, want int) error {
	if len(xs) == 0 {
		return inputErr(builder, "%s is empty", what)
	}
	if want > 0 && len(xs) != want {
		return inputErr(builder, "%s has %d values, want %d", what, len(xs), want)
	}
	for i, v := range xs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return inputErr(builder, "%s[%d] is %s", what, i, badValue(v))
		}
	}
	return nil
}

// checkOptVec is checkVec for an optional vector: nil is fine.
func checkOptVec(builder, what string, xs []float64, want int) error {
	if xs == nil {
		return nil
	}
	return checkVec(builder, what, xs, want)
}

// checkMat requires at least minRows rows of exactly d finite values. names,
// when given, name the columns in the message.
func checkMat(builder, what string, m [][]float64, d, minRows int, names []string) error {
	if len(m) < max(minRows, 1) {
		if len(m) == 0 {
			return inputErr(builder, "%s is empty", what)
		}
		return inputErr(builder, "%s has %d rows, need at least %d", what, len(m), minRows)
	}
	for i, row := range m {
		if len(row) != d {
			return inputErr(builder, "%s row %d has %d values, want %d", what, i, len(row), d)
		}
		for j, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				col := fmt.Sprint(j)
				if j < len(names) && names[j] != "" {
					col = fmt.Sprintf("%d (%s)", j, names[j])
				}
				return inputErr(builder, "%s row %d, column %s is %s", what, i, col, badValue(v))
			}
		}
	}
	return nil
}

// checkRange requires finite lo < hi.
func checkRange(builder, what string, lo, hi float64) error {
	if math.IsNaN(lo) || math.IsInf(lo, 0) || math.IsNaN(hi) || math.IsInf(hi, 0) || !(lo < hi) {
		return inputErr(builder, "%s range [%v, %v] must be finite with lo < hi", what, lo, hi)
	}
	return nil
}

// column copies column j of m.
func column(m [][]float64, j int) []float64 {
	out := make([]float64, len(m))
	for i, row := range m {
		out[i] = row[j]
	}
	return out
}
