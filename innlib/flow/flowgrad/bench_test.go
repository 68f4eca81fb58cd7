package flowgrad

import (
	"math/rand/v2"
	"testing"

	"github.com/ozarkinn/inn/innlib/flow/layout"
)

// paperNet returns the paper's network (width 8, 4 blocks, subnetworks of
// 3 layers × 128, leaky ReLU) with random weights.
func paperNet(b *testing.B, act string) (*layout.Net, []float32) {
	l, err := layout.New(layout.Spec{Dim: 8, Blocks: 4, Coupling: "affine", Layers: 3, Width: 128,
		Activation: act, Alpha: 0.01, Clamp: 2})
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	perms := make([][]int, 4)
	for i := range perms {
		perms[i] = rng.Perm(8)
	}
	if l, err = l.WithPerms(perms); err != nil {
		b.Fatal(err)
	}
	p := make([]float32, l.NumParams)
	for i := range p {
		p[i] = float32(0.05 * rng.NormFloat64())
	}
	return l, p
}

// BenchmarkFrozenInverse10k is the inverse pass of 10,000 posterior draws.
func BenchmarkFrozenInverse10k(b *testing.B) {
	l, p := paperNet(b, "leaky_relu")
	f, err := Freeze(l, p)
	if err != nil {
		b.Fatal(err)
	}
	v := randVec(rand.New(rand.NewPCG(2, 2)), 10000*8)
	for b.Loop() {
		if _, err := f.Inverse(v, nil, 10000); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFrozenForward8 is one MCMC-surrogate call: 8 rows forward.
func BenchmarkFrozenForward8(b *testing.B) {
	for _, act := range []string{"leaky_relu", "silu"} {
		b.Run(act, func(b *testing.B) {
			l, p := paperNet(b, act)
			f, err := Freeze(l, p)
			if err != nil {
				b.Fatal(err)
			}
			u := randVec(rand.New(rand.NewPCG(2, 2)), 8*8)
			for b.Loop() {
				if _, _, err := f.Forward(u, nil, 8); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkForwardBackward256 is the flow's part of a training step at batch
// 256: Forward and Backward, Inverse and InverseBackward.
func BenchmarkForwardBackward256(b *testing.B) {
	l, p := paperNet(b, "leaky_relu")
	n, err := New(l)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(2, 2))
	u, d := randVec(rng, 256*8), randVec(rng, 256*8)
	g := make([]float32, n.NumParams)
	var ft, it Tape
	for b.Loop() {
		n.Forward(p, &ft, u, nil, 256)
		n.Inverse(p, &it, u, nil, 256)
		n.Backward(p, g, &ft, d, nil)
		n.InverseBackward(p, g, &it, d)
	}
}
