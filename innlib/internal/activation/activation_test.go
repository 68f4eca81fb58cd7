package activation

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/graph"

	"github.com/ozarkinn/inn/innlib/backend"
	"github.com/ozarkinn/inn/innlib/internal/tensorutil"
)

// TestEntriesAgree checks every entry's plain-Go value and derivative
// against its graph form and GoMLX's gradient of it, in float32, at points
// away from the kinks: values to 1e-6 and derivatives to 1e-5 of max(1, |·|)
// (SiLU's native exponential is a polynomial, exact to about 2 ulp).
func TestEntriesAgree(t *testing.T) {
	b := backend.MustNew()
	const n, alpha = 203, 0.1 // n: not a multiple of 8, so SiLU's assembly and Go tails both run
	rng := rand.New(rand.NewPCG(1, 1))
	z := make([]float64, n)
	for i := range z {
		for math.Abs(z[i]) < 1e-3 {
			z[i] = 4 * rng.NormFloat64()
		}
	}
	for _, name := range Names() {
		f, err := Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		e := graph.MustNewExec(b, func(x *graph.Node) []*graph.Node {
			y := f.Graph(x, alpha)
			return []*graph.Node{y, graph.Gradient(graph.ReduceAllSum(y), x)[0]}
		})
		res := e.MustExec(tensorutil.FromFloat64(dtypes.Float32, z, n))
		wantH, wantD := tensorutil.ToFloat64(res[0]), tensorutil.ToFloat64(res[1])

		zz := tensorutil.Float32s(z)
		h := make([]float32, n)
		f.Forward(h, zz, alpha)
		d := make([]float32, n)
		for i := range d {
			d[i] = 1
		}
		f.Deriv(d, zz, h, alpha)
		inPlace := tensorutil.Float32s(z)
		f.Forward(inPlace, inPlace, alpha)
		for i := range z {
			if math.Abs(float64(h[i])-wantH[i]) > 1e-6*math.Max(1, math.Abs(wantH[i])) {
				t.Errorf("%s(%g): native %g, graph %g", name, z[i], h[i], wantH[i])
			}
			if inPlace[i] != h[i] {
				t.Errorf("%s(%g): in place %g, into another slice %g", name, z[i], inPlace[i], h[i])
			}
			if math.Abs(float64(d[i])-wantD[i]) > 1e-5*math.Max(1, math.Abs(wantD[i])) {
				t.Errorf("%s'(%g): native %g, GoMLX gradient %g", name, z[i], d[i], wantD[i])
			}
		}
		if f.Slope != nil {
			s := f.Slope(alpha)
			for i, v := range z {
				want := v
				if v < 0 {
					want = float64(s) * v
				}
				if math.Abs(float64(h[i])-want) > 1e-6*math.Max(1, math.Abs(want)) {
					t.Errorf("%s(%g) = %g, but its slope %g gives %g", name, v, h[i], s, want)
				}
			}
		}
	}
}

func TestLookup(t *testing.T) {
	if _, err := Lookup(Default); err != nil {
		t.Errorf("the default %q is not in the table: %v", Default, err)
	}
	if _, err := Lookup("swish"); err == nil {
		t.Error("Lookup(swish): want an error")
	}
}
