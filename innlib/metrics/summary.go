package metrics

import (
	"fmt"
	"math"
	"slices"
	"sort"

	"gonum.org/v1/gonum/stat"
)

// This file summarises a posterior sample x [n][dim] (rows are draws, columns
// are parameters) column by column.

// Column returns column j of x, copied into dst (reused if its capacity
// allows). x must be a non-empty rectangular matrix of finite values.
func Column(dst []float64, x [][]float64, j int) ([]float64, error) {
	dim, err := checkMat("Column", "x", x)
	if err != nil {
		return nil, err
	}
	if j < 0 || j >= dim {
		return nil, fmt.Errorf("metrics.Column: column %d of %d: %w", j, dim, ErrDomain)
	}
	return column(dst, x, j), nil
}

// Means returns the sample mean of each column of x. dst may be nil;
// otherwise it must have one entry per column.
func Means(dst []float64, x [][]float64) ([]float64, error) {
	return perColumn("Means", dst, x, 1, func(c []float64) float64 { return stat.Mean(c, nil) })
}

// Variances returns the sample variance of each column of x with the
// unbiased n − 1 divisor (stat.Variance; numpy's var(ddof=1)). A single draw
// has no variance and is an error.
func Variances(dst []float64, x [][]float64) ([]float64, error) {
	return perColumn("Variances", dst, x, 2, func(c []float64) float64 { return stat.Variance(c, nil) })
}

// SDs returns the sample standard deviation of each column of x, the square
// root of Variances (n − 1 divisor).
func SDs(dst []float64, x [][]float64) ([]float64, error) {
	return perColumn("SDs", dst, x, 2, func(c []float64) float64 { return math.Sqrt(stat.Variance(c, nil)) })
}

func perColumn(fn string, dst []float64, x [][]float64, minRows int, f func([]float64) float64) ([]float64, error) {
	dim, err := checkMat(fn, "x", x)
	if err != nil {
		return nil, err
	}
	if len(x) < minRows {
		return nil, fmt.Errorf("metrics.%s: %d rows, need at least %d: %w", fn, len(x), minRows, ErrEmpty)
	}
	if dst, err = useDst(fn, dst, dim); err != nil {
		return nil, err
	}
	c := make([]float64, len(x))
	for j := range dst {
		dst[j] = f(column(c, x, j))
	}
	return dst, nil
}

// Quantile returns the p-quantile of x by linear interpolation between order
// statistics, numpy's default (method "linear", Hyndman & Fan type 7, also
// R's default): with x sorted ascending and h = (n − 1)·p,
//
//	Q(p) = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]),
//
// so Q(0) = min, Q(1) = max and Q(0.5) is the usual median. It differs from
// gonum's stat.Quantile with stat.LinInterp (type 4, which puts x[k−1] at
// p = k/n: the median of {1,2,3,4} is 2 there, 2.5 here); type 7 is chosen so
// that intervals match those computed with numpy (as sbibm and most
// Python SBC tooling do). x need not be sorted; it is not modified.
func Quantile(p float64, x []float64) (float64, error) {
	var q [1]float64
	if _, err := quantiles("Quantile", q[:], []float64{p}, x); err != nil {
		return 0, err
	}
	return q[0], nil
}

// Quantiles returns the quantiles of x at each p in ps (definition as in
// Quantile), from order statistics selected in one copy of x. dst may be
// nil; otherwise it must have len(ps) entries.
func Quantiles(dst, ps, x []float64) ([]float64, error) {
	return quantiles("Quantiles", dst, ps, x)
}

func quantiles(fn string, dst, ps, x []float64) ([]float64, error) {
	if err := checkVec(fn, "x", x); err != nil {
		return nil, err
	}
	if len(ps) == 0 {
		return nil, fmt.Errorf("metrics.%s: no probabilities: %w", fn, ErrEmpty)
	}
	for i, p := range ps {
		if !(p >= 0 && p <= 1) {
			return nil, fmt.Errorf("metrics.%s: probability ps[%d] = %v outside [0, 1]: %w", fn, i, p, ErrDomain)
		}
	}
	dst, err := useDst(fn, dst, len(ps))
	if err != nil {
		return nil, err
	}
	// Each quantile needs two order statistics, found by selection in a
	// copy of x: O(n) a quantile instead of sorting (the posterior
	// summaries take three of each parameter's 10,000-32,000 draws). The
	// values are those of the sorted copy, so the result is the same.
	s := append([]float64(nil), x...)
	order := make([]int, len(ps))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return ps[order[a]] < ps[order[b]] })
	from := 0 // s[from:] holds the order statistics from on (selection keeps it so).
	for _, i := range order {
		h := float64(len(s)-1) * ps[i]
		lo := int(math.Floor(h))
		if lo >= len(s)-1 {
			dst[i] = slices.Max(s[from:])
			continue
		}
		selectNth(s, from, lo)
		next := slices.Min(s[lo+1:])
		dst[i] = s[lo] + (h-float64(lo))*(next-s[lo])
		from = lo
	}
	return dst, nil
}

// selectNth reorders s[from:] so that s[k] is the value the sorted s would
// hold there, everything before it no larger and everything after no
// smaller (quickselect with a median-of-three pivot and a three-way
// partition, so ties cost nothing; it sorts what is left after 64 rounds,
// which bounds the worst case by a sort's). s[:from] must hold no value
// larger than any in s[from:].
func selectNth(s []float64, from, k int) {
	a, b := from, len(s) // The k-th value is within s[a:b].
	for round := 0; b-a > 16 && round < 64; round++ {
		m := a + (b-a)/2
		x, y, z := s[a], s[m], s[b-1]
		pivot := max(min(x, y), min(max(x, y), z)) // Median of three.
		// s[a:lt] < pivot, s[lt:i] == pivot, s[gt:b] > pivot.
		lt, i, gt := a, a, b
		for i < gt {
			switch v := s[i]; {
			case v < pivot:
				s[lt], s[i] = s[i], s[lt]
				lt++
				i++
			case v > pivot:
				gt--
				s[gt], s[i] = s[i], s[gt]
			default:
				i++
			}
		}
		switch {
		case k < lt:
			b = lt
		case k >= gt:
			a = gt
		default:
			return // s[k] == pivot, in place.
		}
	}
	sort.Float64s(s[a:b])
}

// sortedQuantile is the type 7 quantile of sorted, non-empty s.
func sortedQuantile(p float64, s []float64) float64 {
	h := float64(len(s)-1) * p
	lo := int(math.Floor(h))
	if lo >= len(s)-1 {
		return s[len(s)-1]
	}
	return s[lo] + (h-float64(lo))*(s[lo+1]-s[lo])
}

// CredibleInterval returns the central credible interval of mass level
// (0 < level < 1) from the draws x: the quantiles (1 − level)/2 and
// (1 + level)/2 of Quantile. For example level 0.9 gives the 5% and 95%
// quantiles.
func CredibleInterval(level float64, x []float64) (lo, hi float64, err error) {
	if !(level > 0 && level < 1) {
		return 0, 0, fmt.Errorf("metrics.CredibleInterval: level %v outside (0, 1): %w", level, ErrDomain)
	}
	var q [2]float64
	if _, err := quantiles("CredibleInterval", q[:], []float64{(1 - level) / 2, (1 + level) / 2}, x); err != nil {
		return 0, 0, err
	}
	return q[0], q[1], nil
}
