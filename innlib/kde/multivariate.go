package kde

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// Multivariate is the Gaussian KDE of a d-dimensional sample with a full
// kernel covariance H = f²·Σ:
//
//	f(t) = 1/(n·√det(2πH)) · Σᵢ wᵢ exp(−½ (t − xᵢ)ᵀ H⁻¹ (t − xᵢ)),
//
// with all weights 1 unless the points were binned. It works on whitened
// points z = L⁻¹(x − mean), Σ = L·Lᵀ, where the kernel is isotropic with
// standard deviation f. It is safe for concurrent use.
type Multivariate struct {
	x    [][]float64   // Points as given (kept for Binned).
	w    []float64     // Weight of each point; nil means 1 each.
	n    float64       // Sample size (the total weight).
	mean []float64     // Centre of the whitening.
	l    *mat.TriDense // Lower Cholesky factor of Σ.
	f    float64       // Kernel standard deviation in whitened units.
	z    [][]float64   // Whitened points.
	c    float64       // −1/(2f²).
	norm float64       // 1/(n·√det(2πH)).
}

// NewMultivariate returns the KDE of the rows of x with kernel covariance
// the sample covariance (n − 1 divisor) times b.Factor(n, d)², as
// scipy.stats.gaussian_kde. x needs at least two rows of the same length,
// all finite; a covariance that is not positive definite (a constant or
// collinear column, or no more rows than columns) gives an error wrapping
// ErrDegenerate.
func NewMultivariate(x [][]float64, b Bandwidth) (*Multivariate, error) {
	dim, err := checkRows("NewMultivariate", x)
	if err != nil {
		return nil, err
	}
	data := mat.NewDense(len(x), dim, nil)
	for i, r := range x {
		data.SetRow(i, r)
	}
	var cov mat.SymDense
	stat.CovarianceMatrix(&cov, data, nil)
	var chol mat.Cholesky
	if !chol.Factorize(&cov) {
		return nil, fmt.Errorf("kde.NewMultivariate: sample covariance is not positive definite (a constant or collinear column, or %d points in %d dimensions): %w", len(x), dim, ErrDegenerate)
	}
	var l mat.TriDense
	chol.LTo(&l)
	mean := make([]float64, dim)
	for j := range mean {
		mean[j] = stat.Mean(mat.Col(nil, j, data), nil)
	}
	return newMultivariate(copyRows(x), nil, float64(len(x)), mean, &l, b.Factor(len(x), dim))
}

// NewMultivariateCov returns the KDE of the rows of x with the kernel
// covariance h, which must be positive definite and match the rows' length.
// x needs at least two rows, all finite.
func NewMultivariateCov(x [][]float64, h mat.Symmetric) (*Multivariate, error) {
	dim, err := checkRows("NewMultivariateCov", x)
	if err != nil {
		return nil, err
	}
	if h.SymmetricDim() != dim {
		return nil, fmt.Errorf("kde.NewMultivariateCov: kernel covariance is %d×%d, points have %d coordinates", h.SymmetricDim(), h.SymmetricDim(), dim)
	}
	var chol mat.Cholesky
	if !chol.Factorize(h) {
		return nil, fmt.Errorf("kde.NewMultivariateCov: kernel covariance is not positive definite: %w", ErrDegenerate)
	}
	var l mat.TriDense
	chol.LTo(&l)
	mean := make([]float64, dim)
	for _, r := range x {
		for j, v := range r {
			mean[j] += v / float64(len(x))
		}
	}
	return newMultivariate(copyRows(x), nil, float64(len(x)), mean, &l, 1)
}

func newMultivariate(x [][]float64, w []float64, n float64, mean []float64, l *mat.TriDense, f float64) (*Multivariate, error) {
	dim := len(mean)
	centred := mat.NewDense(len(x), dim, nil)
	for i, r := range x {
		for j, v := range r {
			centred.Set(i, j, v-mean[j])
		}
	}
	// Solve L·Zᵀ = Xcᵀ; column i of the result is point i whitened.
	var zt mat.Dense
	if err := zt.Solve(l, centred.T()); err != nil {
		return nil, fmt.Errorf("kde: whitening: %w", err)
	}
	z := make([][]float64, len(x))
	for i := range z {
		z[i] = mat.Col(nil, i, &zt)
	}
	// det(2πH) = (2π f²)^d det(Σ), det(Σ) = Π Lⱼⱼ².
	sq := math.Pow(2*math.Pi*f*f, float64(dim)/2)
	for j := range dim {
		sq *= l.At(j, j)
	}
	return &Multivariate{x: x, w: w, n: n, mean: mean, l: l, f: f, z: z, c: -0.5 / (f * f), norm: 1 / (n * sq)}, nil
}

func copyRows(x [][]float64) [][]float64 {
	dim := len(x[0])
	flat := make([]float64, len(x)*dim)
	out := make([][]float64, len(x))
	for i, r := range x {
		out[i] = flat[i*dim : (i+1)*dim : (i+1)*dim]
		copy(out[i], r)
	}
	return out
}

// Dim returns the number of dimensions.
func (k *Multivariate) Dim() int { return len(k.mean) }

// Density returns the estimated density at t, which must have Dim values.
// Points further than Cutoff kernel widths (in the metric of H) are skipped.
func (k *Multivariate) Density(t []float64) float64 {
	if len(t) != len(k.mean) {
		panic(fmt.Sprintf("kde.Multivariate.Density: point has %d coordinates, want %d", len(t), len(k.mean)))
	}
	// Whiten t by forward substitution: L·z = t − mean.
	l := k.l.RawTriangular()
	z := make([]float64, len(t))
	for i, a := range t {
		v := a - k.mean[i]
		for j, lij := range l.Data[i*l.Stride : i*l.Stride+i] {
			v -= lij * z[j]
		}
		z[i] = v / l.Data[i*l.Stride+i]
	}
	return k.sumNear(z) * k.norm
}

// sumNear is sum over the points within Cutoff kernel widths of t, for
// evaluation; the mode search uses the full sum, whose ties it breaks.
func (k *Multivariate) sumNear(t []float64) float64 {
	far := Cutoff * Cutoff * k.f * k.f
	var s float64
	for i, r := range k.z {
		q := sqDist(t, r)
		if q > far {
			continue
		}
		e := math.Exp(k.c * q)
		if k.w != nil {
			e *= k.w[i]
		}
		s += e
	}
	return s
}

// sum returns Σᵢ wᵢ exp(−|t − zᵢ|²/(2f²)) for a whitened point t.
func (k *Multivariate) sum(t []float64) float64 {
	var s float64
	for i, r := range k.z {
		e := math.Exp(k.c * sqDist(t, r))
		if k.w != nil {
			e *= k.w[i]
		}
		s += e
	}
	return s
}

// Mode returns the point of highest density. The search evaluates the
// density at every point (O(n²·d)), runs mean shift from the five densest
// (until a step is below 1e-12 kernel widths of Σ) and keeps the highest
// end point.
func (k *Multivariate) Mode() []float64 {
	dim := len(k.mean)
	order := make([]int, len(k.z))
	fz := make([]float64, len(k.z))
	for i := range order {
		order[i] = i
		fz[i] = k.sum(k.z[i])
	}
	sort.Slice(order, func(a, b int) bool { return fz[order[a]] > fz[order[b]] })
	best, bestF := []float64(nil), -1.0
	t, next := make([]float64, dim), make([]float64, dim)
	for _, i := range order[:min(modeStarts, len(order))] {
		copy(t, k.z[i])
		for range modeMaxShift {
			var sw float64
			clear(next)
			for p, r := range k.z {
				w := math.Exp(k.c * sqDist(t, r))
				if k.w != nil {
					w *= k.w[p]
				}
				sw += w
				floats.AddScaled(next, w, r)
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
		if ft := k.sum(t); ft > bestF {
			best, bestF = append(best[:0], t...), ft
		}
	}
	// Back to the data's units: x = L·z + mean.
	x := make([]float64, dim)
	xv := mat.NewVecDense(dim, x)
	xv.MulVec(k.l, mat.NewVecDense(dim, best))
	for j := range x {
		x[j] += k.mean[j]
	}
	return x
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
