package kde

import "fmt"

// Linear binning: each point shares its weight between the nearest nodes of
// an equally spaced lattice spanning the points (2 nodes in 1-D, 2^d in d
// dimensions), in proportion to closeness, so the lattice keeps the
// sample's mean exactly. Nodes left without weight are dropped. With a node
// spacing far below the kernel width the density changes by much less than
// it varies, and evaluation no longer depends on the sample size.

// maxNodes bounds the lattice of Multivariate.Binned (m^d nodes).
const maxNodes = 1 << 24

// Binned returns the same estimate (same width and sample size) with the
// points linearly binned over m ≥ 2 nodes spanning them. Evaluation then
// costs O(m) instead of O(n).
func (k *Univariate) Binned(m int) (*Univariate, error) {
	if m < 2 {
		return nil, fmt.Errorf("kde.Univariate.Binned: %d nodes, need at least 2", m)
	}
	lo, hi := k.x[0], k.x[len(k.x)-1]
	step := (hi - lo) / float64(m-1)
	if step == 0 {
		return newUnivariate([]float64{lo}, []float64{k.n}, k.n, k.h), nil
	}
	w := make([]float64, m)
	for i, v := range k.x {
		wi := 1.0
		if k.w != nil {
			wi = k.w[i]
		}
		t := (v - lo) / step
		j := min(int(t), m-2)
		f := t - float64(j)
		w[j] += wi * (1 - f)
		w[j+1] += wi * f
	}
	var nodes, weights []float64
	for j, v := range w {
		if v > 0 {
			nodes = append(nodes, lo+float64(j)*step)
			weights = append(weights, v)
		}
	}
	return newUnivariate(nodes, weights, k.n, k.h), nil
}

// Binned returns the same estimate (same kernel and sample size) with the
// points linearly binned over an m × … × m lattice (m ≥ 2 per axis, at most
// 2²⁴ nodes in all) spanning them.
func (k *Multivariate) Binned(m int) (*Multivariate, error) {
	dim := len(k.mean)
	size := 1
	for range dim {
		size *= m
		if m < 2 || size > maxNodes {
			return nil, fmt.Errorf("kde.Multivariate.Binned: %d nodes per axis in %d dimensions, need at least 2 and at most %d in all", m, dim, maxNodes)
		}
	}
	lo, step := make([]float64, dim), make([]float64, dim)
	for a := range dim {
		lo[a] = k.x[0][a]
		hi := lo[a]
		for _, r := range k.x {
			lo[a], hi = min(lo[a], r[a]), max(hi, r[a])
		}
		if step[a] = (hi - lo[a]) / float64(m-1); step[a] == 0 {
			step[a] = 1
		}
	}
	w := make([]float64, size)
	base, frac := make([]int, dim), make([]float64, dim)
	for i, r := range k.x {
		wi := 1.0
		if k.w != nil {
			wi = k.w[i]
		}
		for a, v := range r {
			t := (v - lo[a]) / step[a]
			base[a] = min(int(t), m-2)
			frac[a] = t - float64(base[a])
		}
		// Corner c takes, along axis a, the upper node when bit a is set.
		for c := range 1 << dim {
			idx, stride, wc := 0, 1, wi
			for a := range dim {
				if c&(1<<a) != 0 {
					idx += (base[a] + 1) * stride
					wc *= frac[a]
				} else {
					idx += base[a] * stride
					wc *= 1 - frac[a]
				}
				stride *= m
			}
			w[idx] += wc
		}
	}
	var nodes [][]float64
	var weights []float64
	for idx, v := range w {
		if v > 0 {
			node := make([]float64, dim)
			for a, rest := 0, idx; a < dim; a, rest = a+1, rest/m {
				node[a] = lo[a] + float64(rest%m)*step[a]
			}
			nodes = append(nodes, node)
			weights = append(weights, v)
		}
	}
	return newMultivariate(nodes, weights, k.n, k.mean, k.l, k.f)
}
