package mcmc

import (
	"math"
	"strings"
	"testing"
)

// TestSummary checks that Summary agrees with the individual diagnostics
// and raises the warnings it should.
func TestSummary(t *testing.T) {
	cfg := Config{Walkers: 8, Steps: 6000, BurnIn: 1000, Seed: 2, Init: spread(8, 2, 5)}
	res, err := Sample(stdNormal, 2, cfg)
	if err != nil {
		t.Fatal(err)
	}
	s, err := res.Summary()
	if err != nil {
		t.Fatal(err)
	}
	if s.Walkers != 8 || s.ChainLen != 5000 || len(s.Params) != 2 || s.MeanAcceptance != res.MeanAcceptance {
		t.Fatalf("summary header %d × %d, %d params, acceptance %v", s.Walkers, s.ChainLen, len(s.Params), s.MeanAcceptance)
	}
	for j, p := range s.Params {
		tr := res.Trace(j)
		iat, _ := IntegratedTime(tr, 0, 0)
		rhat, bulk, tail, _ := RHat(tr)
		eb, _ := ESSBulk(tr)
		et, _ := ESSTail(tr)
		if p.IAT != iat || p.RHat != rhat || p.RHatBulk != bulk || p.RHatTail != tail || p.ESSBulk != eb || p.ESSTail != et {
			t.Errorf("parameter %d: summary %+v disagrees with the diagnostics", j, p)
		}
		// 40000 draws of N(0, 1), ESS > 1000: loose sanity bounds.
		if math.Abs(p.Mean) > 0.15 || math.Abs(p.SD-1) > 0.1 || math.Abs(p.Q95-1.645) > 0.2 || math.Abs(p.Q05+1.645) > 0.2 || p.Median > p.Q95 || p.Median < p.Q05 {
			t.Errorf("parameter %d: mean %.3f sd %.3f q05 %.3f q95 %.3f", j, p.Mean, p.SD, p.Q05, p.Q95)
		}
	}
	// A 2-d Gaussian has acceptance ≈ 0.7, above AcceptanceHigh: flagged.
	if !strings.Contains(s.String(), "acceptance") || s.OK() {
		t.Errorf("no acceptance warning for %.3f:\n%s", s.MeanAcceptance, s)
	}
	t.Log("\n" + s.String())

	// Chains stuck in different places and too short.
	chains := make([][]float64, 4)
	ar := ar1Chains(1, 4, 300, 0.95)
	for w := range chains {
		for tt := range 300 {
			chains[w] = append(chains[w], ar[w][tt]+float64(w), ar[w][tt])
		}
	}
	s, err = Summarize(chains, 2)
	if err != nil {
		t.Fatal(err)
	}
	text := s.String()
	for _, want := range []string{"parameter 0: R-hat", "parameter 0: chain of 300 steps", "parameter 1: ESS"} {
		if !strings.Contains(text, want) {
			t.Errorf("summary lacks warning %q:\n%s", want, text)
		}
	}
	if _, err := Summarize(chains, 7); err == nil {
		t.Error("chain length not a multiple of dim: no error")
	}
}
