// Package mmd computes the maximum mean discrepancy (MMD) between two samples
// with inverse-multiquadric kernels, as the bidirectional INN loss of
// Ardizzone et al. (2019) uses it, without graphs: on [][]float64 samples
// (Samples) for diagnostics, and with its gradient on float32 batches
// (ValueGrad) for native training (an AVX2 loop where the CPU has it, see
// imq.go). It does not import GoMLX; the same estimate inside GoMLX graphs
// is package mmd/mmdgraph.
//
// The estimate is the biased V-statistic
//
//	MMD² = mean K(x,x') + mean K(y,y') − 2 mean K(x,y),
//
// which is zero for identical samples and never negative.
//
// Usage:
//
//	d, err := mmd.Samples(a, b, mmd.Widths(0.5, 1, 2))
package mmd

import (
	"fmt"
	"math"
	"runtime"

	"github.com/ozarkinn/inn/innlib/internal/par"
)

// Kernel is one generalised inverse-multiquadric term k(d²) = (C / (C + d²))^A.
// With A = 1 and C = h² it is the classic IMQ h²/(h² + d²) of width h. Every
// kernel is 1 at d = 0.
type Kernel struct {
	C float64 // Squared length scale, > 0.
	A float64 // Power, > 0.
}

// Widths returns IMQ kernels (A = 1) with the given widths h (C = h²).
func Widths(h ...float64) []Kernel {
	ks := make([]Kernel, len(h))
	for i, w := range h {
		ks[i] = Kernel{C: w * w, A: 1}
	}
	return ks
}

// Validate reports kernels that are not positive definite as written.
func Validate(ks []Kernel) error {
	if len(ks) == 0 {
		return fmt.Errorf("mmd: no kernels")
	}
	for i, k := range ks {
		if !(k.C > 0) || !(k.A > 0) || math.IsInf(k.C, 0) || math.IsInf(k.A, 0) {
			return fmt.Errorf("mmd: kernel %d has C=%g, A=%g; both must be positive and finite", i, k.C, k.A)
		}
	}
	return nil
}

func (k Kernel) eval(d2 float64) float64 {
	v := k.C / (k.C + d2)
	if k.A == 1 {
		return v
	}
	return math.Pow(v, k.A)
}

// Samples returns the squared MMD between samples x and y (rows are points; all
// rows the same length), summing the kernels.
func Samples(x, y [][]float64, ks []Kernel) (float64, error) {
	if err := Validate(ks); err != nil {
		return 0, err
	}
	if len(x) == 0 || len(y) == 0 {
		return 0, fmt.Errorf("mmd: empty sample (%d and %d points)", len(x), len(y))
	}
	dim := len(x[0])
	for name, s := range map[string][][]float64{"x": x, "y": y} {
		for i, r := range s {
			if len(r) != dim {
				return 0, fmt.Errorf("mmd: %s row %d has %d values, want %d", name, i, len(r), dim)
			}
		}
	}
	x64, y64 := flatten(x), flatten(y)
	kxx := pairSums(x64, len(x), x64, len(x), dim, ks, nil, 0, true)
	kyy := pairSums(y64, len(y), y64, len(y), dim, ks, nil, 0, true)
	kxy := pairSums(x64, len(x), y64, len(y), dim, ks, nil, 0, false)
	return kxx + kyy - 2*kxy, nil
}

// flatten returns the rows of s one after another.
func flatten(s [][]float64) []float64 {
	out := make([]float64, 0, len(s)*len(s[0]))
	for _, r := range s {
		out = append(out, r...)
	}
	return out
}

// ValueGrad returns the squared MMD between the rows of x ([n×d], row-major)
// and y ([m×d]) and, when gx is not nil, writes its gradient with respect to
// x into gx ([n×d]). It is the plain-Go twin of mmdgraph.MMD, for training
// without graphs. With plain IMQ kernels (every A = 1, the default) it
// computes in float32, 8 pairs at a time (AVX2 where the CPU has it; see
// imq.go), to about 1e-6 relative of the float64 sums the other kernels get.
// Rows are split over up to GOMAXPROCS goroutines, and the result does not
// depend on how many.
func ValueGrad(x []float32, n int, y []float32, m, d int, ks []Kernel, gx []float32) float64 {
	if len(x) != n*d || len(y) != m*d || (gx != nil && len(gx) != n*d) {
		panic(fmt.Sprintf("mmd.ValueGrad: %d and %d values for %d and %d rows of width %d (gradient %d)", len(x), len(y), n, m, d, len(gx)))
	}
	if plain(ks) {
		return valueGrad32(x, n, y, m, d, ks, gx)
	}
	return valueGrad64(x, n, y, m, d, ks, gx)
}

// plain reports whether every kernel is a plain IMQ (A = 1).
func plain(ks []Kernel) bool {
	for _, k := range ks {
		if k.A != 1 {
			return false
		}
	}
	return true
}

// valueGrad64 is ValueGrad with float64 sums, for any kernels.
func valueGrad64(x []float32, n int, y []float32, m, d int, ks []Kernel, gx []float32) float64 {
	samples, counts := [2][]float64{widen(x), widen(y)}, [2]int{n, m}
	return estimate(n, m, d, gx, func(a, b int, ga []float64, scale float64, symmetric bool) float64 {
		return pairSums(samples[a], counts[a], samples[b], counts[b], d, ks, ga, scale, symmetric)
	})
}

// estimate puts the estimate together from its three means, given by
// sums(a, b, ga, scale, symmetric) over samples a and b (0 is x, 1 is y; see
// pairSums): kxx + kyy − 2kxy, with the gradient of the first two summed in
// float64 and written to gx (if not nil).
func estimate(n, m, d int, gx []float32, sums func(a, b int, ga []float64, scale float64, symmetric bool) float64) float64 {
	var g []float64
	if gx != nil {
		g = make([]float64, n*d)
	}
	kxx := sums(0, 0, g, 4/float64(n*n), false)
	kxy := sums(0, 1, g, -4/float64(n*m), false)
	kyy := sums(1, 1, nil, 0, true)
	for i := range gx {
		gx[i] = float32(g[i])
	}
	return kxx + kyy - 2*kxy
}

// pairSums returns mean_ij k(|a_i − b_j|²) and, with ga set, adds
// scale·Σ_j k'(d²_ij)·(a_i − b_j) to ga's row i. With symmetric set (a and b
// the same sample, no gradient) it visits each unordered pair once.
func pairSums(a64 []float64, na int, b64 []float64, nb, d int, ks []Kernel, ga []float64, scale float64, symmetric bool) float64 {
	cs := make([]float64, len(ks))
	for i, k := range ks {
		cs[i] = k.C
	}
	isPlain := plain(ks) // every kernel has A = 1: no Pow
	rowSums := make([]float64, na)
	row := func(i int) {
		ra := a64[i*d : (i+1)*d]
		var acc []float64
		if ga != nil {
			acc = ga[i*d : (i+1)*d]
		}
		sum := 0.0
		j0 := 0
		if symmetric {
			j0 = i + 1
		}
		for j := j0; j < nb; j++ {
			rb := b64[j*d : (j+1)*d]
			rb = rb[:len(ra)]
			d2 := 0.0
			for c, v := range ra {
				e := v - rb[c]
				d2 += e * e
			}
			deriv := 0.0
			if isPlain {
				pairSum := 0.0 // summed apart: one add per pair on the loop-carried chain
				for _, c := range cs {
					inv := 1 / (c + d2)
					q := c * inv
					pairSum += q
					deriv -= q * inv
				}
				sum += pairSum
			} else {
				for _, k := range ks {
					inv := 1 / (k.C + d2)
					q := math.Pow(k.C*inv, k.A)
					sum += q
					deriv -= k.A * q * inv
				}
			}
			if acc != nil {
				f := scale * deriv
				for c, v := range ra {
					acc[c] += f * (v - rb[c])
				}
			}
		}
		if symmetric { // pairs (j, i) and the diagonal, where every kernel is 1
			sum = 2*sum + float64(len(ks))
		}
		rowSums[i] = sum
	}
	eachRow(na, nb, func() struct{} { return struct{}{} }, func(_ struct{}, i int) { row(i) })
	total := 0.0
	for _, s := range rowSums {
		total += s
	}
	return total / float64(na*nb)
}

// eachRow runs row(s, i) for i in [0, n) of rows of the given number of
// pairs each on up to GOMAXPROCS goroutines, but one per 4096 pairs in all
// at most, each goroutine with its own scratch s from mk. Callers keep
// per-row results apart and add them in order, so results do not depend on
// the goroutines.
func eachRow[S any](n, pairs int, mk func() S, row func(s S, i int)) {
	par.Each(n, min(runtime.GOMAXPROCS(0), n*pairs/4096+1), mk, row)
}

func widen(v []float32) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}
