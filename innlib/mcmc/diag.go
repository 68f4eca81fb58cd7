package mcmc

import (
	"math"
	"sort"
)

// paramDiag computes the diagnostics of one scalar quantity (one parameter
// over all chains) at a time and keeps its buffers for the next, so that
// Summarize sorts each parameter's draws once and shares FFT plans between
// parameters. Its results are those of the separate functions (RHat,
// ESSBulk, ESSTail, IntegratedTime) exactly: the same ranks, the same
// arithmetic.
type paramDiag struct {
	sorter argsorter
	acs    autocovs
	scores *normalScores // For the split draws; may be shared read-only.

	h           int       // Length of the split chains.
	sorted      []float64 // All draws, sorted.
	splitSorted []float64 // The split chains' draws, sorted (sorted itself for even lengths).
	splitPos    []int32   // Where splitSorted[i] sits in the split chains, row-major.
	splitBuf    []float64 // Back splitSorted and splitPos for odd lengths.
	splitPosBuf []int32
	z, zf       []float64 // Bulk and folded normal scores, split chains row-major.
	mergeV      []float64 // The folded draws in order, and their positions.
	mergeP      []int32
	ind         []float64 // Tail-ESS indicator chains.
}

// load sorts the draws of chains (checked) and computes the bulk and folded
// normal scores of the split chains.
func (d *paramDiag) load(chains [][]float64) {
	m, n := len(chains), len(chains[0])
	h := n / 2
	d.h = h
	s, s2 := m*n, 2*m*h
	d.sorted = grow(d.sorted, s)
	pos := d.sorter.sort(d.sorted, chains, true)
	if s2 == s {
		d.splitSorted, d.splitPos = d.sorted, pos
	} else { // Drop the middle draws.
		d.splitBuf, d.splitPosBuf = grow(d.splitBuf, s2), grow(d.splitPosBuf, s2)
		d.splitSorted, d.splitPos = d.splitBuf, d.splitPosBuf
		i := 0
		for r, p := range pos {
			if p >= 0 {
				d.splitSorted[i], d.splitPos[i] = d.sorted[r], p
				i++
			}
		}
	}
	if d.scores == nil || len(d.scores.table) != s2 {
		d.scores = newNormalScores(s2)
	}
	d.z = grow(d.z, s2)
	d.scores.assign(d.z, d.splitSorted, d.splitPos)

	// Folding: distance from the pooled median of the split draws. Below
	// the median |x − med| falls as x rises, above it it rises, so merging
	// the two runs outwards from the median orders the folded draws.
	med := quantile7(d.splitSorted, 0.5)
	d.mergeV, d.mergeP = grow(d.mergeV, s2), grow(d.mergeP, s2)
	r := sort.SearchFloat64s(d.splitSorted, med) // First draw >= med.
	l := r - 1
	for i := range s2 {
		var fl, fr float64
		if l >= 0 {
			fl = math.Abs(d.splitSorted[l] - med)
		}
		if r < s2 {
			fr = math.Abs(d.splitSorted[r] - med)
		}
		if l >= 0 && (r >= s2 || fl <= fr) {
			d.mergeV[i], d.mergeP[i] = fl, d.splitPos[l]
			l--
		} else {
			d.mergeV[i], d.mergeP[i] = fr, d.splitPos[r]
			r++
		}
	}
	d.zf = grow(d.zf, s2)
	d.scores.assign(d.zf, d.mergeV, d.mergeP)
}

// rhat is RHat of the loaded chains.
func (d *paramDiag) rhat() (rhat, bulk, tail float64) {
	bulk = rhatBasic(rows(d.z, d.h))
	tail = rhatBasic(rows(d.zf, d.h))
	return math.Max(bulk, tail), bulk, tail
}

// param computes every diagnostic of the chains of one parameter (checked).
// err is IntegratedTime's, whose IAT is then NaN.
func (d *paramDiag) param(chains [][]float64) (p ParamSummary, err error) {
	d.load(chains)
	p.Mean, p.SD = meanVar(d.sorted)
	p.SD = math.Sqrt(p.SD)
	p.Q05, p.Median, p.Q95 = quantile7(d.sorted, 0.05), quantile7(d.sorted, 0.5), quantile7(d.sorted, 0.95)
	p.IAT, err = integratedTime(chains, DefaultAutocorrC, DefaultAutocorrTol, &d.acs)
	if err != nil {
		p.IAT = IAT{Tau: math.NaN(), TooShort: true}
	}
	p.RHat, p.RHatBulk, p.RHatTail = d.rhat()
	p.ESSBulk = essBasic(rows(d.z, d.h), &d.acs, false)
	d.ind = grow(d.ind, len(d.sorted))
	p.ESSTail = essTailFrom(chains, d.sorted, d.ind, &d.acs)
	return p, err
}
