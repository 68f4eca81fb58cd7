package metrics

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// This file finds the maximum a posteriori (MAP) point of a posterior sample
// as the mode of a Gaussian kernel density estimate (KDE), the density the
// paper plots. The paper does not say how its MAP was computed; these
// helpers fix one reproducible definition.
//
// Bandwidth: Scott's rule, as scipy.stats.gaussian_kde (and so seaborn's
// kdeplot) by default: the kernel covariance is the sample covariance (n − 1)
// times n^(−2/(d+4)); in one dimension the kernel sd is sd·n^(−1/5). It
// over-smooths clearly multimodal samples, as it does in those plots.

const (
	kdeGrid    = 512   // Grid points over the data range for the 1-D search.
	kdeStarts  = 5     // Highest-density draws that start the joint search.
	kdeMaxIter = 10000 // Mean-shift iterations; each increases the density.
)

// KDEMode returns the mode of the Gaussian KDE of the 1-D sample x with
// Scott's bandwidth: the global maximum over a 512-point grid spanning the
// data (the KDE has no mode outside it), refined by mean-shift iterations,
// which climb to the local maximum near the best grid point. x needs two
// distinct values.
func KDEMode(x []float64) (float64, error) {
	if err := checkVec("KDEMode", "x", x); err != nil {
		return 0, err
	}
	s := sortedCopy(x)
	if s[0] == s[len(s)-1] {
		return 0, fmt.Errorf("metrics.KDEMode: x is constant, no bandwidth: %w", ErrDomain)
	}
	h := math.Sqrt(stat.Variance(s, nil)) * math.Pow(float64(len(s)), -0.2)
	c := -0.5 / (h * h)
	dens := func(t float64) float64 {
		// Only draws within 9 bandwidths matter (weight < e^−40).
		lo := sort.SearchFloat64s(s, t-9*h)
		var f float64
		for _, v := range s[lo:] {
			if v > t+9*h {
				break
			}
			f += math.Exp(c * (t - v) * (t - v))
		}
		return f
	}
	best, bestF := s[0], -1.0
	for k := range kdeGrid {
		t := s[0] + (s[len(s)-1]-s[0])*float64(k)/(kdeGrid-1)
		if f := dens(t); f > bestF {
			best, bestF = t, f
		}
	}
	tol := 1e-12 * (s[len(s)-1] - s[0])
	t := best
	for range kdeMaxIter {
		var sw, swx float64
		for _, v := range s {
			w := math.Exp(c * (t - v) * (t - v))
			sw += w
			swx += w * v
		}
		next := swx / sw
		if math.Abs(next-t) <= tol {
			return next, nil
		}
		t = next
	}
	return t, nil
}

// MarginalModes returns KDEMode of each column of x: the marginal MAP of each
// parameter, the peak of each 1-D density in the paper's figures. dst may be
// nil; otherwise it must have one entry per column.
func MarginalModes(dst []float64, x [][]float64) ([]float64, error) {
	dim, err := checkMat("MarginalModes", "x", x)
	if err != nil {
		return nil, err
	}
	if dst, err = useDst("MarginalModes", dst, dim); err != nil {
		return nil, err
	}
	c := make([]float64, len(x))
	for j := range dst {
		if dst[j], err = KDEMode(column(c, x, j)); err != nil {
			return nil, fmt.Errorf("column %d: %w", j, err)
		}
	}
	return dst, nil
}

// JointMode returns the mode of the d-dimensional Gaussian KDE of x with
// Scott's full-covariance bandwidth (scipy's gaussian_kde): the joint MAP,
// which differs from the marginal modes when parameters are correlated. The
// search evaluates the KDE at every draw (O(n²·d)), then runs mean shift from
// the five densest draws and keeps the highest end point. The sample
// covariance must be positive definite (no constant or collinear columns).
// dst may be nil; otherwise it must have one entry per column.
func JointMode(dst []float64, x [][]float64) ([]float64, error) {
	dim, err := checkMat("JointMode", "x", x)
	if err != nil {
		return nil, err
	}
	n := len(x)
	if n <= dim {
		return nil, fmt.Errorf("metrics.JointMode: %d draws in %d dimensions, need more draws than dimensions: %w", n, dim, ErrEmpty)
	}
	if dst, err = useDst("JointMode", dst, dim); err != nil {
		return nil, err
	}
	// Whiten: z = L⁻¹(x − mean) with Σ = L·Lᵀ, so the kernel is isotropic
	// with sd f = n^(−1/(d+4)) in z.
	data := mat.NewDense(n, dim, nil)
	for i, r := range x {
		data.SetRow(i, r)
	}
	var cov mat.SymDense
	stat.CovarianceMatrix(&cov, data, nil)
	var chol mat.Cholesky
	if !chol.Factorize(&cov) {
		return nil, fmt.Errorf("metrics.JointMode: sample covariance is not positive definite (a constant or collinear column): %w", ErrDomain)
	}
	var l mat.TriDense
	chol.LTo(&l)
	mean := make([]float64, dim)
	for j := range mean {
		mean[j] = stat.Mean(mat.Col(nil, j, data), nil)
	}
	centred := mat.NewDense(n, dim, nil)
	for i, r := range x {
		for j, v := range r {
			centred.Set(i, j, v-mean[j])
		}
	}
	// Solve L·Zᵀ = Xcᵀ; column i of the result is draw i whitened.
	var z mat.Dense
	if err := z.Solve(&l, centred.T()); err != nil {
		return nil, fmt.Errorf("metrics.JointMode: whitening: %w", err)
	}
	zr := make([][]float64, n)
	for i := range zr {
		zr[i] = mat.Col(nil, i, &z)
	}
	f := math.Pow(float64(n), -1/float64(dim+4))
	c := -0.5 / (f * f)
	dens := func(t []float64) float64 {
		var s float64
		for _, r := range zr {
			s += math.Exp(c * sqDist(t, r))
		}
		return s
	}
	order := make([]int, n)
	fz := make([]float64, n)
	for i := range order {
		order[i] = i
		fz[i] = dens(zr[i])
	}
	sort.Slice(order, func(a, b int) bool { return fz[order[a]] > fz[order[b]] })
	best, bestF := []float64(nil), -1.0
	t, next := make([]float64, dim), make([]float64, dim)
	for _, i := range order[:min(kdeStarts, n)] {
		copy(t, zr[i])
		for range kdeMaxIter {
			var sw float64
			clear(next)
			for _, r := range zr {
				w := math.Exp(c * sqDist(t, r))
				sw += w
				axpy(w, r, next)
			}
			for j := range next {
				next[j] /= sw
			}
			moved := sqDist(t, next)
			t, next = next, t
			if moved <= 1e-24 { // Whitened units: (1e-12 sd)².
				break
			}
		}
		if ft := dens(t); ft > bestF {
			best, bestF = append(best[:0], t...), ft
		}
	}
	// Back to parameter space: x = L·z + mean.
	xv := mat.NewVecDense(dim, dst)
	xv.MulVec(&l, mat.NewVecDense(dim, best))
	for j := range dst {
		dst[j] += mean[j]
	}
	return dst, nil
}

func sqDist(a, b []float64) float64 {
	b = b[:len(a)]
	var s float64
	for i, v := range a {
		d := v - b[i]
		s += d * d
	}
	return s
}
