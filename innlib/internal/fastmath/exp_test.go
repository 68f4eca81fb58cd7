package fastmath

import (
	"math"
	"math/rand/v2"
	"testing"
)

// expInput is a wide spread of arguments: N(0, 3²), uniform over ±100 (past
// the clamp), and the edges.
func expInput() []float32 {
	x := benchInput()
	rng := rand.New(rand.NewPCG(7, 8))
	for range 100000 {
		x = append(x, float32(rng.Float64()*200-100))
	}
	return append(x, 0, float32(math.Copysign(0, -1)), 1e-30, -1e-30, 1e-8, -1e-8, 0.625, -0.625,
		0.6249999, 87, -87, 88, -88, 200, -200, float32(math.Inf(1)), float32(math.Inf(-1)))
}

// Exp is within a relative 3·2⁻²⁴ (1.5 float32 ulps at most) of math.Exp
// inside the clamp ±87 and gives e^±87 outside it; the worst seen is 1.3·2⁻²⁴.
func TestExp(t *testing.T) {
	x := expInput()
	got := make([]float32, len(x))
	Exp(got, x)
	bad := 0
	for i, v := range x {
		want := math.Exp(math.Max(-87, math.Min(87, float64(v))))
		if math.Abs(float64(got[i])-want) > 3*0x1p-24*want && bad < 5 {
			t.Errorf("exp(%g) = %g, want %g", v, got[i], want)
			bad++
		}
	}
	if one := got[len(x)-17]; one != 1 {
		t.Errorf("exp(0) = %g, want exactly 1", one)
	}
}

// SoftClamp is within a relative 4·2⁻²⁴ (2 float32 ulps at most) of
// c·tanh(x/c), with x/c rounded to float32 as it is computed, so that small
// log-scales keep their accuracy too (the worst seen is 2.8·2⁻²⁴); it
// saturates at ±c and keeps the sign of zero.
func TestSoftClamp(t *testing.T) {
	x := expInput()
	got := make([]float32, len(x))
	for _, c := range []float32{0.5, 1.5, 2, 20} {
		SoftClamp(got, x, c)
		bad := 0
		for i, v := range x {
			want := float64(c) * math.Tanh(float64(v/c))
			if math.Abs(float64(got[i])-want) > 4*0x1p-24*math.Abs(want) && bad < 5 {
				t.Errorf("c %g: c·tanh(%g/c) = %g, want %g", c, v, got[i], want)
				bad++
			}
			if math.Signbit(float64(got[i])) != math.Signbit(float64(v)) && bad < 5 {
				t.Errorf("c %g: c·tanh(%g/c) = %g has the wrong sign", c, v, got[i])
				bad++
			}
		}
		if n := len(x); got[n-2] != c || got[n-1] != -c {
			t.Errorf("c %g: c·tanh(±Inf) = %g, %g, want ±c", c, got[n-2], got[n-1])
		}
	}
}

// The AVX2 loop (where the CPU has it) and the Go loop give the same bits,
// for every length around the 8-lane block and its tail, in place too. The
// Go loop's explicit conversions keep the compiler from fusing
// multiply-adds, so this holds in every build (GOAMD64=v3 included).
func TestExpSameBits(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for n := range 21 {
		x := make([]float32, n)
		for i := range x {
			x[i] = float32(rng.NormFloat64() * 3)
		}
		if n > 3 {
			x[1], x[2], x[3] = 0.3, 100, -0.625
		}
		for _, f := range []struct {
			name   string
			vec    func(dst, x []float32)
			scalar func(float32) float32
		}{
			{"Exp", Exp, exp32},
			{"SoftClamp", func(dst, x []float32) { SoftClamp(dst, x, 1.5) }, func(v float32) float32 { return 1.5 * tanh32(v/1.5) }},
		} {
			got := make([]float32, n+1) // one past the end stays 0
			f.vec(got[:n], x)
			in := append([]float32(nil), x...)
			f.vec(in, in)
			for i, v := range x {
				want := f.scalar(v)
				if math.Float32bits(got[i]) != math.Float32bits(want) || math.Float32bits(in[i]) != math.Float32bits(want) {
					t.Fatalf("%s, length %d: element %d (%g) is %g (in place %g), want %g", f.name, n, i, v, got[i], in[i], want)
				}
			}
			if got[n] != 0 {
				t.Fatalf("%s, length %d: wrote past the end", f.name, n)
			}
		}
	}
}

// NaN gives NaN on both paths (a group of 8 and a tail of 1).
func TestExpNaN(t *testing.T) {
	for _, f := range []func(dst, x []float32){Exp, func(dst, x []float32) { SoftClamp(dst, x, 2) }} {
		v := make([]float32, 9)
		for i := range v {
			v[i] = float32(math.NaN())
		}
		f(v, v)
		for i, y := range v {
			if y == y {
				t.Errorf("NaN gave %g at %d, want NaN", y, i)
			}
		}
	}
}

func BenchmarkExp(b *testing.B) {
	x := benchInput()
	out := make([]float32, len(x))
	b.SetBytes(4 * int64(len(x)))
	for b.Loop() {
		Exp(out, x)
	}
}

func BenchmarkSoftClamp(b *testing.B) {
	x := benchInput()
	out := make([]float32, len(x))
	b.SetBytes(4 * int64(len(x)))
	for b.Loop() {
		SoftClamp(out, x, 2)
	}
}

// BenchmarkExpMath and BenchmarkSoftClampMath are the loops with float64
// math.Exp and math.Tanh that Exp and SoftClamp replace, for comparison.
func BenchmarkExpMath(b *testing.B) {
	x := benchInput()
	out := make([]float32, len(x))
	b.SetBytes(4 * int64(len(x)))
	for b.Loop() {
		for i, v := range x {
			out[i] = float32(math.Exp(float64(v)))
		}
	}
}

func BenchmarkSoftClampMath(b *testing.B) {
	x := benchInput()
	out := make([]float32, len(x))
	b.SetBytes(4 * int64(len(x)))
	for b.Loop() {
		for i, v := range x {
			out[i] = 2 * float32(math.Tanh(float64(v/2)))
		}
	}
}
