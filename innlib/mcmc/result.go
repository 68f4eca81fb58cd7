package mcmc

// Result holds the output of Sample.
//
// Memory: Chain holds Walkers·(Steps−BurnIn)·Dim float64 values, 10 MB for
// the paper's 16 walkers × 10000 post-burn-in steps × 8 parameters.
type Result struct {
	Dim     int // Number of parameters.
	Walkers int // Ensemble size.
	Steps   int // Total steps run, burn-in included.
	BurnIn  int // Steps discarded.
	Thin    int // Thinning of Samples.

	// Samples holds the kept samples: post-burn-in, every Thin-th step, one
	// row of length Dim per sample, ordered step-major like emcee's
	// get_chain(flat=True): row s·Walkers + w is walker w at the s-th kept
	// step. The rows share one backing array.
	Samples [][]float64

	// LogDensity holds the log-density of each row of Samples.
	LogDensity []float64

	// Chain holds the full, unthinned post-burn-in chain of each walker for
	// diagnostics: Chain[w] is row-major [Steps−BurnIn][Dim], so parameter j
	// at post-burn-in step t is Chain[w][t·Dim+j].
	Chain [][]float64

	// Accepted counts the accepted moves of each walker over all Steps.
	Accepted []int

	// AcceptanceFraction is Accepted[w]/Steps per walker, as emcee reports
	// it (burn-in included); MeanAcceptance is its mean.
	AcceptanceFraction []float64
	MeanAcceptance     float64

	// Final and FinalLogDensity are the walkers' positions and log-densities
	// after the last step; pass Final as Config.Init to continue a run.
	Final           [][]float64
	FinalLogDensity []float64

	// Evaluations is the number of points passed to the log-density,
	// including the initial ones; out-of-box proposals are not counted.
	Evaluations int
}

// ChainLen returns the number of post-burn-in steps per walker, the length of
// each chain that the diagnostics see.
func (r *Result) ChainLen() int { return r.Steps - r.BurnIn }

// KeptChain returns the kept (thinned) samples of walker w in step order, as
// views into Samples.
func (r *Result) KeptChain(w int) [][]float64 {
	n := len(r.Samples) / r.Walkers
	out := make([][]float64, n)
	for s := range out {
		out[s] = r.Samples[s*r.Walkers+w]
	}
	return out
}

// Trace returns the post-burn-in, unthinned series of parameter j for each
// walker (a copy): Trace(j)[w][t] = Chain[w][t·Dim+j]. These are the scalar
// chains that IntegratedTime, RHat and the ESS functions take.
func (r *Result) Trace(j int) [][]float64 {
	return column(r.Chain, r.Dim, j)
}

// column extracts parameter j from row-major chains of width dim.
func column(chains [][]float64, dim, j int) [][]float64 {
	return columnInto(nil, chains, dim, j)
}

// columnInto is column reusing dst's rows when they have the right shape.
func columnInto(dst [][]float64, chains [][]float64, dim, j int) [][]float64 {
	n := len(chains[0]) / dim
	if len(dst) == len(chains) && len(dst[0]) == n {
		for w, c := range chains {
			for t := range dst[w] {
				dst[w][t] = c[t*dim+j]
			}
		}
		return dst
	}
	back := make([]float64, len(chains)*n)
	out := make([][]float64, len(chains))
	for w, c := range chains {
		col := back[w*n : (w+1)*n : (w+1)*n]
		for t := range col {
			col[t] = c[t*dim+j]
		}
		out[w] = col
	}
	return out
}
