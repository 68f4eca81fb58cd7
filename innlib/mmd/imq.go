package mmd

import "github.com/ozarkinn/inn/innlib/internal/gemm"

// The float32 path of ValueGrad, for kernels that are all plain IMQs (A = 1,
// the training default). A row a_i of one sample meets the columns of the
// other sample transposed (bT, d rows of stride values), so that 8 pairs
// (i, j..j+7) sit in the 8 lanes of an AVX2 register: the squared distance
// by differences (no |a|² + |b|² − 2a·b cancellation), the kernels by exact
// division, and the gradient Σ_j f_ij·(a_i − b_j) in a second pass over the
// row. Each lane accumulates the pairs j ≡ lane (mod 8) in order; the lanes
// are added in float64, in order, by Go. The assembly loop and the Go loop do
// the same roundings in the same order (no fused multiply-adds), so the
// result does not depend on the CPU where Go does not fuse them either.
//
// In float32 the value has a relative error of about 1e-6 against the
// float64 path, and the gradient too: far below what the batch estimate's
// own noise moves, and the GoMLX twin (mmdgraph) computes in float32 as well.

// lanes is one AVX2 register of float32 values.
type lanes [8]float32

// imqRow returns Σ_j Σ_k C_k/(C_k + d²(a, b_j)) over the columns j in
// [j0, j1) of bT (d rows of stride values) and, with g not nil (d values),
// adds Σ_j f_j·(a − b_j) to it, f_j = −Σ_k C_k/(C_k + d²)². acc is scratch
// of d lanes when g is set.
func imqRow(a, bT []float32, stride, j0, j1 int, cs []float32, g []float64, acc []lanes) float64 {
	if j1 <= j0 {
		return 0
	}
	var sum lanes
	if g == nil {
		acc = nil
	} else {
		acc = acc[:len(g)]
		clear(acc)
	}
	j := j0 + imqVector(a, bT, stride, j0, (j1-j0)/8, cs, &sum, acc)
	imqGo(a, bT, stride, j, j1, cs, &sum, acc) // the rest, continuing the lanes
	total := 0.0
	for _, s := range sum {
		total += float64(s)
	}
	for c := range g {
		s := 0.0
		for _, v := range acc[c] {
			s += float64(v)
		}
		g[c] += s
	}
	return total
}

// imqGo is the loop of imqRow in Go over the columns [j0, j1), column j in
// lane (j − j0) mod 8: the squared distance, the kernels' sum into sum, and
// with acc set (one lane group per dimension) f_j·(a − b_j) into acc.
func imqGo(a, bT []float32, stride, j0, j1 int, cs []float32, sum *lanes, acc []lanes) {
	for j := j0; j < j1; j++ {
		l := (j - j0) % 8
		var d2 float32
		for c, v := range a {
			e := v - bT[c*stride+j]
			d2 += e * e
		}
		var pair, deriv float32
		for _, c := range cs {
			inv := 1 / (c + d2)
			q := c * inv
			pair += q
			deriv -= q * inv
		}
		sum[l] += pair
		for c := range acc {
			acc[c][l] += deriv * (a[c] - bT[c*stride+j])
		}
	}
}

// valueGrad32 is ValueGrad for plain IMQ kernels (see the top of this file).
func valueGrad32(x []float32, n int, y []float32, m, d int, ks []Kernel, gx []float32) float64 {
	cs := make([]float32, len(ks))
	for i, k := range ks {
		cs[i] = float32(k.C)
	}
	xT, yT := make([]float32, n*d), make([]float32, m*d)
	gemm.Transpose(xT, x, n, d)
	gemm.Transpose(yT, y, m, d)
	samples, counts, transposed := [2][]float32{x, y}, [2]int{n, m}, [2][]float32{xT, yT}
	return estimate(n, m, d, gx, func(a, b int, ga []float64, scale float64, symmetric bool) float64 {
		return rowSums32(samples[a], counts[a], transposed[b], counts[b], d, cs, ga, scale, symmetric)
	})
}

// rowSums32 is pairSums on the float32 path: the mean kernel sum over the
// pairs of a's rows and b's (bT its transpose), and with ga set, adds
// scale·Σ_j f_ij·(a_i − b_j) to ga's row i. With symmetric set (a and b the
// same sample, no gradient) each unordered pair counts once, doubled.
func rowSums32(a []float32, na int, bT []float32, nb, d int, cs []float32, ga []float64, scale float64, symmetric bool) float64 {
	rowSums := make([]float64, na)
	work := func(acc []lanes, g []float64, i int) {
		ra := a[i*d : (i+1)*d]
		j0 := 0
		if symmetric {
			j0 = i + 1
		}
		var gi []float64
		if ga != nil {
			gi = g[:d]
			clear(gi)
		}
		s := imqRow(ra, bT, nb, j0, nb, cs, gi, acc)
		if symmetric { // pairs (j, i) and the diagonal, where every kernel is 1
			s = 2*s + float64(len(cs))
		}
		rowSums[i] = s
		for c, v := range gi {
			ga[i*d+c] += scale * v
		}
	}
	type scratch struct {
		acc []lanes
		g   []float64
	}
	mk := func() scratch { return scratch{make([]lanes, d), make([]float64, d)} }
	eachRow(na, nb, mk, func(s scratch, i int) { work(s.acc, s.g, i) })
	total := 0.0
	for _, s := range rowSums {
		total += s
	}
	return total / float64(na*nb)
}
