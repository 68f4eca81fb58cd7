package inn

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ozarkinn/inn/innlib/internal/cputime"
)

// TestLogitInverter checks the table-started inverse of the box map against
// the reference Newton solve, logitMapInverse, over the table's range, its
// edges and beyond, for weights from 1e-3 to 100: they must agree to
// 2.5e-16 in u (two float64 spacings near 1), and the inverse must map back
// onto s.
func TestLogitInverter(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 1))
	for _, w := range []float64{1e-3, 0.01, DefaultLogitWeight, 0.5, 1, 10, 100} {
		li := newLogitInverter(w)
		top := -li.s0
		var ss []float64
		for i := 0; i <= 20000; i++ { // a grid across and beyond the table
			ss = append(ss, -1.5*top+3*top*float64(i)/20000)
		}
		for i := 0; i <= logitTableIntervals; i++ { // the knots themselves
			ss = append(ss, li.s0+float64(i)*li.h)
		}
		for range 20000 { // the values posterior draws give
			ss = append(ss, top*rng.NormFloat64()/2)
		}
		ss = append(ss, 0, math.Nextafter(top, 0), -top, 1e3, -1e3, math.Inf(1), math.Inf(-1))
		worst := 0.0
		for _, s := range ss {
			got, want := li.inverse(s), logitMapInverse(s, w)
			if d := math.Abs(got - want); d > worst {
				worst = d
			}
			if math.Abs(got-want) > 2.5e-16 || math.IsNaN(got) {
				t.Fatalf("w %g, s %g: inverse %.17g, Newton %.17g", w, s, got, want)
			}
			if got <= logitTableEdge || got >= 1-logitTableEdge {
				continue
			}
			// Back through the map: the residual is at most the map's slope
			// times a few float64 spacings of u, plus its own round-off.
			tol := 4*(sqrt12+w/(got*(1-got)))*2.3e-16 + 1e-15*math.Abs(s)
			if r := math.Abs(logitMap(got, w) - s); r > tol {
				t.Fatalf("w %g, s %g: logitMap(inverse) is off by %g", w, s, r)
			}
		}
		t.Logf("w %g: largest difference from the Newton solve %.2g", w, worst)
	}
}

// BenchmarkLogitInverse times the box map's inverse on the values posterior
// draws give, the reference Newton solve against the table-started one.
func BenchmarkLogitInverse(b *testing.B) {
	rng := rand.New(rand.NewPCG(7, 1))
	ss := make([]float64, 4096)
	for i := range ss {
		ss[i] = 1.5 * rng.NormFloat64()
	}
	var sink float64
	b.Run("newton", func(b *testing.B) {
		cpu0 := cputime.Process()
		for i := 0; i < b.N; i++ {
			sink += logitMapInverse(ss[i%len(ss)], DefaultLogitWeight)
		}
		b.ReportMetric(float64(cputime.Process()-cpu0)/float64(b.N), "cpu-ns/op")
	})
	b.Run("table", func(b *testing.B) {
		li := inverterFor(DefaultLogitWeight)
		cpu0 := cputime.Process()
		for i := 0; i < b.N; i++ {
			sink += li.inverse(ss[i%len(ss)])
		}
		b.ReportMetric(float64(cputime.Process()-cpu0)/float64(b.N), "cpu-ns/op")
	})
	_ = sink
}
