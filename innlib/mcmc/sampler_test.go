package mcmc

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// TestGaussianMoments checks that the sampler recovers the mean and
// covariance of a correlated Gaussian.
func TestGaussianMoments(t *testing.T) {
	// Σ_ij = s_i s_j 0.9^|i−j|: correlations 0.9 and 0.81, unequal scales
	// and a non-zero mean, inside a wide box (±20 is > 20 sd away).
	mu := []float64{1, -1, 3}
	sd := []float64{1, 2, 0.5}
	const d = 3
	cov := mat.NewSymDense(d, nil)
	for i := range d {
		for j := range d {
			cov.SetSym(i, j, sd[i]*sd[j]*math.Pow(0.9, math.Abs(float64(i-j))))
		}
	}
	cfg := Config{Walkers: 16, Steps: 25000, BurnIn: 2000, Thin: 10, Seed: 7,
		Lo: []float64{-20, -20, -20}, Hi: []float64{20, 20, 20}}
	res, err := Sample(gaussianLogDensity(t, mu, cov), d, cfg)
	if err != nil {
		t.Fatal(err)
	}
	// Tolerances assume ESS >= minESS per parameter (16 × 23000 draws with
	// τ ≈ 42 give ≈ 8800; asserted below). Then the standard error is
	// sd/√ESS = 0.013 sd for a mean, var·√(2/ESS) = 1.8% for a variance
	// and (1−ρ²)/√ESS = 0.0025 for ρ = 0.9; the bounds are about 4 SE.
	const minESS = 6000
	mean, c := pooledMeanCov(res.Chain, d)
	for i := range d {
		ess, err := ESSBulk(res.Trace(i))
		if err != nil {
			t.Fatal(err)
		}
		if ess < minESS {
			t.Errorf("x%d: ESS %.0f < %d; tolerances below assume more", i, ess, minESS)
		}
		if e := math.Abs(mean[i]-mu[i]) / sd[i]; e > 0.052 {
			t.Errorf("x%d: mean %.4f, want %.4f (error %.3f sd > 0.052)", i, mean[i], mu[i], e)
		}
		want := cov.At(i, i)
		if e := math.Abs(c[i][i]/want - 1); e > 0.073 {
			t.Errorf("x%d: variance %.4f, want %.4f (relative error %.3f > 0.073)", i, c[i][i], want, e)
		}
		for j := range i {
			got := c[i][j] / math.Sqrt(c[i][i]*c[j][j])
			want := cov.At(i, j) / (sd[i] * sd[j])
			// (1−ρ²)/√ESS <= 0.0025; 0.012 also covers ρ = 0.81 (0.0044).
			if math.Abs(got-want) > 0.012 {
				t.Errorf("corr(x%d, x%d) = %.4f, want %.4f", i, j, got, want)
			}
		}
	}
}

// TestBanana samples a twisted Gaussian, x1 ~ N(0, 1), x2 | x1 ~ N(b(x1² − 1), 1),
// whose marginals are known: x1 ~ N(0, 1), E x2 = 0, Var x2 = 1 + 2b² = 3.
func TestBanana(t *testing.T) {
	const b = 1.0
	logp := func(dst, x []float64) {
		for i := range dst {
			x1, x2 := x[2*i], x[2*i+1]
			r := x2 - b*(x1*x1-1)
			dst[i] = -0.5 * (x1*x1 + r*r)
		}
	}
	// Walkers start near the mode: started uniformly in a wide box, a
	// walker can land far out on the curved ridge and need far more than
	// the burn-in to come back. The box is wide enough (x2 > 100 needs
	// |x1| > 10) to leave the target untouched.
	rng := rand.New(rand.NewPCG(11, 0))
	init := make([][]float64, 16)
	for w := range init {
		init[w] = []float64{rng.NormFloat64(), rng.NormFloat64()}
	}
	cfg := Config{Walkers: 16, Steps: 40000, BurnIn: 2000, Thin: 1, Seed: 11,
		Lo: []float64{-10, -20}, Hi: []float64{10, 100}, Init: init}
	res, err := Sample(logp, 2, cfg)
	if err != nil {
		t.Fatal(err)
	}
	mean, c := pooledMeanCov(res.Chain, 2)
	var tau [2]float64
	for i := range 2 {
		iat, err := IntegratedTime(res.Trace(i), 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		tau[i] = iat.Tau
	}
	t.Logf("mean %.4f %.4f, var %.4f %.4f, τ %.1f %.1f", mean[0], mean[1], c[0][0], c[1][1], tau[0], tau[1])
	// Standard errors with N = 16 × 38000 draws and τ <= 80 (ESS >= 7600;
	// measured τ ≈ 45-60): mean x1 1/√ESS = 0.0115, var x1 √(2/ESS) = 0.016,
	// mean x2 √(3/ESS) = 0.020, var x2 √(Var(x2²)/ESS) = √(66/7600) = 0.093
	// (E x2⁴ = 75). Bounds are about 4 SE. (Over 8 seeds of 10⁵ steps the
	// variances averaged 0.997 and 2.977, so there is no bias to hide.)
	if tau[0] > 80 || tau[1] > 80 {
		t.Errorf("τ = %.1f, %.1f > 80; the tolerances assume less", tau[0], tau[1])
	}
	if math.Abs(mean[0]) > 0.046 || math.Abs(c[0][0]-1) > 0.065 {
		t.Errorf("x1: mean %.4f, var %.4f; want 0, 1", mean[0], c[0][0])
	}
	if math.Abs(mean[1]) > 0.08 || math.Abs(c[1][1]-3) > 0.37 {
		t.Errorf("x2: mean %.4f, var %.4f; want 0, 3", mean[1], c[1][1])
	}
	// KS test of the x1 marginal against N(0, 1) on draws 2τ apart, nearly
	// independent (ρ(2τ) ≈ e⁻⁴ for an exponential autocorrelation). The
	// bound 1.95/√n is the α = 0.001 critical value, leaving room for the
	// remaining correlation between walkers.
	step := int(math.Ceil(2 * math.Max(tau[0], tau[1])))
	x1 := thinnedColumn(res.Chain, 2, 0, step)
	d, crit := ksStatistic(x1, distuv.UnitNormal.CDF), 1.95/math.Sqrt(float64(len(x1)))
	if d > crit {
		t.Errorf("KS of x1 vs N(0, 1): D = %.4f > %.4f (n = %d)", d, crit, len(x1))
	}
}

// TestBoxUniform checks that out-of-box points never reach the density,
// that every half-ensemble is one call, and that a flat density in a box
// gives uniform samples.
func TestBoxUniform(t *testing.T) {
	lo := []float64{-1, 0, -3}
	hi := []float64{2, 5, -2}
	const d, walkers = 3, 16
	calls, points := 0, 0
	logp := func(dst, x []float64) {
		calls++
		points += len(dst)
		if len(dst) < 1 || len(dst) > walkers/2 || len(x) != d*len(dst) {
			t.Fatalf("batch of %d points, %d values", len(dst), len(x))
		}
		for i := range dst {
			for j := range d {
				if v := x[i*d+j]; v < lo[j] || v > hi[j] {
					t.Fatalf("density called outside the box: x[%d] = %v not in [%v, %v]", j, v, lo[j], hi[j])
				}
			}
			dst[i] = 0
		}
	}
	const steps = 20000
	cfg := Config{Walkers: walkers, Steps: steps, BurnIn: 1000, Thin: 1, Seed: 3, Lo: lo, Hi: hi}
	res, err := Sample(logp, d, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if calls > 2*steps+2 || points != res.Evaluations {
		t.Errorf("%d calls for %d half-steps, %d points vs Evaluations = %d", calls, 2*steps+2, points, res.Evaluations)
	}
	// Only in-box proposals can be accepted (a flat density still rejects
	// some of them through the z^(dim−1) factor), and the box must have
	// rejected some proposals for this test to mean anything.
	if inBox := float64(points-walkers) / (walkers * steps); inBox > 0.9 || res.MeanAcceptance >= inBox {
		t.Errorf("acceptance %.4f, in-box fraction %.4f", res.MeanAcceptance, inBox)
	}
	mean, c := pooledMeanCov(res.Chain, d)
	for j := range d {
		iat, err := IntegratedTime(res.Trace(j), 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		// N = 16 × 19000 draws, τ ≈ 80 measured; assume τ <= 100, ESS >= 3000.
		// SE of the mean = sd/√ESS = 0.018 sd; of the variance of a uniform
		// (kurtosis 1.8) √(0.8/ESS) = 1.6%. Bounds ≈ 4 SE.
		if iat.Tau > 100 {
			t.Errorf("x%d: τ = %.1f > 100; the tolerances assume less", j, iat.Tau)
		}
		sd := (hi[j] - lo[j]) / math.Sqrt(12)
		if e := math.Abs(mean[j]-(lo[j]+hi[j])/2) / sd; e > 0.073 {
			t.Errorf("x%d: mean %.4f, want %.4f", j, mean[j], (lo[j]+hi[j])/2)
		}
		if e := math.Abs(c[j][j]/(sd*sd) - 1); e > 0.065 {
			t.Errorf("x%d: variance %.4f, want %.4f", j, c[j][j], sd*sd)
		}
		// KS against the uniform on draws 2τ apart, α = 0.001 (see TestBanana).
		x := thinnedColumn(res.Chain, d, j, int(math.Ceil(2*iat.Tau)))
		u := distuv.Uniform{Min: lo[j], Max: hi[j]}
		if D, crit := ksStatistic(x, u.CDF), 1.95/math.Sqrt(float64(len(x))); D > crit {
			t.Errorf("x%d: KS vs uniform D = %.4f > %.4f (n = %d)", j, D, crit, len(x))
		}
	}
}

// TestBatching checks that without a box each half-ensemble is exactly one
// call of Walkers/2 points.
func TestBatching(t *testing.T) {
	calls := 0
	logp := func(dst, x []float64) {
		calls++
		if len(dst) != 5 || len(x) != 10 {
			t.Fatalf("batch of %d points, %d values; want 5, 10", len(dst), len(x))
		}
		for i := range dst {
			dst[i] = -0.5 * (x[2*i]*x[2*i] + x[2*i+1]*x[2*i+1])
		}
	}
	res, err := Sample(logp, 2, Config{Walkers: 10, Steps: 100, Seed: 1, Init: spread(10, 2, 1)})
	if err != nil {
		t.Fatal(err)
	}
	if calls != 2*100+2 || res.Evaluations != 10*101 {
		t.Errorf("%d calls, %d evaluations; want 202, 1010", calls, res.Evaluations)
	}
}

// spread returns n distinct points in dim dimensions, a little apart.
func spread(n, dim int, seed uint64) [][]float64 {
	r := rand.New(rand.NewPCG(seed, 1))
	out := make([][]float64, n)
	for w := range out {
		out[w] = make([]float64, dim)
		for j := range out[w] {
			out[w][j] = 0.1 * r.NormFloat64()
		}
	}
	return out
}

func stdNormal(dst, x []float64) {
	d := len(x) / len(dst)
	for i := range dst {
		var s float64
		for _, v := range x[i*d : (i+1)*d] {
			s += v * v
		}
		dst[i] = -0.5 * s
	}
}

// TestResultLayout checks the paper's defaults (1600 kept samples) and that
// Samples, LogDensity, Chain, KeptChain and Trace agree.
func TestResultLayout(t *testing.T) {
	if testing.Short() {
		t.Skip("full 16 × 50000 run")
	}
	cfg := DefaultConfig(5)
	cfg.Lo, cfg.Hi = make([]float64, 8), make([]float64, 8)
	for j := range cfg.Hi {
		cfg.Lo[j], cfg.Hi[j] = -5, 5
	}
	res, err := Sample(stdNormal, 8, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Samples) != 1600 || len(res.LogDensity) != 1600 || res.ChainLen() != 10000 {
		t.Fatalf("%d samples, %d log-densities, chain %d; want 1600, 1600, 10000", len(res.Samples), len(res.LogDensity), res.ChainLen())
	}
	lp := make([]float64, 1)
	traces := make([][][]float64, 8)
	for j := range traces {
		traces[j] = res.Trace(j)
	}
	for w := range 16 {
		kept := res.KeptChain(w)
		for s := range 100 {
			row := res.Samples[s*16+w]
			for j, v := range row {
				if v != res.Chain[w][s*100*8+j] || v != kept[s][j] || v != traces[j][w][s*100] {
					t.Fatalf("sample %d of walker %d, x[%d]: Samples, Chain, KeptChain, Trace disagree", s, w, j)
				}
			}
			stdNormal(lp, row)
			if lp[0] != res.LogDensity[s*16+w] {
				t.Fatalf("sample %d of walker %d: LogDensity %v, recomputed %v", s, w, res.LogDensity[s*16+w], lp[0])
			}
		}
	}
	for w := range 16 {
		if got, want := res.Final[w], res.Chain[w][len(res.Chain[w])-8:]; !slices.Equal(got, want) {
			t.Fatalf("walker %d: Final %v, last chain state %v", w, got, want)
		}
	}
	var acc float64
	for w, a := range res.Accepted {
		if res.AcceptanceFraction[w] != float64(a)/50000 {
			t.Fatalf("walker %d: acceptance fraction %v, accepted %d", w, res.AcceptanceFraction[w], a)
		}
		acc += res.AcceptanceFraction[w] / 16
	}
	if math.Abs(acc-res.MeanAcceptance) > 1e-12 {
		t.Errorf("mean acceptance %v, want %v", res.MeanAcceptance, acc)
	}
}

// TestRepeatable checks that a seed fixes the run bit for bit.
func TestRepeatable(t *testing.T) {
	cfg := Config{Walkers: 8, Steps: 500, BurnIn: 100, Thin: 7, Seed: 99,
		Lo: []float64{-3, -3, -3}, Hi: []float64{3, 3, 3}}
	a, err := Sample(stdNormal, 3, cfg)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Sample(stdNormal, 3, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for w := range a.Chain {
		if !slices.Equal(a.Chain[w], b.Chain[w]) {
			t.Fatalf("walker %d: chains differ between runs with the same seed", w)
		}
	}
	if !slices.Equal(a.LogDensity, b.LogDensity) || !slices.Equal(a.Accepted, b.Accepted) {
		t.Fatal("log-densities or acceptance differ between runs with the same seed")
	}
	cfg.Seed = 100
	c, err := Sample(stdNormal, 3, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Equal(a.Chain[0], c.Chain[0]) {
		t.Error("different seeds gave the same chain")
	}
}

// TestContinue checks that a run continued from Final is the same as
// re-running from the same state: it is a valid Init.
func TestContinue(t *testing.T) {
	cfg := Config{Walkers: 8, Steps: 200, Seed: 1, Init: spread(8, 2, 3)}
	a, err := Sample(stdNormal, 2, cfg)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Init = a.Final
	if _, err := Sample(stdNormal, 2, cfg); err != nil {
		t.Fatalf("continuing from Final: %v", err)
	}
}

func TestConfigErrors(t *testing.T) {
	box := func(c Config) Config { c.Lo, c.Hi = []float64{0, 0}, []float64{1, 1}; return c }
	ok := box(Config{Walkers: 4, Steps: 10, Seed: 1})
	if _, err := Sample(stdNormal, 2, ok); err != nil {
		t.Fatalf("valid config: %v", err)
	}
	mod := func(f func(*Config)) Config { c := ok; f(&c); return c }
	for _, tc := range []struct {
		name string
		cfg  Config
		dim  int
		want string
	}{
		{"dim 0", ok, 0, "dimension"},
		{"odd walkers", mod(func(c *Config) { c.Walkers = 5 }), 2, "Walkers"},
		{"too few walkers", mod(func(c *Config) { c.Walkers = 2 }), 2, "Walkers"},
		{"zero steps", mod(func(c *Config) { c.Steps = 0 }), 2, "Steps"},
		{"burn-in >= steps", mod(func(c *Config) { c.BurnIn = 10 }), 2, "BurnIn"},
		{"negative burn-in", mod(func(c *Config) { c.BurnIn = -1 }), 2, "BurnIn"},
		{"huge chain", mod(func(c *Config) { c.Steps = 1 << 40 }), 2, "post-burn-in chain"},
		{"negative thin", mod(func(c *Config) { c.Thin = -1 }), 2, "Thin"},
		{"a = 1", mod(func(c *Config) { c.StretchA = 1 }), 2, "StretchA"},
		{"a NaN", mod(func(c *Config) { c.StretchA = math.NaN() }), 2, "StretchA"},
		{"only Lo", mod(func(c *Config) { c.Hi = nil }), 2, "Lo and Hi"},
		{"box length", mod(func(c *Config) { c.Hi = []float64{1} }), 2, "len(Lo)"},
		{"empty box", mod(func(c *Config) { c.Hi = []float64{1, 0} }), 2, "dimension 1"},
		{"unbounded box without Init", mod(func(c *Config) { c.Hi = []float64{1, math.Inf(1)} }), 2, "unbounded"},
		{"no box no Init", mod(func(c *Config) { c.Lo, c.Hi = nil, nil }), 2, "Init or a box"},
		{"Init rows", mod(func(c *Config) { c.Init = spread(3, 2, 1) }), 2, "rows"},
		{"Init width", mod(func(c *Config) { c.Init = spread(4, 3, 1) }), 2, "Init[0]"},
		{"Init NaN", mod(func(c *Config) {
			c.Lo, c.Hi = nil, nil
			c.Init = spread(4, 2, 1)
			c.Init[2][1] = math.NaN()
		}), 2, "Init[2][1]"},
		{"Init outside box", mod(func(c *Config) {
			c.Init = [][]float64{{0.1, 0.1}, {0.2, 0.5}, {0.9, 0.3}, {0.5, 1.5}}
		}), 2, "walker 3"},
		{"Init degenerate", mod(func(c *Config) {
			c.Init = [][]float64{{0.1, 0.1}, {0.2, 0.2}, {0.3, 0.3}, {0.4, 0.4}}
		}), 2, "affinely independent"},
		{"Init same coordinate", mod(func(c *Config) {
			c.Init = [][]float64{{0.1, 0.5}, {0.2, 0.5}, {0.3, 0.5}, {0.4, 0.5}}
		}), 2, "x[1]"},
	} {
		_, err := Sample(stdNormal, tc.dim, tc.cfg)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one mentioning %q", tc.name, err, tc.want)
		}
	}
	if _, err := Sample(nil, 2, ok); err == nil {
		t.Error("nil log-density: no error")
	}
}

// TestBadLogDensity checks the errors for NaN / −Inf at the start (naming
// the walker) and NaN during the run (naming the step).
func TestBadLogDensity(t *testing.T) {
	init := spread(8, 2, 2)
	nanAt := func(bad []float64) LogDensity {
		return func(dst, x []float64) {
			stdNormal(dst, x)
			for i := range dst {
				if x[2*i] == bad[0] && x[2*i+1] == bad[1] {
					dst[i] = math.NaN()
				}
			}
		}
	}
	_, err := Sample(nanAt(init[5]), 2, Config{Walkers: 8, Steps: 10, Seed: 1, Init: init})
	if err == nil || !strings.Contains(err.Error(), "walker 5") {
		t.Errorf("NaN at walker 5: error %v", err)
	}
	zeroAt := func(dst, x []float64) {
		stdNormal(dst, x)
		for i := range dst {
			if x[2*i] == init[6][0] {
				dst[i] = math.Inf(-1)
			}
		}
	}
	_, err = Sample(zeroAt, 2, Config{Walkers: 8, Steps: 10, Seed: 1, Init: init})
	if err == nil || !strings.Contains(err.Error(), "walker 6") {
		t.Errorf("−Inf at walker 6: error %v", err)
	}
	calls := 0
	late := func(dst, x []float64) {
		calls++
		stdNormal(dst, x)
		if calls > 10 {
			dst[0] = math.NaN()
		}
	}
	_, err = Sample(late, 2, Config{Walkers: 8, Steps: 100, Seed: 1, Init: init})
	if err == nil || !strings.Contains(err.Error(), "step 4") || !strings.Contains(err.Error(), "NaN") {
		t.Errorf("NaN in call 11 (step 4): error %v", err)
	}
}
