package metrics

import (
	"fmt"
	"math"
	"sort"
)

// Wasserstein1 returns the exact Wasserstein-1 (earth mover's) distance
// between the empirical distributions of the 1-D samples a and b, which may
// have different sizes:
//
//	W1 = ∫ |F_a(t) − F_b(t)| dt,
//
// with F the empirical CDFs (each draw of weight 1/n). It is computed by
// merging the sorted samples in O((n + m) log(n + m)); the result equals
// scipy.stats.wasserstein_distance and gonum's stat.WassersteinDistance (which
// is quadratic in the sample size). It has the units of the data: W1 between
// two point masses is their distance, and between two normals of equal
// variance it tends to the distance of their means.
func Wasserstein1(a, b []float64) (float64, error) {
	if err := checkVec("Wasserstein1", "a", a); err != nil {
		return 0, err
	}
	if err := checkVec("Wasserstein1", "b", b); err != nil {
		return 0, err
	}
	return wasserstein1(sortedCopy(a), sortedCopy(b)), nil
}

func sortedCopy(x []float64) []float64 {
	s := append([]float64(nil), x...)
	sort.Float64s(s)
	return s
}

// wasserstein1 is W1 of two sorted, non-empty samples.
func wasserstein1(a, b []float64) float64 {
	n, m := int64(len(a)), int64(len(b))
	var i, j int64
	var w float64
	prev := math.Min(a[0], b[0])
	for i < n || j < m {
		var t float64
		if j >= m || (i < n && a[i] <= b[j]) {
			t = a[i]
		} else {
			t = b[j]
		}
		// On [prev, t) the CDFs are i/n and j/m; integer arithmetic keeps
		// their difference exact.
		d := i*m - j*n
		if d < 0 {
			d = -d
		}
		w += float64(d) / float64(n*m) * (t - prev)
		for i < n && a[i] == t {
			i++
		}
		for j < m && b[j] == t {
			j++
		}
		prev = t
	}
	return w
}

// Wasserstein1Columns returns Wasserstein1 between column j of a and column j
// of b for every parameter j (a and b may have different numbers of rows).
// If lo and hi are given (both non-nil), each distance is divided by the width
// hi_j − lo_j of the prior box, so parameters of different units compare: a
// value of 0.01 means the marginals differ by 1% of the prior range. dst may
// be nil; otherwise it must have one entry per column.
func Wasserstein1Columns(dst []float64, a, b [][]float64, lo, hi []float64) ([]float64, error) {
	dim, err := checkMatPair("Wasserstein1Columns", "a", a, "b", b)
	if err != nil {
		return nil, err
	}
	scaled := lo != nil || hi != nil
	if scaled {
		if err := checkBox("Wasserstein1Columns", lo, hi, dim); err != nil {
			return nil, err
		}
	}
	if dst, err = useDst("Wasserstein1Columns", dst, dim); err != nil {
		return nil, err
	}
	ca := make([]float64, len(a))
	cb := make([]float64, len(b))
	for j := range dst {
		ca, cb = column(ca, a, j), column(cb, b, j)
		sort.Float64s(ca)
		sort.Float64s(cb)
		dst[j] = wasserstein1(ca, cb)
		if scaled {
			dst[j] /= hi[j] - lo[j]
		}
	}
	return dst, nil
}

// Wasserstein1Range returns Wasserstein1(a, b) / (hi − lo): the distance as a
// fraction of the prior range [lo, hi].
func Wasserstein1Range(a, b []float64, lo, hi float64) (float64, error) {
	if !(hi > lo) || !finite(lo) || !finite(hi) {
		return 0, fmt.Errorf("metrics.Wasserstein1Range: range [%g, %g] is empty or not finite: %w", lo, hi, ErrDomain)
	}
	w, err := Wasserstein1(a, b)
	return w / (hi - lo), err
}
