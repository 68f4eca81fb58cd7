package mcmc

import (
	"math"
	"runtime"
	"slices"
	"testing"
)

// TestSummarizeMatchesReference checks the optimised Summarize (one radix
// sort per parameter, scores by table, shorter FFT padding with summed
// spectra, parameters in parallel) against refSummarize, the straightforward
// implementation it replaced: every number within 1e-12 relative (the FFT
// lengths differ, so the autocovariances differ by rounding), the windows,
// flags and warnings equal. The cases cover even and odd lengths, ties
// (draws rounded to 0.25), a stuck chain, chains far longer than τ (the
// short padding suffices) and shorter than 8τ (it does not), one chain,
// the shortest chains and a constant parameter.
func TestSummarizeMatchesReference(t *testing.T) {
	type tc struct {
		name         string
		walkers, n   int
		phi          []float64
		round, stuck bool
	}
	cases := []tc{
		{"even", 16, 4000, []float64{0, 0.5, 0.9, 0.99}, false, false},
		{"odd", 8, 3001, []float64{0.3, 0.95, 0.999}, false, false},
		{"ties", 6, 2000, []float64{0.2, 0.9}, true, false},
		{"stuck", 8, 1000, []float64{0.5, 0.8}, false, true},
		{"one chain", 1, 5000, []float64{0.7}, false, false},
		{"shortest", 3, 4, []float64{0.1, 0.5}, false, false},
		{"short odd", 5, 7, []float64{0.1}, false, false},
		{"long", 4, 100000, []float64{0.95}, false, false},
		{"paper-like", 16, 2000, []float64{0.98, 0.995}, false, false},
	}
	var worst float64
	for ci, c := range cases {
		if testing.Short() && c.n*c.walkers > 100000 {
			continue
		}
		dim := len(c.phi)
		chains := make([][]float64, c.walkers)
		for w := range chains {
			chains[w] = make([]float64, c.n*dim)
		}
		for j, phi := range c.phi {
			for w, x := range ar1Chains(uint64(10*ci+j), c.walkers, c.n, phi) {
				for i, v := range x {
					if c.round {
						v = math.Round(4*v) / 4
					}
					if c.stuck && w == 0 {
						v = 3 + 0.01*v
					}
					chains[w][i*dim+j] = v
				}
			}
		}
		got, err := Summarize(chains, dim)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		want, err := refSummarize(chains, dim)
		if err != nil {
			t.Fatalf("%s: reference: %v", c.name, err)
		}
		worst = math.Max(worst, compareSummaries(t, c.name, got, want))
	}

	// A constant parameter: no τ, a warning, the rest as before.
	chains := ar1Chains(7, 4, 500, 0.5)
	for w := range chains {
		row := make([]float64, 0, 2*len(chains[w]))
		for _, v := range chains[w] {
			row = append(row, v, 1.5)
		}
		chains[w] = row
	}
	got, err := Summarize(chains, 2)
	if err != nil {
		t.Fatal(err)
	}
	want, err := refSummarize(chains, 2)
	if err != nil {
		t.Fatal(err)
	}
	compareSummaries(t, "constant", got, want)
	t.Logf("largest relative difference from the reference: %.3g", worst)
}

// compareSummaries reports the fields of got and want that differ by more
// than 1e-12 relative, and returns the largest relative difference.
func compareSummaries(t *testing.T, name string, got, want *Summary) float64 {
	t.Helper()
	if got.Walkers != want.Walkers || got.ChainLen != want.ChainLen || len(got.Params) != len(want.Params) {
		t.Fatalf("%s: shape %d×%d×%d, want %d×%d×%d", name, got.Walkers, got.ChainLen, len(got.Params), want.Walkers, want.ChainLen, len(want.Params))
	}
	var worst float64
	for j := range got.Params {
		g, w := got.Params[j], want.Params[j]
		gv := []float64{g.Mean, g.SD, g.Q05, g.Median, g.Q95, g.IAT.Tau, g.RHat, g.RHatBulk, g.RHatTail, g.ESSBulk, g.ESSTail}
		wv := []float64{w.Mean, w.SD, w.Q05, w.Median, w.Q95, w.IAT.Tau, w.RHat, w.RHatBulk, w.RHatTail, w.ESSBulk, w.ESSTail}
		names := []string{"mean", "sd", "q05", "median", "q95", "tau", "rhat", "rhat bulk", "rhat tail", "ess bulk", "ess tail"}
		for i := range gv {
			d := relDiff(gv[i], wv[i])
			worst = math.Max(worst, d)
			if d > 1e-12 {
				t.Errorf("%s: parameter %d: %s = %v, reference %v", name, j, names[i], gv[i], wv[i])
			}
		}
		if g.IAT.Window != w.IAT.Window || g.IAT.TooShort != w.IAT.TooShort {
			t.Errorf("%s: parameter %d: IAT %+v, reference %+v", name, j, g.IAT, w.IAT)
		}
	}
	if !slices.Equal(got.Warnings, want.Warnings) {
		t.Errorf("%s: warnings\n%q\nreference\n%q", name, got.Warnings, want.Warnings)
	}
	return worst
}

// relDiff is |a − b|/|b| (|a − b| when b = 0); 0 when both are NaN or equal.
func relDiff(a, b float64) float64 {
	if a == b || math.IsNaN(a) && math.IsNaN(b) {
		return 0
	}
	if b == 0 || math.IsInf(b, 0) {
		return math.Abs(a - b)
	}
	return math.Abs(a-b) / math.Abs(b)
}

// TestDiagnosticsMatchReference checks the separate diagnostics (and the
// rank normalisation) against the reference on odd-length chains with ties.
func TestDiagnosticsMatchReference(t *testing.T) {
	chains := ar1Chains(3, 5, 2501, 0.9)
	for _, c := range chains {
		for i := range c {
			c[i] = math.Round(8*c[i]) / 8
		}
	}
	split := splitChains(chains)
	if z, zr := zScale(split), refZScale(split); !slices.EqualFunc(z, zr, slices.Equal) {
		t.Error("zScale differs from the reference")
	}
	rhat, bulk, tail, err := RHat(chains)
	if err != nil {
		t.Fatal(err)
	}
	zs := refZScale(split)
	rr, rb, rt := refRhatFrom(split, zs, refPooledSorted(split))
	eb, _ := ESSBulk(chains)
	et, _ := ESSTail(chains)
	iat, _ := IntegratedTime(chains, 0, 0)
	riat, _ := refIntegratedTime(chains, 0, 0)
	for _, p := range [][3]any{
		{"rhat", rhat, rr}, {"bulk", bulk, rb}, {"tail", tail, rt},
		{"ess bulk", eb, refEssBasic(zs)}, {"ess tail", et, refEssTailFrom(chains, refPooledSorted(chains))},
		{"tau", iat.Tau, riat.Tau},
	} {
		if d := relDiff(p[1].(float64), p[2].(float64)); d > 1e-12 {
			t.Errorf("%s = %v, reference %v", p[0], p[1], p[2])
		}
	}
	if iat.Window != riat.Window {
		t.Errorf("window %d, reference %d", iat.Window, riat.Window)
	}
	acf, _ := AutocorrFunc(chains[0])
	racf := refNewAutocov(len(chains[0])).into(make([]float64, len(chains[0])), chains[0])
	for k := range acf {
		if d := math.Abs(acf[k] - racf[k]/racf[0]); d > 1e-12 {
			t.Errorf("ρ(%d) = %v, reference %v", k, acf[k], racf[k]/racf[0])
			break
		}
	}
}

// TestSummarizeGOMAXPROCS checks that the parameters' parallel workers do
// not change any bit of the summary.
func TestSummarizeGOMAXPROCS(t *testing.T) {
	chains := summarizeChains(1001)
	var got []*Summary
	for _, procs := range []int{1, 3, 8} {
		old := runtime.GOMAXPROCS(procs)
		s, err := Summarize(chains, 8)
		runtime.GOMAXPROCS(old)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, s)
	}
	bits := func(s *Summary) []uint64 {
		var out []uint64
		for _, p := range s.Params {
			for _, v := range []float64{p.Mean, p.SD, p.Q05, p.Median, p.Q95, p.IAT.Tau, p.RHat, p.RHatBulk, p.RHatTail, p.ESSBulk, p.ESSTail, float64(p.IAT.Window)} {
				out = append(out, math.Float64bits(v))
			}
		}
		return out
	}
	for i, s := range got[1:] {
		if !slices.Equal(bits(s), bits(got[0])) || !slices.Equal(s.Warnings, got[0].Warnings) {
			t.Errorf("summary with %d workers differs from 1", []int{3, 8}[i])
		}
	}
}
