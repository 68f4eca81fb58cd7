// Package kde estimates probability densities with Gaussian kernels: the one
// kernel density estimate (KDE) of the project, used for the MAP point of a
// posterior sample (package metrics) and for the density curves and contours
// of the figures (package plots). It is pure Go on plain slices.
//
// The conventions are scipy.stats.gaussian_kde's (the paper's seaborn plots
// use it): the kernel covariance is the sample covariance (n − 1 divisor)
// times factor², with the factor given by a Bandwidth rule,
//
//	Scott:     n^(−1/(d+4))
//	Silverman: (n(d+2)/4)^(−1/(d+4))
//
// Univariate is the 1-D estimate (points kept sorted); Multivariate is the
// d-dimensional one with the full covariance, computed on points whitened
// by its Cholesky factor so that the kernel is isotropic. Density skips
// points further than Cutoff kernel widths from where it evaluates. Both
// can be linearly binned onto a lattice (Binned), which makes evaluation
// cost independent of the sample size, both evaluate on a whole grid
// (Grid: 1-D, or 2-D for a Multivariate), which an evenly spaced grid
// makes a recurrence along each row, three exponentials per point and row
// instead of one per point and node, and both find their mode by mean
// shift (Mode).
//
// Usage:
//
//	k, err := kde.NewUnivariate(draws, kde.Scott)
//	if err != nil { ... }
//	f := k.Density(0.5) // density at 0.5
//	m := k.Mode()       // the point of highest density
package kde

import "errors"

// ErrDegenerate marks a sample with no spread to scale a kernel by: all
// values equal (1-D), or a covariance that is not positive definite
// (constant or collinear columns, or no more points than dimensions).
var ErrDegenerate = errors.New("kde: degenerate sample")

// Mode search settings, shared by Univariate.Mode and Multivariate.Mode.
const (
	modeGrid     = 512   // Grid points over the data range that start the 1-D search.
	modeStarts   = 5     // Densest points that start the d-dimensional search.
	modeMaxShift = 10000 // Mean-shift iterations at most; each increases the density.
)
