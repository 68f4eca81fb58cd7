package fastmath

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ozarkinn/inn/innlib/internal/gemm"
)

var sink float32

func benchInput() []float32 {
	x := make([]float32, 4096)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range x {
		x[i] = float32(rng.NormFloat64() * 3)
	}
	return x
}

func TestSiLU(t *testing.T) {
	x := benchInput() // N(0, 3²)
	rng := rand.New(rand.NewPCG(5, 6))
	for range 100000 {
		x = append(x, float32(rng.Float64()*200-100))
	}
	x = append(x, -200, -88, -87, 87, 88, 200, 0, 1e-8, -1e-8)
	dst, sig := make([]float32, len(x)), make([]float32, len(x))
	// SiLU runs the AVX2 loop where the CPU has it; siluGo is the fallback.
	for _, f := range []struct {
		name string
		fn   func(dst, sig, x []float32)
	}{{"siluGo", siluGo}, {"SiLU", SiLU}} {
		f.fn(dst, sig, x)
		bad := 0
		for i, v := range x {
			s := 1 / (1 + math.Exp(-float64(v)))
			if got := float64(sig[i]); math.Abs(got-s) > 4*0x1p-24*s+1e-37 && bad < 5 {
				t.Errorf("%s: σ(%g) = %g, want %g", f.name, v, got, s)
				bad++
			}
			if got := float64(dst[i]); math.Abs(got-float64(v)*s) > 4*0x1p-24*math.Abs(float64(v)*s)+1e-35 && bad < 5 {
				t.Errorf("%s: silu(%g) = %g, want %g", f.name, v, got, float64(v)*s)
				bad++
			}
		}
	}
	// In place, without σ.
	y := append([]float32(nil), x...)
	SiLU(y, nil, y)
	for i := range y {
		if y[i] != dst[i] {
			t.Fatalf("in place: silu(%g) = %g, want %g", x[i], y[i], dst[i])
		}
	}
	// NaN propagates, on both paths (a group of 8 and a tail of 1).
	nan := make([]float32, 9)
	for i := range nan {
		nan[i] = float32(math.NaN())
	}
	SiLU(nan, nil, nan)
	for i, v := range nan {
		if v == v {
			t.Errorf("silu(NaN) = %g at %d, want NaN", v, i)
		}
	}
}

// BenchmarkSiLU also reports GFLOP/s, counting 26 flops a value (an FMA as
// two: the negation, 1; the exponent's rounding, 3; the reduction, 4; the
// polynomial, 14; the scale, 1 + e and σ, 3; x·σ, 1), and that rate's share
// of one core's AVX2 FMA peak (gemm.PeakGFLOPSAVX2); run it with -cpu 1.
func BenchmarkSiLU(b *testing.B) {
	x := benchInput()
	out, sig := make([]float32, len(x)), make([]float32, len(x))
	b.SetBytes(4 * int64(len(x)))
	for i := 0; i < b.N; i++ {
		SiLU(out, sig, x)
	}
	gflops := 26 * float64(len(x)) * float64(b.N) / b.Elapsed().Seconds() / 1e9
	b.ReportMetric(gflops, "GFLOP/s")
	b.ReportMetric(100*gflops/gemm.PeakGFLOPSAVX2(), "%peak")
}

// BenchmarkSiLUMath is the plain loop with math.Exp, for comparison.
func BenchmarkSiLUMath(b *testing.B) {
	x := benchInput()
	out := make([]float32, len(x))
	b.SetBytes(4 * int64(len(x)))
	for i := 0; i < b.N; i++ {
		for k, v := range x {
			out[k] = v / (1 + float32(math.Exp(-float64(v))))
		}
	}
	sink = out[0]
}
