package mmdgraph

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/graph"

	"github.com/ozarkinn/inn/innlib/backend"
	"github.com/ozarkinn/inn/innlib/internal/tensorutil"
	"github.com/ozarkinn/inn/innlib/mmd"
)

func graphMMD(t *testing.T, x, y [][]float64, ks []mmd.Kernel) float64 {
	t.Helper()
	flat := func(s [][]float64) []float64 {
		var f []float64
		for _, r := range s {
			f = append(f, r...)
		}
		return f
	}
	e := graph.MustNewExec(backend.MustNew(), func(a, b *graph.Node) *graph.Node { return MMD(a, b, ks) })
	res := e.MustExec(tensorutil.FromFloat64(dtypes.Float64, flat(x), len(x), len(x[0])),
		tensorutil.FromFloat64(dtypes.Float64, flat(y), len(y), len(y[0])))
	return tensorutil.Scalar(res[0])
}

// TestHandComputed: x = {0, 1}, y = {2} in one dimension, one kernel C = 1.
// A = 1: Kxx = (1 + 1/2 + 1/2 + 1)/4 = 0.75, Kyy = 1, Kxy = (1/5 + 1/2)/2 =
// 0.35, so MMD² = 0.75 + 1 − 0.7 = 1.05. A = 2: Kxx = (1 + 1/4 + 1/4 + 1)/4
// = 0.625, Kxy = (1/25 + 1/4)/2 = 0.145, so MMD² = 1.335.
func TestHandComputed(t *testing.T) {
	x := [][]float64{{0}, {1}}
	y := [][]float64{{2}}
	for _, c := range []struct {
		k    mmd.Kernel
		want float64
	}{{mmd.Kernel{C: 1, A: 1}, 1.05}, {mmd.Kernel{C: 1, A: 2}, 1.335}} {
		if got := graphMMD(t, x, y, []mmd.Kernel{c.k}); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("kernel %+v: graph MMD² = %.15g, want %g", c.k, got, c.want)
		}
	}
}

func TestMatchesSamples(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	sample := func(n, d int, shift float64) [][]float64 {
		s := make([][]float64, n)
		for i := range s {
			s[i] = make([]float64, d)
			for j := range s[i] {
				s[i][j] = rng.NormFloat64() + shift
			}
		}
		return s
	}
	x := sample(30, 4, 0)
	y := sample(20, 4, 0.3)
	ks := []mmd.Kernel{{C: 0.04, A: 1}, {C: 1, A: 2}, {C: 9, A: 0.5}}
	want, err := mmd.Samples(x, y, ks)
	if err != nil {
		t.Fatal(err)
	}
	if got := graphMMD(t, x, y, ks); math.Abs(got-want) > 1e-10 {
		t.Fatalf("graph MMD² %g, plain %g", got, want)
	}
}
