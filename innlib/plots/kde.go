package plots

import (
	"errors"
	"fmt"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"

	"github.com/ozarkinn/inn/innlib/kde"
)

// Gaussian kernel density estimates for the posterior figures, from package
// kde (scipy.stats.gaussian_kde's conventions, as the paper's seaborn
// plots). This file adds what a figure needs: a fallback width for samples
// without spread, and linear binning of large samples (kde's Binned), which
// keeps the cost independent of n; with 2048 nodes per axis in 1-D and 128
// in 2-D the node spacing is far below the bandwidth and the display grid,
// so the curves are unchanged to plotting accuracy. The estimates are
// evaluated on the whole display grid at once (kde's Grid: a recurrence
// along evenly spaced rows, equal to point-by-point evaluation to rounding).

// Bandwidth picks the rule for the kernel width (kde.Bandwidth).
type Bandwidth int

const (
	Scott     = Bandwidth(kde.Scott)     // scipy / seaborn default
	Silverman = Bandwidth(kde.Silverman) // slightly wider in 1-D: factor ×1.06
)

func (b Bandwidth) rule() kde.Bandwidth { return kde.Bandwidth(b) }

func (b Bandwidth) factor(n, d int) float64 { return b.rule().Factor(n, d) }

const (
	binNodes1D = 2048
	binNodes2D = 128
)

// KDE1D evaluates the Gaussian KDE of xs at each grid point. xs needs at
// least two values; if they are all equal (no spread, so no bandwidth) the
// kernel width falls back to 1% of the grid span, drawing a narrow spike.
func KDE1D(xs, grid []float64, bw Bandwidth) ([]float64, error) {
	if len(xs) < 2 {
		return nil, fmt.Errorf("plots.KDE1D: need at least 2 samples, got %d: %w", len(xs), ErrInput)
	}
	if err := checkVec("KDE1D", "samples", xs, 0); err != nil {
		return nil, err
	}
	if err := checkVec("KDE1D", "grid", grid, 0); err != nil {
		return nil, err
	}
	k, err := kde.NewUnivariate(xs, bw.rule())
	if errors.Is(err, kde.ErrDegenerate) {
		k, err = kde.NewUnivariateWidth(xs, spanFallback(grid))
	}
	if err == nil && len(xs) > binNodes1D {
		k, err = k.Binned(binNodes1D)
	}
	if err != nil {
		return nil, fmt.Errorf("plots.KDE1D: %w", err)
	}
	return k.Grid(grid), nil
}

func spanFallback(grid []float64) float64 {
	lo, hi := grid[0], grid[0]
	for _, g := range grid {
		lo, hi = min(lo, g), max(hi, g)
	}
	if hi > lo {
		return (hi - lo) / 100
	}
	return 1
}

// KDE2D evaluates the 2-D Gaussian KDE of the pairs (xs[k], ys[k]) on the
// grid gx × gy with the full sample covariance (so a tilted ridge keeps its
// shape). The result is z[j][i] = density at (gx[i], gy[j]), the row order
// plotly's contour and heatmap traces expect. A degenerate (near-singular)
// covariance falls back to independent widths of 1% of each grid span.
func KDE2D(xs, ys, gx, gy []float64, bw Bandwidth) ([][]float64, error) {
	if len(xs) != len(ys) {
		return nil, fmt.Errorf("plots.KDE2D: %d x values but %d y values: %w", len(xs), len(ys), ErrInput)
	}
	if len(xs) < 3 {
		return nil, fmt.Errorf("plots.KDE2D: need at least 3 samples, got %d: %w", len(xs), ErrInput)
	}
	for _, c := range []struct {
		n string
		v []float64
	}{{"x samples", xs}, {"y samples", ys}, {"x grid", gx}, {"y grid", gy}} {
		if err := checkVec("KDE2D", c.n, c.v, 0); err != nil {
			return nil, err
		}
	}
	pts := make([][]float64, len(xs))
	for i := range pts {
		pts[i] = []float64{xs[i], ys[i]}
	}
	// A nearly singular covariance (1 − correlation² below 1e-12) would draw
	// a needle; widths from the grid show the points instead.
	vx, vy, cxy := stat.Variance(xs, nil), stat.Variance(ys, nil), stat.Covariance(xs, ys, nil)
	var k *kde.Multivariate
	var err error
	if vx > 0 && vy > 0 && vx*vy-cxy*cxy > 1e-12*vx*vy {
		k, err = kde.NewMultivariate(pts, bw.rule())
	}
	if k == nil || errors.Is(err, kde.ErrDegenerate) {
		hx, hy := spanFallback(gx), spanFallback(gy)
		k, err = kde.NewMultivariateCov(pts, mat.NewSymDense(2, []float64{hx * hx, 0, 0, hy * hy}))
	}
	if err == nil && len(xs) > binNodes2D*binNodes2D {
		k, err = k.Binned(binNodes2D)
	}
	if err != nil {
		return nil, fmt.Errorf("plots.KDE2D: %w", err)
	}
	z, err := k.Grid(gx, gy)
	if err != nil {
		return nil, fmt.Errorf("plots.KDE2D: %w", err)
	}
	return z, nil
}
