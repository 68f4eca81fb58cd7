package optim

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
)

// textbookAdam is Kingma & Ba's Algorithm 1 in float64, written
// independently of Adam, with decoupled weight decay added.
func textbookAdam(p, m, v, g []float64, t int, lr, b1, b2, eps, wd float64) {
	for i := range p {
		m[i] = b1*m[i] + (1-b1)*g[i]
		v[i] = b2*v[i] + (1-b2)*g[i]*g[i]
		mHat := m[i] / (1 - math.Pow(b1, float64(t)))
		vHat := v[i] / (1 - math.Pow(b2, float64(t)))
		p[i] -= lr*mHat/(math.Sqrt(vHat)+eps) + lr*wd*p[i]
	}
}

// The first step of Adam moves each parameter by lr·g/(|g| + ε) (the bias
// correction undoes the moments' start at zero) plus the decay lr·wd·p.
func TestAdamFirstStepByHand(t *testing.T) {
	cfg := AdamConfig{LearningRate: 0.1, Beta1: 0.9, Beta2: 0.999, Epsilon: 1e-8, WeightDecay: 0.01}
	p := []float64{1, -2, 0.5}
	g := []float64{0.5, -0.1, 0}
	a := NewAdam[float64](3, cfg)
	a.Update(p, g, 1)
	// 1 − 0.1·0.5/(0.5 + 1e-8) − 0.1·0.01·1, and so on.
	want := []float64{
		1 - 0.1*0.5/(0.5+1e-8) - 0.001*1,
		-2 + 0.1*0.1/(0.1+1e-8) + 0.001*2,
		0.5 - 0.001*0.5,
	}
	for i := range p {
		if math.Abs(p[i]-want[i]) > 1e-15 {
			t.Errorf("p[%d] = %.17g after one step, want %.17g", i, p[i], want[i])
		}
	}
	if a.Steps() != 1 {
		t.Errorf("Steps() = %d, want 1", a.Steps())
	}
}

// Later steps follow the textbook algorithm (to rounding: Adam multiplies by
// the reciprocal bias corrections, as GoMLX does), and scale multiplies the
// gradient before anything else.
func TestAdamMatchesTextbook(t *testing.T) {
	const lr, b1, b2, eps, wd = 0.05, 0.8, 0.99, 1e-6, 1e-3
	a := NewAdam[float64](4, AdamConfig{LearningRate: lr, Beta1: b1, Beta2: b2, Epsilon: eps, WeightDecay: wd})
	p := []float64{0.3, -1.2, 2.5, 0}
	ref := append([]float64(nil), p...)
	m, v := make([]float64, 4), make([]float64, 4)
	for step := 1; step <= 25; step++ {
		g := make([]float64, 4)
		for i := range g {
			g[i] = math.Sin(float64(step*(i+1))) + 0.2*p[i]
		}
		scaled := make([]float64, 4)
		for i := range g {
			scaled[i] = 0.5 * g[i]
		}
		a.Update(p, g, 0.5)
		textbookAdam(ref, m, v, scaled, step, lr, b1, b2, eps, wd)
	}
	for i := range p {
		if math.Abs(p[i]-ref[i]) > 1e-13 {
			t.Errorf("p[%d] = %.17g after 25 steps, textbook %.17g", i, p[i], ref[i])
		}
	}
}

// FoldBias moves the bias correction onto the step size: the same steps when
// ε is 0, and ε scaled by √(1−β2ᵗ) otherwise.
func TestAdamFoldBias(t *testing.T) {
	cfg := AdamConfig{LearningRate: 0.01, Beta1: 0.9, Beta2: 0.999}
	folded := cfg
	folded.FoldBias = true
	p1, p2 := []float64{1, -1}, []float64{1, -1}
	a1, a2 := NewAdam[float64](2, cfg), NewAdam[float64](2, folded)
	for step := 1; step <= 10; step++ {
		g := []float64{math.Cos(float64(step)), 0.3}
		a1.Update(p1, g, 1)
		a2.Update(p2, g, 1)
	}
	for i := range p1 {
		if math.Abs(p1[i]-p2[i]) > 1e-15 {
			t.Errorf("ε = 0: p[%d] %.17g (moments) vs %.17g (folded)", i, p1[i], p2[i])
		}
	}
	// With ε: the folded first step is α·√(1−β2)/(1−β1)·m/(√v + ε) = α·g/(|g| + ε/√(1−β2)).
	folded.Epsilon = 1e-3
	a := NewAdam[float64](1, folded)
	p := []float64{0}
	a.Update(p, []float64{0.02}, 1)
	want := -0.01 * 0.02 / (0.02 + 1e-3/math.Sqrt(0.001))
	if math.Abs(p[0]-want) > 1e-17 {
		t.Errorf("folded first step %.17g, want %.17g", p[0], want)
	}
}

// On a badly scaled quadratic ½Σaᵢ(pᵢ−cᵢ)², Adam with a cosine schedule ends
// at the minimum, in float32 and float64.
func TestAdamQuadratic(t *testing.T) {
	scales := []float64{100, 1, 0.01, 3}
	centre := []float64{1, -2, 0.5, 0}
	t.Run("float64", func(t *testing.T) { quadratic[float64](t, scales, centre, 1e-4) })
	t.Run("float32", func(t *testing.T) { quadratic[float32](t, scales, centre, 1e-3) })
}

func quadratic[T Float](t *testing.T, scales, centre []float64, tol float64) {
	const steps = 3000
	n := len(scales)
	p, g := make([]T, n), make([]T, n)
	a := NewAdam[T](n, AdamConfig{LearningRate: 0.1, Beta1: 0.9, Beta2: 0.999, Epsilon: 1e-8})
	for s := 0; s < steps; s++ {
		a.SetLearningRate(Cosine(0.1, 0.001, s, steps))
		for i := range p {
			g[i] = T(scales[i]) * (p[i] - T(centre[i]))
		}
		a.Update(p, g, 1)
	}
	for i := range p {
		if d := math.Abs(float64(p[i]) - centre[i]); d > tol {
			t.Errorf("p[%d] = %g after %d steps, want %g ± %g", i, p[i], steps, centre[i], tol)
		}
	}
}

// float32 and float64 Adams take the same steps to float32 rounding.
func TestAdamFloat32MatchesFloat64(t *testing.T) {
	cfg := AdamConfig{LearningRate: 1e-3, Beta1: 0.9, Beta2: 0.95, Epsilon: 1e-6, WeightDecay: 1e-5}
	p32, p64 := []float32{0.7, -0.4}, []float64{0.7, -0.4}
	for i := range p64 {
		p64[i] = float64(p32[i])
	}
	a32, a64 := NewAdam[float32](2, cfg), NewAdam[float64](2, cfg)
	for s := 0; s < 50; s++ {
		g := []float64{math.Sin(float64(s)), 0.1 * math.Cos(float64(3*s))}
		a32.Update(p32, []float32{float32(g[0]), float32(g[1])}, 0.9)
		a64.Update(p64, g, 0.9)
	}
	for i := range p64 {
		if d := math.Abs(float64(p32[i]) - p64[i]); d > 1e-6 {
			t.Errorf("p[%d]: float32 %.9g, float64 %.9g", i, p32[i], p64[i])
		}
	}
}

func TestAdamConfigValidate(t *testing.T) {
	good := AdamConfig{LearningRate: 1e-3, Beta1: 0.9, Beta2: 0.999, Epsilon: 1e-8}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []AdamConfig{
		{LearningRate: 0, Beta1: 0.9, Beta2: 0.999},
		{LearningRate: 1e-3, Beta1: 1, Beta2: 0.999},
		{LearningRate: 1e-3, Beta1: 0.9, Beta2: -0.1},
		{LearningRate: 1e-3, Beta1: 0.9, Beta2: 0.999, Epsilon: math.NaN()},
		{LearningRate: 1e-3, Beta1: 0.9, Beta2: 0.999, WeightDecay: -1},
	} {
		if bad.Validate() == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}

func TestAdamRejectsWrongLength(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Update with the wrong length did not panic")
		}
	}()
	NewAdam[float32](3, AdamConfig{LearningRate: 1, Beta1: 0.9, Beta2: 0.9}).Update(make([]float32, 2), make([]float32, 2), 1)
}

// TestAdamParallelSameBits: a vector long enough to be split over goroutines
// is updated exactly as on one goroutine.
func TestAdamParallelSameBits(t *testing.T) {
	n := 3*minParallelAdam + 7
	rng := rand.New(rand.NewPCG(5, 6))
	p1, g := make([]float32, n), make([]float32, n)
	for i := range p1 {
		p1[i], g[i] = float32(rng.NormFloat64()), float32(rng.NormFloat64())
	}
	p2 := append([]float32(nil), p1...)
	cfg := AdamConfig{LearningRate: 1e-3, Beta1: 0.9, Beta2: 0.95, Epsilon: 1e-6, WeightDecay: 1e-5}
	a1, a2 := NewAdam[float32](n, cfg), NewAdam[float32](n, cfg)
	prev := runtime.GOMAXPROCS(1)
	for range 3 {
		a1.Update(p1, g, 0.5)
	}
	runtime.GOMAXPROCS(4)
	for range 3 {
		a2.Update(p2, g, 0.5)
	}
	runtime.GOMAXPROCS(prev)
	for i := range p1 {
		if math.Float32bits(p1[i]) != math.Float32bits(p2[i]) {
			t.Fatalf("parameter %d: %g on one goroutine, %g on four", i, p1[i], p2[i])
		}
	}
}
