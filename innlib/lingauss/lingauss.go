// Package lingauss is a linear-Gaussian inverse problem with a known answer,
// for testing and teaching posterior estimators:
//
//	x ~ N(0, I_n),  y = A x + ε,  ε ~ N(0, σ² I_m),
//
// whose posterior is Gaussian with covariance Σ = (I + AᵀA/σ²)⁻¹ and mean
// μ = Σ Aᵀ y / σ².
//
// Usage:
//
//	p := lingauss.Default()
//	x, y := p.Sample(10000, 1, false) // noise-free pairs (x, A x)
//	mean, cov, err := p.Posterior(yObs)
package lingauss

import (
	"fmt"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// Problem is y = A x + ε with x ~ N(0, I) and ε ~ N(0, Sigma² I).
type Problem struct {
	A     [][]float64 // m rows of n coefficients.
	Sigma float64     // Observation noise standard deviation.
}

// Default returns the problem used in innlib's tests and example: 4
// parameters, 2 outputs, σ = 0.3. The rows of A mix the parameters unevenly,
// so that the posterior is correlated and its sd differs between parameters.
func Default() Problem {
	return Problem{
		A: [][]float64{
			{1.0, 0.5, -0.3, 0.0},
			{0.2, -0.8, 0.6, 0.4},
		},
		Sigma: 0.3,
	}
}

// Dims returns the number of parameters n and outputs m.
func (p Problem) Dims() (n, m int) { return len(p.A[0]), len(p.A) }

// Sample draws n pairs (x, y). With noisy false, y = A x exactly (the pairs a
// deterministic simulator produces; the noise model is then given separately);
// with noisy true, y = A x + ε.
func (p Problem) Sample(rows int, seed uint64, noisy bool) (x, y [][]float64) {
	rng := rand.New(rand.NewPCG(seed, 0x6c67))
	n, m := p.Dims()
	x = make([][]float64, rows)
	y = make([][]float64, rows)
	for i := range x {
		x[i] = make([]float64, n)
		for j := range x[i] {
			x[i][j] = rng.NormFloat64()
		}
		y[i] = p.Apply(x[i])
		if noisy {
			for j := 0; j < m; j++ {
				y[i][j] += p.Sigma * rng.NormFloat64()
			}
		}
	}
	return x, y
}

// Apply returns A x.
func (p Problem) Apply(x []float64) []float64 {
	y := make([]float64, len(p.A))
	for i, row := range p.A {
		for j, a := range row {
			y[i] += a * x[j]
		}
	}
	return y
}

// Posterior returns the mean and covariance of p(x | y).
func (p Problem) Posterior(y []float64) (mean []float64, cov [][]float64, err error) {
	n, m := p.Dims()
	if len(y) != m {
		return nil, nil, fmt.Errorf("lingauss: observation has %d values, want %d", len(y), m)
	}
	if !(p.Sigma > 0) {
		return nil, nil, fmt.Errorf("lingauss: sigma %g, want > 0", p.Sigma)
	}
	a := mat.NewDense(m, n, nil)
	for i, row := range p.A {
		a.SetRow(i, row)
	}
	prec := mat.NewSymDense(n, nil)
	prec.SymOuterK(1/(p.Sigma*p.Sigma), a.T())
	for i := 0; i < n; i++ {
		prec.SetSym(i, i, prec.At(i, i)+1)
	}
	var chol mat.Cholesky
	if !chol.Factorize(prec) {
		return nil, nil, fmt.Errorf("lingauss: posterior precision is not positive definite")
	}
	var sigma mat.SymDense
	if err := chol.InverseTo(&sigma); err != nil {
		return nil, nil, err
	}
	var aty mat.VecDense
	aty.MulVec(a.T(), mat.NewVecDense(m, append([]float64(nil), y...)))
	aty.ScaleVec(1/(p.Sigma*p.Sigma), &aty)
	var mu mat.VecDense
	mu.MulVec(&sigma, &aty)
	mean = make([]float64, n)
	cov = make([][]float64, n)
	for i := 0; i < n; i++ {
		mean[i] = mu.AtVec(i)
		cov[i] = make([]float64, n)
		for j := 0; j < n; j++ {
			cov[i][j] = sigma.At(i, j)
		}
	}
	return mean, cov, nil
}

// PosteriorSample returns n draws from p(x | y), with the posterior's
// standard deviation multiplied by sdScale about its mean (1: exact; below 1
// an over-confident posterior, above 1 an under-confident one, for testing
// calibration checks), using rng.
func (p Problem) PosteriorSample(y []float64, n int, sdScale float64, rng *rand.Rand) ([][]float64, error) {
	mean, cov, err := p.Posterior(y)
	if err != nil {
		return nil, err
	}
	dim := len(mean)
	sym := mat.NewSymDense(dim, nil)
	for i := range cov {
		for j := i; j < dim; j++ {
			sym.SetSym(i, j, cov[i][j])
		}
	}
	var chol mat.Cholesky
	if !chol.Factorize(sym) {
		return nil, fmt.Errorf("lingauss: posterior covariance is not positive definite")
	}
	var l mat.TriDense
	chol.LTo(&l)
	out := make([][]float64, n)
	z := make([]float64, dim)
	for s := range out {
		for j := range z {
			z[j] = rng.NormFloat64()
		}
		out[s] = make([]float64, dim)
		for i := range dim {
			v := 0.0
			for j := 0; j <= i; j++ {
				v += l.At(i, j) * z[j]
			}
			out[s][i] = mean[i] + sdScale*v
		}
	}
	return out, nil
}
