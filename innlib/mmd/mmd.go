// Package mmd computes the maximum mean discrepancy (MMD) between two samples
// with inverse-multiquadric kernels, as the bidirectional INN loss of
// Ardizzone et al. (2019) uses it, both inside GoMLX graphs (Graph) and on
// plain Go slices (Samples) for diagnostics.
//
// The estimate is the biased V-statistic
//
//	MMD² = mean K(x,x') + mean K(y,y') − 2 mean K(x,y),
//
// which is zero for identical samples and never negative.
//
// Usage:
//
//	d := mmd.Samples(a, b, mmd.Widths(0.5, 1, 2))
package mmd

import (
	"fmt"
	"math"
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
	return meanK(x, x, ks) + meanK(y, y, ks) - 2*meanK(x, y, ks), nil
}

func meanK(a, b [][]float64, ks []Kernel) float64 {
	var sum float64
	for _, ra := range a {
		for _, rb := range b {
			var d2 float64
			for k := range ra {
				d := ra[k] - rb[k]
				d2 += d * d
			}
			for _, k := range ks {
				sum += k.eval(d2)
			}
		}
	}
	return sum / float64(len(a)*len(b))
}

// ValueGrad returns the squared MMD between the rows of x ([n×d], row-major)
// and y ([m×d]) and, when gx is not nil, writes its gradient with respect to
// x into gx ([n×d]). It is the plain-Go twin of Graph, for training without
// graphs; sums run in float64.
func ValueGrad(x []float32, n int, y []float32, m, d int, ks []Kernel, gx []float32) float64 {
	if len(x) != n*d || len(y) != m*d || (gx != nil && len(gx) != n*d) {
		panic(fmt.Sprintf("mmd.ValueGrad: %d and %d values for %d and %d rows of width %d (gradient %d)", len(x), len(y), n, m, d, len(gx)))
	}
	for i := range gx {
		gx[i] = 0
	}
	// pairs returns mean_ij k(|a_i − b_j|²) and, with ga set, adds
	// scale·Σ_j k'(d²_ij)·(a_i − b_j) to ga's row i.
	pairs := func(a []float32, na int, b []float32, nb int, ga []float64, scale float64) float64 {
		sum := 0.0
		for i := 0; i < na; i++ {
			ra := a[i*d : (i+1)*d]
			var acc []float64
			if ga != nil {
				acc = ga[i*d : (i+1)*d]
			}
			for j := 0; j < nb; j++ {
				rb := b[j*d : (j+1)*d]
				d2 := 0.0
				for c, v := range ra {
					e := float64(v) - float64(rb[c])
					d2 += e * e
				}
				deriv := 0.0
				for _, k := range ks {
					q := k.C / (k.C + d2)
					if k.A != 1 {
						q = math.Pow(q, k.A)
					}
					sum += q
					deriv -= k.A * q / (k.C + d2)
				}
				if acc != nil {
					f := scale * deriv
					for c, v := range ra {
						acc[c] += f * (float64(v) - float64(rb[c]))
					}
				}
			}
		}
		return sum / float64(na*nb)
	}
	var g []float64
	if gx != nil {
		g = make([]float64, n*d)
	}
	kxx := pairs(x, n, x, n, g, 4/float64(n*n))
	kxy := pairs(x, n, y, m, g, -4/float64(n*m))
	kyy := pairs(y, m, y, m, nil, 0)
	for i := range gx {
		gx[i] = float32(g[i])
	}
	return kxx + kyy - 2*kxy
}
