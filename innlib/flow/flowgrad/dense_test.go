package flowgrad

import (
	"math/rand/v2"
	"testing"
)

// MLP's parameter and input gradients against central differences, for
// every activation, with one and two heads and without a trunk.
func TestMLPMatchesFiniteDifferences(t *testing.T) {
	for _, tc := range []struct {
		in, layers int
		outs       []int
		act        string
	}{{8, 3, []int{5}, "silu"}, {4, 2, []int{3, 2}, "tanh"}, {5, 3, []int{4}, "leaky_relu"}, {3, 1, []int{2}, "relu"}} {
		rng := rand.New(rand.NewPCG(2, uint64(tc.in)))
		n, err := NewMLP(tc.in, tc.layers, 16, tc.outs, tc.act, 0.01)
		if err != nil {
			t.Fatal(err)
		}
		p := randVec(rng, n.NumParams)
		for i := range p {
			p[i] *= 0.3
		}
		const rows = 6
		x := randVec(rng, rows*tc.in)
		ws := make([][]float32, len(tc.outs))
		for h, o := range tc.outs {
			ws[h] = randVec(rng, rows*o)
		}
		var tape MLPTape
		loss := func() float64 {
			s := 0.0
			for h, out := range n.Forward(p, &tape, x, rows) {
				for i, v := range out {
					s += float64(ws[h][i]) * float64(v)
				}
			}
			return s
		}
		loss()
		d := make([][]float32, len(ws))
		for h := range ws {
			d[h] = append([]float32(nil), ws[h]...)
		}
		g := make([]float32, n.NumParams)
		dx := make([]float32, rows*tc.in)
		n.Backward(p, g, &tape, d, dx, rows)
		checkGrad(t, tc.act+": parameters", p, g, loss, rng)
		checkGrad(t, tc.act+": inputs", x, dx, loss, rng)
	}
}

func TestNewMLPRejectsBadShapes(t *testing.T) {
	for _, tc := range []struct {
		in, layers, width int
		outs              []int
		act               string
	}{{0, 3, 8, []int{2}, "silu"}, {3, 0, 8, []int{2}, "silu"}, {3, 3, 8, nil, "silu"}, {3, 3, 8, []int{0}, "silu"}, {3, 3, 8, []int{2}, "gelu"}} {
		if _, err := NewMLP(tc.in, tc.layers, tc.width, tc.outs, tc.act, 0.01); err == nil {
			t.Errorf("NewMLP(%d, %d, %d, %v, %q): no error", tc.in, tc.layers, tc.width, tc.outs, tc.act)
		}
	}
}
