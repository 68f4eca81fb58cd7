package kde

import (
	"fmt"
	"math"
	"slices"
	"sort"

	"gonum.org/v1/gonum/stat"
)

// Cutoff is the distance, in kernel widths, beyond which Density skips a
// point: its kernel weighs less than e^−40.5 of the peak.
const Cutoff = 9

// Univariate is the Gaussian KDE of a 1-D sample,
//
//	f(t) = 1/(n·h·√(2π)) · Σᵢ wᵢ exp(−(t − xᵢ)²/(2h²)),
//
// with all weights 1 unless the points were binned. It is safe for
// concurrent use.
type Univariate struct {
	x []float64 // Points, ascending.
	w []float64 // Weight of each point; nil means 1 each.
	n float64   // Sample size (the total weight).
	h float64   // Kernel standard deviation.
	c float64   // −1/(2h²).
}

// NewUnivariate returns the KDE of x with kernel standard deviation
// sd(x)·b.Factor(len(x), 1), sd with the n − 1 divisor. x needs two finite
// values; if all are equal there is no width and the error wraps
// ErrDegenerate. x is copied.
func NewUnivariate(x []float64, b Bandwidth) (*Univariate, error) {
	if err := checkPoints("NewUnivariate", x); err != nil {
		return nil, err
	}
	s := sorted(x)
	h := math.Sqrt(stat.Variance(s, nil)) * b.Factor(len(s), 1)
	if !(h > 0) {
		return nil, fmt.Errorf("kde.NewUnivariate: the %d points are all %v, no kernel width: %w", len(s), s[0], ErrDegenerate)
	}
	return newUnivariate(s, nil, float64(len(s)), h), nil
}

// NewUnivariateWidth returns the KDE of x with kernel standard deviation h,
// which must be positive and finite. x needs two finite values and is copied.
func NewUnivariateWidth(x []float64, h float64) (*Univariate, error) {
	if err := checkPoints("NewUnivariateWidth", x); err != nil {
		return nil, err
	}
	if !(h > 0) || math.IsInf(h, 0) {
		return nil, fmt.Errorf("kde.NewUnivariateWidth: kernel width %v, want positive and finite", h)
	}
	return newUnivariate(sorted(x), nil, float64(len(x)), h), nil
}

func newUnivariate(x, w []float64, n, h float64) *Univariate {
	return &Univariate{x: x, w: w, n: n, h: h, c: -0.5 / (h * h)}
}

func sorted(x []float64) []float64 {
	s := slices.Clone(x)
	sort.Float64s(s)
	return s
}

// Width returns the kernel standard deviation h.
func (k *Univariate) Width() float64 { return k.h }

// Density returns the estimated density at t.
func (k *Univariate) Density(t float64) float64 {
	return k.sum(t) / k.norm()
}

// norm is the density's normaliser: the weights' total times h·√(2π).
func (k *Univariate) norm() float64 { return k.n * k.h * math.Sqrt(2*math.Pi) }

// sum returns Σᵢ wᵢ exp(−(t − xᵢ)²/(2h²)) over the points within Cutoff
// widths of t.
func (k *Univariate) sum(t float64) float64 {
	lo := sort.SearchFloat64s(k.x, t-Cutoff*k.h)
	var f float64
	for i, v := range k.x[lo:] {
		if v > t+Cutoff*k.h {
			break
		}
		e := math.Exp(k.c * (t - v) * (t - v))
		if k.w != nil {
			e *= k.w[lo+i]
		}
		f += e
	}
	return f
}

// Mode returns the point of highest density: the best of 512 grid points
// spanning the data (the density has no maximum outside them), refined by
// mean-shift iterations, which climb to the local maximum near it and stop
// when a step is below 1e-12 of the data range.
func (k *Univariate) Mode() float64 {
	lo, hi := k.x[0], k.x[len(k.x)-1]
	if lo == hi {
		return lo
	}
	best, bestF := lo, -1.0
	for i := range modeGrid {
		t := lo + (hi-lo)*float64(i)/(modeGrid-1)
		if f := k.sum(t); f > bestF {
			best, bestF = t, f
		}
	}
	tol := 1e-12 * (hi - lo)
	t := best
	for range modeMaxShift {
		var sw, swx float64
		for i, v := range k.x {
			w := math.Exp(k.c * (t - v) * (t - v))
			if k.w != nil {
				w *= k.w[i]
			}
			sw += w
			swx += w * v
		}
		next := swx / sw
		if math.Abs(next-t) <= tol {
			return next
		}
		t = next
	}
	return t
}
