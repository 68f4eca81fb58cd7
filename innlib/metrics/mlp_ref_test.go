package metrics

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/floats"

	"github.com/ozarkinn/inn/innlib/internal/optim"
)

// refMLP is the C2ST classifier as it was before it moved to minibatch
// products in float32 (mlp.go): one sample at a time in float64. It stays
// as the oracle of the batched gradient (TestMLPGradient); its code is
// unchanged but for the names.
type refMLP struct {
	in, h  int
	p, g   []float64 // Parameters and their gradient, same layout.
	w1, b1 []float64 // [in][h], [h]
	w2, b2 []float64 // [h][h], [h]
	w3, b3 []float64 // [h], [1]
	// Gradient views.
	gw1, gb1, gw2, gb2, gw3, gb3 []float64
	adam                         *optim.Adam[float64]
	h1, h2, dh1, dh2             []float64 // Per-sample scratch.
	decay                        []bool    // Which entries of p are weights (L2-penalised), not biases.
	l2                           float64
}

func newRefMLP(in, h int, lr, l2 float64, rng *rand.Rand) *refMLP {
	n := in*h + h + h*h + h + h + 1
	// scikit-learn's Adam: bias correction folded into the step size.
	adam := optim.NewAdam[float64](n, optim.AdamConfig{LearningRate: lr, Beta1: 0.9, Beta2: 0.999, Epsilon: 1e-8, FoldBias: true})
	m := &refMLP{in: in, h: h, p: make([]float64, n), g: make([]float64, n), adam: adam, decay: make([]bool, n),
		h1: make([]float64, h), h2: make([]float64, h), dh1: make([]float64, h), dh2: make([]float64, h), l2: l2}
	split := func(s []float64) [6][]float64 {
		var v [6][]float64
		sizes := [6]int{in * h, h, h * h, h, h, 1}
		off := 0
		for i, sz := range sizes {
			v[i] = s[off : off+sz : off+sz]
			off += sz
		}
		return v
	}
	v := split(m.p)
	m.w1, m.b1, m.w2, m.b2, m.w3, m.b3 = v[0], v[1], v[2], v[3], v[4], v[5]
	v = split(m.g)
	m.gw1, m.gb1, m.gw2, m.gb2, m.gw3, m.gb3 = v[0], v[1], v[2], v[3], v[4], v[5]
	// Glorot-uniform weights, as scikit-learn: bound sqrt(6/(fan_in+fan_out)),
	// sqrt(2/(...)) for the logistic output. Biases start at zero.
	glorot := func(w []float64, fanIn, fanOut int, f float64) {
		b := math.Sqrt(f / float64(fanIn+fanOut))
		for i := range w {
			w[i] = b * (2*rng.Float64() - 1)
		}
	}
	glorot(m.w1, in, h, 6)
	glorot(m.w2, h, h, 6)
	glorot(m.w3, h, 1, 2)
	// Only weights are penalised, not biases (as scikit-learn).
	w2off := in*h + h
	w3off := w2off + h*h + h
	for _, r := range [][2]int{{0, in * h}, {w2off, w2off + h*h}, {w3off, w3off + h}} {
		for i := r[0]; i < r[1]; i++ {
			m.decay[i] = true
		}
	}
	return m
}

// forward returns the logit for x, leaving the hidden activations in h1, h2.
func (m *refMLP) forward(x []float64) float64 {
	h := m.h
	h1, h2 := m.h1, m.h2
	copy(h1, m.b1)
	for k, xk := range x {
		axpy(xk, m.w1[k*h:(k+1)*h], h1)
	}
	copy(h2, m.b2)
	for k, a := range h1 {
		if a > 0 {
			axpy(a, m.w2[k*h:(k+1)*h], h2)
		} else {
			h1[k] = 0
		}
	}
	o := m.b3[0]
	for u, a := range h2 {
		if a > 0 {
			o += a * m.w3[u]
		} else {
			h2[u] = 0
		}
	}
	return o
}

// accumulate adds the gradient of the logistic loss of (x, y) to g and
// returns the loss.
func (m *refMLP) accumulate(x []float64, y float64) float64 {
	h := m.h
	o := m.forward(x)
	d := sigmoid(o) - y // dLoss/dlogit
	m.gb3[0] += d
	axpy(d, m.h2, m.gw3)
	for u, a := range m.h2 {
		if a > 0 {
			m.dh2[u] = d * m.w3[u]
		} else {
			m.dh2[u] = 0
		}
	}
	axpy(1, m.dh2, m.gb2)
	for k, a := range m.h1 {
		if a > 0 {
			row := m.w2[k*h : (k+1)*h]
			axpy(a, m.dh2, m.gw2[k*h:(k+1)*h])
			m.dh1[k] = dot(row, m.dh2)
		} else {
			m.dh1[k] = 0
		}
	}
	axpy(1, m.dh1, m.gb1)
	for k, xk := range x {
		axpy(xk, m.dh1, m.gw1[k*h:(k+1)*h])
	}
	return logLoss(o, y)
}

// step applies one Adam update with the gradient accumulated over a batch of
// n samples, plus the L2 penalty (l2/2)·|W|²/n of scikit-learn, and clears g.
func (m *refMLP) step(n int) {
	inv := 1 / float64(n)
	for i, g := range m.g {
		g *= inv
		if m.decay[i] {
			g += m.l2 * m.p[i] * inv
		}
		m.g[i] = g
	}
	m.adam.Update(m.p, m.g, 1)
	clear(m.g)
}

// axpy sets y += a·x (len(y) == len(x)).
func axpy(a float64, x, y []float64) { floats.AddScaled(y, a, x) }

func dot(x, y []float64) float64 { return floats.Dot(x, y) }

// sigmoid is the old classifier's logistic function, in float64.
func sigmoid(o float64) float64 {
	if o >= 0 {
		return 1 / (1 + math.Exp(-o))
	}
	e := math.Exp(o)
	return e / (1 + e)
}
