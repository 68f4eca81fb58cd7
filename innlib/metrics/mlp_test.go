package metrics

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestMLPGradient checks the batched float32 classifier against the float64
// one-sample-at-a-time classifier it replaced (refMLP), on the same weights:
// logits, summed loss and every gradient entry. Tolerance: float32 sums of
// up to a few hundred terms, so 2e-5 of the largest |entry| (the float32
// rounding of these sums is about 1e-6 of it; a wrong mask, transpose or
// missing term is off by far more). The sizes give ragged gemm panels
// (h = 20, in = 3), the C2ST's shape (8 → 80 → 80) and a batch that is not a
// multiple of the kernels' 6-row tiles.
func TestMLPGradient(t *testing.T) {
	for _, c := range []struct{ in, h, rows int }{{3, 20, 37}, {8, 80, 200}, {1, 10, 7}} {
		rng := rand.New(rand.NewPCG(31, uint64(c.in)))
		ref := newRefMLP(c.in, c.h, 1e-3, 1e-4, rand.New(rand.NewPCG(5, 5)))
		m := newMLP(c.in, c.h, 1e-3, 1e-4, rand.New(rand.NewPCG(5, 5)))
		// Same draws; make the weights equal by rounding the reference's.
		for i, v := range m.p {
			if math.Abs(float64(v)-ref.p[i]) > 1e-7 {
				t.Fatalf("in %d, h %d: weight %d is %g, reference %g: the initialisations differ", c.in, c.h, i, v, ref.p[i])
			}
			ref.p[i] = float64(v)
		}
		// Biases are zero at first; give them values so their gradients
		// and the ReLU masks are exercised off the origin.
		for _, b := range [][]float64{ref.b1, ref.b2, ref.b3} {
			for i := range b {
				b[i] = float64(float32(0.3 * rng.NormFloat64()))
			}
		}
		for i, v := range ref.p {
			m.p[i] = float32(v)
		}
		x := make([]float32, c.rows*c.in)
		lab := make([]float32, c.rows)
		var refLoss float64
		refLogits := make([]float64, c.rows)
		for r := range c.rows {
			row := make([]float64, c.in)
			for j := range row {
				row[j] = float64(float32(rng.NormFloat64()))
				x[r*c.in+j] = float32(row[j])
			}
			lab[r] = float32(r % 2)
			refLogits[r] = ref.forward(row)
			refLoss += ref.accumulate(row, float64(lab[r]))
		}
		logits := append([]float32(nil), m.forward(x, c.rows)...)
		loss := m.accumulate(x, lab, c.rows)
		scale := func(v []float64) float64 {
			s := 0.0
			for _, a := range v {
				s = math.Max(s, math.Abs(a))
			}
			return s
		}
		tol := 2e-5 * scale(refLogits)
		for r, o := range logits {
			if math.Abs(float64(o)-refLogits[r]) > tol {
				t.Errorf("in %d, h %d: logit %d = %g, reference %g", c.in, c.h, r, o, refLogits[r])
			}
		}
		if math.Abs(loss-refLoss) > 2e-5*refLoss {
			t.Errorf("in %d, h %d: loss %g, reference %g", c.in, c.h, loss, refLoss)
		}
		tol = 2e-5 * scale(ref.g)
		bad := 0
		for i, g := range m.g {
			if math.Abs(float64(g)-ref.g[i]) > tol {
				if bad++; bad <= 5 {
					t.Errorf("in %d, h %d: gradient entry %d = %g, reference %g", c.in, c.h, i, g, ref.g[i])
				}
			}
		}
		// One step of each: the weights must stay equal to float32 precision.
		m.step(c.rows)
		ref.step(c.rows)
		for i, v := range m.p {
			if math.Abs(float64(v)-ref.p[i]) > 1e-6*(1+math.Abs(ref.p[i])) {
				if bad++; bad <= 5 {
					t.Errorf("in %d, h %d: weight %d after a step %g, reference %g", c.in, c.h, i, v, ref.p[i])
				}
			}
		}
	}
}
