package plots

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat"
)

// Gaussian kernel density estimates for the posterior figures. gonum/stat
// has no KDE, so this file has one, with scipy.stats.gaussian_kde's
// conventions (the paper's seaborn plots use it): the kernel covariance is
// the sample covariance (n-1 denominator) times factor², where factor is
//
//	Scott:     n^(-1/(d+4))
//	Silverman: (n(d+2)/4)^(-1/(d+4))
//
// For large samples the data are first spread onto a fine grid by linear
// binning (each point shares its weight between the two, or four, nearest
// nodes), which keeps the cost independent of n; with 2048 nodes per axis in
// 1-D and 128 in 2-D the node spacing is far below the bandwidth and the
// display grid, so the curves are unchanged to plotting accuracy.

// Bandwidth picks the rule for the kernel width.
type Bandwidth int

const (
	Scott     Bandwidth = iota // scipy / seaborn default
	Silverman                  // slightly wider in 1-D: factor ×1.06
)

func (b Bandwidth) factor(n, d int) float64 {
	fn, fd := float64(n), float64(d)
	if b == Silverman {
		return math.Pow(fn*(fd+2)/4, -1/(fd+4))
	}
	return math.Pow(fn, -1/(fd+4))
}

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
	h := stat.StdDev(xs, nil) * bw.factor(len(xs), 1)
	if !(h > 0) {
		h = spanFallback(grid)
	}
	pts, wts := xs, []float64(nil)
	if len(xs) > binNodes1D {
		pts, wts = linearBin1D(xs, binNodes1D)
	}
	out := make([]float64, len(grid))
	norm := 1 / (float64(len(xs)) * h * math.Sqrt(2*math.Pi))
	for i, g := range grid {
		s := 0.0
		for k, p := range pts {
			u := (g - p) / h
			if u > 8 || u < -8 { // exp(-32) is below plotting resolution
				continue
			}
			w := 1.0
			if wts != nil {
				w = wts[k]
			}
			s += w * math.Exp(-0.5*u*u)
		}
		out[i] = s * norm
	}
	return out, nil
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

// linearBin1D spreads xs over m equally spaced nodes spanning their range.
// Zero-weight nodes are dropped.
func linearBin1D(xs []float64, m int) (nodes, weights []float64) {
	lo, hi := xs[0], xs[0]
	for _, v := range xs {
		lo, hi = min(lo, v), max(hi, v)
	}
	w := make([]float64, m)
	step := (hi - lo) / float64(m-1)
	if step == 0 {
		return []float64{lo}, []float64{float64(len(xs))}
	}
	for _, v := range xs {
		t := (v - lo) / step
		k := min(int(t), m-2)
		f := t - float64(k)
		w[k] += 1 - f
		w[k+1] += f
	}
	for k, v := range w {
		if v > 0 {
			nodes = append(nodes, lo+float64(k)*step)
			weights = append(weights, v)
		}
	}
	return nodes, weights
}

// KDE2D evaluates the 2-D Gaussian KDE of the pairs (xs[k], ys[k]) on the
// grid gx × gy with the full sample covariance (so a tilted ridge keeps its
// shape). The result is z[j][i] = density at (gx[i], gy[j]), the row order
// plotly's contour and heatmap traces expect. A degenerate (singular)
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
	f2 := math.Pow(bw.factor(len(xs), 2), 2)
	sxx := stat.Variance(xs, nil) * f2
	syy := stat.Variance(ys, nil) * f2
	sxy := stat.Covariance(xs, ys, nil) * f2
	det := sxx*syy - sxy*sxy
	if !(det > 1e-12*sxx*syy) || !(sxx > 0) || !(syy > 0) {
		hx, hy := spanFallback(gx), spanFallback(gy)
		sxx, syy, sxy = hx*hx, hy*hy, 0
		det = sxx * syy
	}
	// Inverse covariance entries for the quadratic form.
	ia, ib, ic := syy/det, -sxy/det, sxx/det
	px, py, wts := xs, ys, []float64(nil)
	if len(xs) > binNodes2D*binNodes2D {
		px, py, wts = linearBin2D(xs, ys, binNodes2D)
	}
	norm := 1 / (float64(len(xs)) * 2 * math.Pi * math.Sqrt(det))
	z := make([][]float64, len(gy))
	for j, y := range gy {
		z[j] = make([]float64, len(gx))
		for i, x := range gx {
			s := 0.0
			for k := range px {
				dx, dy := x-px[k], y-py[k]
				q := ia*dx*dx + 2*ib*dx*dy + ic*dy*dy
				if q > 64 {
					continue
				}
				w := 1.0
				if wts != nil {
					w = wts[k]
				}
				s += w * math.Exp(-0.5*q)
			}
			z[j][i] = s * norm
		}
	}
	return z, nil
}

// linearBin2D is linearBin1D on an m × m lattice (bilinear weights).
func linearBin2D(xs, ys []float64, m int) (nx, ny, weights []float64) {
	rng := func(v []float64) (float64, float64) {
		lo, hi := v[0], v[0]
		for _, a := range v {
			lo, hi = min(lo, a), max(hi, a)
		}
		return lo, hi
	}
	xlo, xhi := rng(xs)
	ylo, yhi := rng(ys)
	sx, sy := (xhi-xlo)/float64(m-1), (yhi-ylo)/float64(m-1)
	if sx == 0 {
		sx = 1
	}
	if sy == 0 {
		sy = 1
	}
	w := make([]float64, m*m)
	for k := range xs {
		tx, ty := (xs[k]-xlo)/sx, (ys[k]-ylo)/sy
		i, j := min(int(tx), m-2), min(int(ty), m-2)
		fx, fy := tx-float64(i), ty-float64(j)
		w[j*m+i] += (1 - fx) * (1 - fy)
		w[j*m+i+1] += fx * (1 - fy)
		w[(j+1)*m+i] += (1 - fx) * fy
		w[(j+1)*m+i+1] += fx * fy
	}
	for idx, v := range w {
		if v > 0 {
			nx = append(nx, xlo+float64(idx%m)*sx)
			ny = append(ny, ylo+float64(idx/m)*sy)
			weights = append(weights, v)
		}
	}
	return nx, ny, weights
}
