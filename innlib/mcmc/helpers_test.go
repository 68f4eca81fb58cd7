package mcmc

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// gaussianLogDensity returns the log-density of N(mu, cov) (up to a
// constant) as a batched LogDensity.
func gaussianLogDensity(t testing.TB, mu []float64, cov *mat.SymDense) LogDensity {
	var chol mat.Cholesky
	if !chol.Factorize(cov) {
		t.Fatal("covariance not positive definite")
	}
	var prec mat.SymDense
	if err := chol.InverseTo(&prec); err != nil {
		t.Fatal(err)
	}
	d := len(mu)
	p := make([]float64, d*d)
	for i := range d {
		for j := range d {
			p[i*d+j] = prec.At(i, j)
		}
	}
	r := make([]float64, d)
	return func(dst, x []float64) {
		for n := range dst {
			for i := range d {
				r[i] = x[n*d+i] - mu[i]
			}
			var q float64
			for i := range d {
				var s float64
				for j := range d {
					s += p[i*d+j] * r[j]
				}
				q += r[i] * s
			}
			dst[n] = -0.5 * q
		}
	}
}

// pooledMeanCov returns the mean and covariance of all draws in row-major
// chains of width d.
func pooledMeanCov(chains [][]float64, d int) ([]float64, [][]float64) {
	mean := make([]float64, d)
	var n float64
	for _, c := range chains {
		for t := 0; t < len(c); t += d {
			for i := range d {
				mean[i] += c[t+i]
			}
			n++
		}
	}
	for i := range mean {
		mean[i] /= n
	}
	cov := make([][]float64, d)
	for i := range cov {
		cov[i] = make([]float64, d)
	}
	for _, c := range chains {
		for t := 0; t < len(c); t += d {
			for i := range d {
				for j := range d {
					cov[i][j] += (c[t+i] - mean[i]) * (c[t+j] - mean[j])
				}
			}
		}
	}
	for i := range d {
		for j := range d {
			cov[i][j] /= n - 1
		}
	}
	return mean, cov
}

// ksStatistic returns the one-sample Kolmogorov–Smirnov statistic
// sup |F_n(x) − F(x)| of x against the continuous CDF cdf.
func ksStatistic(x []float64, cdf func(float64) float64) float64 {
	s := slices.Clone(x)
	slices.Sort(s)
	n := float64(len(s))
	var d float64
	for i, v := range s {
		f := cdf(v)
		d = math.Max(d, math.Max(float64(i+1)/n-f, f-float64(i)/n))
	}
	return d
}

// thinnedColumn returns parameter j of row-major chains of width d, taking
// every step-th draw of every chain, pooled.
func thinnedColumn(chains [][]float64, d, j, step int) []float64 {
	var out []float64
	for _, c := range chains {
		for t := 0; t*d < len(c); t += step {
			out = append(out, c[t*d+j])
		}
	}
	return out
}

// ar1Chains returns m independent AR(1) series x_t = φ x_{t−1} + √(1−φ²) ε_t
// of length n with unit stationary variance, started in stationarity. Their
// integrated autocorrelation time is (1+φ)/(1−φ).
func ar1Chains(seed uint64, m, n int, phi float64) [][]float64 {
	r := rand.New(rand.NewPCG(seed, 5))
	s := math.Sqrt(1 - phi*phi)
	out := make([][]float64, m)
	for k := range out {
		x := make([]float64, n)
		x[0] = r.NormFloat64()
		for t := 1; t < n; t++ {
			x[t] = phi*x[t-1] + s*r.NormFloat64()
		}
		out[k] = x
	}
	return out
}

// normalChains returns m chains of n iid draws from N(mu_k, sd_k²).
func normalChains(seed uint64, n int, mu, sd []float64) [][]float64 {
	r := rand.New(rand.NewPCG(seed, 6))
	out := make([][]float64, len(mu))
	for k := range out {
		out[k] = make([]float64, n)
		for t := range out[k] {
			out[k][t] = mu[k] + sd[k]*r.NormFloat64()
		}
	}
	return out
}
