package kde

import (
	"fmt"
	"math"
)

func checkPoints(fn string, x []float64) error {
	if len(x) < 2 {
		return fmt.Errorf("kde.%s: need at least 2 points, got %d", fn, len(x))
	}
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("kde.%s: point %d is %v", fn, i, v)
		}
	}
	return nil
}

func checkRows(fn string, x [][]float64) (dim int, err error) {
	if len(x) < 2 {
		return 0, fmt.Errorf("kde.%s: need at least 2 points, got %d", fn, len(x))
	}
	dim = len(x[0])
	if dim == 0 {
		return 0, fmt.Errorf("kde.%s: points have no coordinates", fn)
	}
	for i, r := range x {
		if len(r) != dim {
			return 0, fmt.Errorf("kde.%s: point %d has %d coordinates, point 0 has %d", fn, i, len(r), dim)
		}
		for j, v := range r {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return 0, fmt.Errorf("kde.%s: point %d, coordinate %d is %v", fn, i, j, v)
			}
		}
	}
	return dim, nil
}
