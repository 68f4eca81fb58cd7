package mcmc

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Rank normalisation sorts millions of pooled draws per parameter; a
// comparison sort of (value, position) pairs was most of Summarize's sorting
// time. An LSD radix sort of order-preserving integer keys does it in a few
// linear passes, and sorting once per parameter serves the quantiles, the
// bulk ranks and (by a linear merge) the folded ranks.

const (
	radixBits    = 11
	radixBuckets = 1 << radixBits
	radixPasses  = (64 + radixBits - 1) / radixBits
)

// floatKey maps finite float64 values to uint64 keys with the same order
// (−0 sorts just below +0; callers group ties by value, so they tie).
func floatKey(v float64) uint64 {
	b := math.Float64bits(v)
	if b>>63 != 0 {
		return ^b
	}
	return b | 1<<63
}

// keyFloat inverts floatKey.
func keyFloat(k uint64) float64 {
	if k>>63 != 0 {
		return math.Float64frombits(k &^ (1 << 63))
	}
	return math.Float64frombits(^k)
}

// argsorter sorts values with their positions, reusing its buffers.
type argsorter struct {
	buf, buf2 []keyPos
	pos       []int32
	hist      [radixPasses][radixBuckets]int
}

// keyPos is a sort key and the position of its draw; one array of pairs
// keeps each scattered write of a radix pass to one cache line.
type keyPos struct {
	key uint64
	pos int32
}

// sort sorts the draws of chains (m chains of n) and returns the sorted
// values (written to sorted, len m·n) and each one's position (a buffer
// reused by the next call). The position of draw t of chain k is k·n+t,
// or with split its place in splitChains's layout, row-major: k·h+t in the
// first halves, (m+k)·h+t−(n−h) in the last halves (h = n/2), and −1 for
// the middle draw of an odd length.
func (a *argsorter) sort(sorted []float64, chains [][]float64, split bool) []int32 {
	s := len(sorted)
	a.buf, a.buf2 = grow(a.buf, s), grow(a.buf2, s)
	buf, buf2 := a.buf, a.buf2
	hist := &a.hist
	*hist = [radixPasses][radixBuckets]int{}
	m, n := len(chains), len(chains[0])
	h := n / 2
	i := 0
	for k, c := range chains {
		for t, v := range c {
			key := floatKey(v)
			p := int32(i)
			if split {
				switch {
				case t < h:
					p = int32(k*h + t)
				case t >= n-h:
					p = int32((m+k)*h + t - (n - h))
				default:
					p = -1
				}
			}
			buf[i] = keyPos{key, p}
			for d := range radixPasses {
				hist[d][(key>>(d*radixBits))&(radixBuckets-1)]++
			}
			i++
		}
	}
	for d := range radixPasses {
		h := &hist[d]
		shift := d * radixBits
		if h[(buf[0].key>>shift)&(radixBuckets-1)] == s {
			continue // All keys share this digit: the pass would not move anything.
		}
		sum := 0
		for b, c := range h {
			h[b] = sum
			sum += c
		}
		for _, e := range buf {
			b := (e.key >> shift) & (radixBuckets - 1)
			buf2[h[b]] = e
			h[b]++
		}
		buf, buf2 = buf2, buf
	}
	a.pos = grow(a.pos, s)
	pos := a.pos
	for i, e := range buf {
		sorted[i] = keyFloat(e.key)
		pos[i] = e.pos
	}
	return pos
}

// grow returns s resized to n, reallocating only when it is too small.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// normalScores holds Φ⁻¹((r − 3/8)/(S + 1/4)) for the untied ranks
// r = 1..S of S pooled draws (Vehtari et al. 2021, eq. 14), so that the bulk
// and folded rank normalisations of every parameter share one table.
type normalScores struct {
	denom float64
	table []float64
}

func newNormalScores(s int) *normalScores {
	z := &normalScores{denom: float64(s) + 0.25, table: make([]float64, s)}
	for i := range z.table {
		z.table[i] = z.at(i, i+1)
	}
	return z
}

// at is the score of the 0-based sorted positions i..j−1, tied: they share
// the average 1-based rank (i+1+j)/2.
func (z *normalScores) at(i, j int) float64 {
	r := float64(i+1+j) / 2
	return distuv.UnitNormal.Quantile((r - 0.375) / z.denom)
}

// assign writes the score of every draw, given the draws sorted (vals) and
// each one's destination in dst (pos): ties get their average rank.
func (z *normalScores) assign(dst []float64, vals []float64, pos []int32) {
	s := len(vals)
	for i := 0; i < s; {
		j := i + 1
		for j < s && vals[j] == vals[i] {
			j++
		}
		v := z.table[i]
		if j > i+1 {
			v = z.at(i, j)
		}
		for _, p := range pos[i:j] {
			dst[p] = v
		}
		i = j
	}
}

// zScale returns the rank-normalised chains: every draw replaced by
// Φ⁻¹((r − 3/8)/(S + 1/4)), with r its rank among all S draws pooled (ties
// get their average rank), following Vehtari et al. (2021), eq. (14).
func zScale(chains [][]float64) [][]float64 {
	n := len(chains[0])
	s := len(chains) * n
	var a argsorter
	sorted := make([]float64, s)
	pos := a.sort(sorted, chains, false)
	z := make([]float64, s)
	newNormalScores(s).assign(z, sorted, pos)
	return rows(z, n)
}
