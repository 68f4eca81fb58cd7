package metrics

import (
	"errors"
	"fmt"

	"github.com/ozarkinn/inn/innlib/kde"
)

// This file finds the maximum a posteriori (MAP) point of a posterior sample
// as the mode of a Gaussian kernel density estimate (package kde), the
// density the paper plots. The paper does not say how its MAP was computed;
// these helpers fix one reproducible definition.
//
// Bandwidth: Scott's rule, as scipy.stats.gaussian_kde (and so seaborn's
// kdeplot) by default: the kernel covariance is the sample covariance (n − 1)
// times n^(−2/(d+4)); in one dimension the kernel sd is sd·n^(−1/5). It
// over-smooths clearly multimodal samples, as it does in those plots.

// KDEMode returns the mode of the Gaussian KDE of the 1-D sample x with
// Scott's bandwidth (kde.Univariate.Mode): the global maximum over a
// 512-point grid spanning the data (the KDE has no mode outside it), refined
// by mean-shift iterations, which climb to the local maximum near the best
// grid point. x needs two distinct values.
func KDEMode(x []float64) (float64, error) {
	if err := checkVec("KDEMode", "x", x); err != nil {
		return 0, err
	}
	k, err := kde.NewUnivariate(x, kde.Scott)
	if errors.Is(err, kde.ErrDegenerate) {
		return 0, fmt.Errorf("metrics.KDEMode: x is constant, no bandwidth: %w", ErrDomain)
	}
	if err != nil {
		return 0, fmt.Errorf("metrics.KDEMode: %w", err)
	}
	return k.Mode(), nil
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
// search (kde.Multivariate.Mode) evaluates the KDE at every draw (O(n²·d)),
// then runs mean shift from the five densest draws and keeps the highest end
// point. The sample covariance must be positive definite (no constant or
// collinear columns). dst may be nil; otherwise it must have one entry per
// column.
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
	k, err := kde.NewMultivariate(x, kde.Scott)
	if errors.Is(err, kde.ErrDegenerate) {
		return nil, fmt.Errorf("metrics.JointMode: sample covariance is not positive definite (a constant or collinear column): %w", ErrDomain)
	}
	if err != nil {
		return nil, fmt.Errorf("metrics.JointMode: %w", err)
	}
	copy(dst, k.Mode())
	return dst, nil
}
