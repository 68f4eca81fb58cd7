package lingauss

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestPosteriorByImportanceSampling checks the analytic posterior against
// self-normalised importance sampling from the prior, in 1-D and in the default problem.
func TestPosteriorByImportanceSampling(t *testing.T) {
	p := Default()
	n, m := p.Dims()
	yObs := []float64{0.7, -0.4}
	mean, cov, err := p.Posterior(yObs)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	const draws = 400000
	wsum := 0.0
	est := make([]float64, n)
	est2 := make([]float64, n)
	x := make([]float64, n)
	for s := 0; s < draws; s++ {
		for j := range x {
			x[j] = rng.NormFloat64()
		}
		y := p.Apply(x)
		ll := 0.0
		for j := 0; j < m; j++ {
			d := (yObs[j] - y[j]) / p.Sigma
			ll -= 0.5 * d * d
		}
		w := math.Exp(ll)
		wsum += w
		for j := range x {
			est[j] += w * x[j]
			est2[j] += w * x[j] * x[j]
		}
	}
	for j := 0; j < n; j++ {
		mu := est[j] / wsum
		sd := math.Sqrt(est2[j]/wsum - mu*mu)
		wantSD := math.Sqrt(cov[j][j])
		// Effective sample size is a few thousand here: errors of ~0.03 sd are expected.
		if math.Abs(mu-mean[j]) > 0.05*wantSD+0.01 || math.Abs(sd-wantSD) > 0.05*wantSD {
			t.Errorf("x%d: importance sampling mean %.4f sd %.4f, analytic %.4f, %.4f", j, mu, sd, mean[j], wantSD)
		}
	}
}

func TestScalarCase(t *testing.T) {
	// x ~ N(0,1), y = 2x + N(0, 1): posterior variance 1/(1+4) = 0.2, mean 2y/5.
	p := Problem{A: [][]float64{{2}}, Sigma: 1}
	mean, cov, err := p.Posterior([]float64{1.5})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(mean[0]-0.6) > 1e-12 || math.Abs(cov[0][0]-0.2) > 1e-12 {
		t.Fatalf("got mean %g var %g, want 0.6 and 0.2", mean[0], cov[0][0])
	}
	if _, _, err := p.Posterior([]float64{1, 2}); err == nil {
		t.Fatal("wrong observation length: want an error")
	}
}
