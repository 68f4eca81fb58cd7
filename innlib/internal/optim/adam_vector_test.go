package optim

import (
	"math"
	"math/rand/v2"
	"testing"
)

// referenceUpdate is Adam.update as it was before the update loop was
// vectorised (kept verbatim but for the receiver), the reference the
// vector loop must reproduce bit for bit.
func referenceUpdate[T Float](c AdamConfig, steps int, p, g, m1s, m2s []T, scale T) {
	t := float64(steps)
	b1, b2, eps := T(c.Beta1), T(c.Beta2), T(c.Epsilon)
	lr := T(c.LearningRate)
	decay := lr * T(c.WeightDecay)
	m1s, m2s = m1s[:len(p)], m2s[:len(p)]
	g = g[:len(p)]
	if c.FoldBias {
		lrt := T(c.LearningRate * math.Sqrt(1-math.Pow(c.Beta2, t)) / (1 - math.Pow(c.Beta1, t)))
		for i, gi := range g {
			gi *= scale
			m1 := b1*m1s[i] + (1-b1)*gi
			m2 := b2*m2s[i] + (1-b2)*gi*gi
			m1s[i], m2s[i] = m1, m2
			p[i] -= lrt*m1/(T(math.Sqrt(float64(m2)))+eps) + decay*p[i]
		}
		return
	}
	db1 := T(1 / (1 - math.Pow(c.Beta1, t)))
	db2 := T(1 / (1 - math.Pow(c.Beta2, t)))
	for i, gi := range g {
		gi *= scale
		m1 := b1*m1s[i] + (1-b1)*gi
		m2 := b2*m2s[i] + (1-b2)*gi*gi
		m1s[i], m2s[i] = m1, m2
		p[i] -= lr*m1*db1/(T(math.Sqrt(float64(m2*db2)))+eps) + decay*p[i]
	}
}

// The update (the AVX2 loop where the CPU has it, the Go loop in purego
// builds, on tails and for float64), with or without zeroing the gradient
// (UpdateClear, every other step), gives the reference's bits: both do the
// same float32 operations in the same order, and VSQRTPS rounds as float32
// of the float64 square root does. Lengths that are not multiples of 8
// exercise the tail; gradients spanning many magnitudes, zeros, and moments
// from earlier steps exercise the division and the square root.
func TestAdamBitsMatchReference(t *testing.T) {
	if !exactGo {
		t.Skip("the Go compiler fuses multiply-adds in this build (GOAMD64=v3, or not amd64), so the Go loops round differently from the reference")
	}
	for _, fold := range []bool{false, true} {
		for _, n := range []int{1, 7, 8, 9, 64, 1003} {
			cfg := AdamConfig{LearningRate: 3e-3, Beta1: 0.9, Beta2: 0.95, Epsilon: 1e-6, WeightDecay: 1e-5, FoldBias: fold}
			checkBits[float32](t, cfg, n, fold)
			checkBits[float64](t, cfg, n, fold)
		}
	}
}

func checkBits[T Float](t *testing.T, cfg AdamConfig, n int, fold bool) {
	t.Helper()
	rng := rand.New(rand.NewPCG(uint64(n), 7))
	a := NewAdam[T](n, cfg)
	p := make([]T, n)
	for i := range p {
		p[i] = T(rng.NormFloat64())
	}
	ref := append([]T(nil), p...)
	m1, m2 := make([]T, n), make([]T, n)
	g := make([]T, n)
	for step := 1; step <= 12; step++ {
		for i := range g {
			switch rng.IntN(8) {
			case 0:
				g[i] = 0
			default:
				g[i] = T(rng.NormFloat64() * math.Pow(10, float64(rng.IntN(13)-8)))
			}
		}
		scale := T(1)
		if step%3 == 0 {
			scale = T(0.37)
		}
		g0 := append([]T(nil), g...)
		if step%2 == 0 {
			a.UpdateClear(p, g, scale)
			for i, v := range g {
				if v != 0 {
					t.Fatalf("%T, n %d: UpdateClear left gradient %d at %v", v, n, i, v)
				}
			}
		} else {
			a.Update(p, g, scale)
		}
		referenceUpdate(cfg, step, ref, g0, m1, m2, scale)
		for i := range p {
			if p[i] != ref[i] || a.m1[i] != m1[i] || a.m2[i] != m2[i] {
				t.Fatalf("%T, n %d, FoldBias %v, step %d: element %d is p %v m1 %v m2 %v, the reference %v %v %v",
					p[i], n, fold, step, i, p[i], a.m1[i], a.m2[i], ref[i], m1[i], m2[i])
			}
		}
	}
}
