package metrics

import (
	"math"
	"math/rand/v2"

	"github.com/ozarkinn/inn/innlib/internal/gemm"
	"github.com/ozarkinn/inn/innlib/internal/optim"
)

// mlp is the C2ST classifier: in → hidden → hidden → 1 logit, ReLU hidden
// units, trained on the mean logistic loss with Adam, as scikit-learn's
// MLPClassifier (the classifier sbibm's c2st uses). It works a minibatch at
// a time, in float32, on the gemm kernels: a batch of rows is three matrix
// products forward and four back, which runs several times faster than the
// same arithmetic one sample at a time in float64 (mlp_ref_test.go, the
// oracle of its gradient). All weights live in one slice p so that Adam
// updates them in one call; w1, b1, ... are views.
type mlp struct {
	in, h  int
	p, g   []float32 // Parameters and their gradient, same layout.
	w1, b1 []float32 // [in][h], [h]
	w2, b2 []float32 // [h][h], [h]
	w3, b3 []float32 // [h], [1]
	// Gradient views.
	gw1, gb1, gw2, gb2, gw3, gb3 []float32
	adam                         *optim.Adam[float32]
	decay                        [][2]int // Ranges of p holding weights (L2-penalised), not biases.
	l2                           float64
	// Scratch for up to cap rows: the layers' activations, their
	// gradients, the logits, W2ᵀ.
	h1, h2, dh1, dh2, o, d, w2t []float32
}

func newMLP(in, h int, lr, l2 float64, rng *rand.Rand) *mlp {
	n := in*h + h + h*h + h + h + 1
	// scikit-learn's Adam: bias correction folded into the step size.
	adam := optim.NewAdam[float32](n, optim.AdamConfig{LearningRate: lr, Beta1: 0.9, Beta2: 0.999, Epsilon: 1e-8, FoldBias: true})
	m := &mlp{in: in, h: h, p: make([]float32, n), g: make([]float32, n), adam: adam, l2: l2, w2t: make([]float32, h*h)}
	split := func(s []float32) [6][]float32 {
		var v [6][]float32
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
	// sqrt(2/(...)) for the logistic output. Biases start at zero. The
	// draws are float64, in the order the float64 classifier drew them.
	glorot := func(w []float32, fanIn, fanOut int, f float64) {
		b := math.Sqrt(f / float64(fanIn+fanOut))
		for i := range w {
			w[i] = float32(b * (2*rng.Float64() - 1))
		}
	}
	glorot(m.w1, in, h, 6)
	glorot(m.w2, h, h, 6)
	glorot(m.w3, h, 1, 2)
	// Only weights are penalised, not biases (as scikit-learn).
	w2off := in*h + h
	w3off := w2off + h*h + h
	m.decay = [][2]int{{0, in * h}, {w2off, w2off + h*h}, {w3off, w3off + h}}
	return m
}

// reserve sizes the scratch for batches of up to rows rows.
func (m *mlp) reserve(rows int) {
	if len(m.o) >= rows {
		return
	}
	m.h1 = make([]float32, rows*m.h)
	m.h2 = make([]float32, rows*m.h)
	m.dh1 = make([]float32, rows*m.h)
	m.dh2 = make([]float32, rows*m.h)
	m.o = make([]float32, rows)
	m.d = make([]float32, rows)
}

// forward returns the logits of the rows of x ([rows×in], row-major),
// leaving the hidden activations in h1 and h2. The slice is scratch,
// overwritten by the next call.
func (m *mlp) forward(x []float32, rows int) []float32 {
	m.reserve(rows)
	h := m.h
	h1, h2, o := m.h1[:rows*h], m.h2[:rows*h], m.o[:rows]
	// The kernels add the bias and apply the ReLU (slope 0) in place.
	gemm.DenseUnpacked(h1, x[:rows*m.in], rows, m.in, h, m.w1, m.b1, 0, true)
	gemm.DenseUnpacked(h2, h1, rows, h, h, m.w2, m.b2, 0, true)
	// One output: a dot product per row, too narrow for the kernels.
	w3, b3 := m.w3[:h], m.b3[0]
	for r := range o {
		var s0, s1, s2, s3 float32
		a := h2[r*h : (r+1)*h]
		u := 0
		for ; u+4 <= h; u += 4 {
			s0 += a[u] * w3[u]
			s1 += a[u+1] * w3[u+1]
			s2 += a[u+2] * w3[u+2]
			s3 += a[u+3] * w3[u+3]
		}
		for ; u < h; u++ {
			s0 += a[u] * w3[u]
		}
		o[r] = b3 + ((s0 + s1) + (s2 + s3))
	}
	return o
}

// accumulate adds the gradient of the summed logistic loss of the rows of x
// with labels t to g and returns that loss (summed in float64).
func (m *mlp) accumulate(x []float32, t []float32, rows int) float64 {
	h := m.h
	o := m.forward(x, rows)
	h1, h2, dh1, dh2, d := m.h1[:rows*h], m.h2[:rows*h], m.dh1[:rows*h], m.dh2[:rows*h], m.d[:rows]
	var loss float64
	var gb3 float32
	for r, or := range o {
		// Logistic loss and its derivative σ(o) − y from one exponential.
		y, o64 := float64(t[r]), float64(or)
		e := math.Exp(-math.Abs(o64))
		loss += math.Max(o64, 0) + math.Log1p(e) - y*o64
		s := 1 / (1 + e) // σ(|o|)
		if o64 < 0 {
			s = e * s
		}
		d[r] = float32(s - y) // dLoss/dlogit
		gb3 += d[r]
	}
	m.gb3[0] += gb3
	// Output layer: gw3 += h2ᵀ·d (h2 ≥ 0, so inactive units add 0);
	// dh2 = d·w3ᵀ where the unit was active, and gb2 its column sums.
	gw3, gb2, w3 := m.gw3[:h], m.gb2[:h], m.w3[:h]
	for r, dr := range d {
		// Slices of one length, so that the loop runs without bounds checks.
		a, da := h2[r*h:(r+1)*h], dh2[r*h : (r+1)*h][:h]
		gw3, gb2, w3 := gw3[:h], gb2[:h], w3[:h]
		for u, au := range a {
			gw3[u] += dr * au
			v := active(au, dr*w3[u])
			da[u] = v
			gb2[u] += v
		}
	}
	gemm.MatMulTA(h, h, rows, h1, h, dh2, h, m.gw2, h, true)
	// dh1 = dh2·W2ᵀ where the unit was active, and gb1 its column sums.
	gemm.Transpose(m.w2t, m.w2, h, h)
	gemm.MatMul(rows, h, h, dh2, h, m.w2t, h, dh1, h, false)
	gb1 := m.gb1[:h]
	for r := range rows {
		a, da := h1[r*h:(r+1)*h], dh1[r*h : (r+1)*h][:h]
		gb1 := gb1[:h]
		for u, au := range a {
			v := active(au, da[u])
			da[u] = v
			gb1[u] += v
		}
	}
	gemm.MatMulTA(m.in, h, rows, x[:rows*m.in], m.in, dh1, h, m.gw1, h, true)
	return loss
}

// active returns v where a ReLU output a is positive and 0 where it is not
// (0 or −0: the kernels' ReLU leaves −0 for negative inputs), without a
// branch: about half the units are off, in no pattern a branch predictor
// could learn, and the mispredictions cost more than the arithmetic.
func active(a, v float32) float32 {
	bv := math.Float32bits(v)
	if !(a > 0) {
		bv = 0 // The compiler makes this a conditional move.
	}
	return math.Float32frombits(bv)
}

// logLoss is the logistic loss softplus(o) − y·o of logit o and label y,
// written to avoid overflow.
func logLoss(o, y float64) float64 {
	return math.Max(o, 0) + math.Log1p(math.Exp(-math.Abs(o))) - y*o
}

// step applies one Adam update with the gradient accumulated over a batch of
// n samples, plus the L2 penalty (l2/2)·|W|²/n of scikit-learn, and clears g.
func (m *mlp) step(n int) {
	// Adam scales the gradient by 1/n itself.
	l2 := float32(m.l2)
	for _, r := range m.decay {
		g, p := m.g[r[0]:r[1]], m.p[r[0]:r[1]]
		for i, w := range p {
			g[i] += l2 * w
		}
	}
	m.adam.Update(m.p, m.g, 1/float32(n))
	clear(m.g)
}
