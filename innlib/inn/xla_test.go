//go:build xla

package inn

import (
	"math"
	"os"
	"testing"

	"github.com/ozarkinn/inn/innlib/backend"
	"github.com/ozarkinn/inn/innlib/dense"
	"github.com/ozarkinn/inn/innlib/flow"
	"github.com/ozarkinn/inn/innlib/metrics"
)

// XLAPluginEnv names the PJRT CPU plugin the XLA tests load (an absolute
// path, e.g. the xla_cpu_pjrt.so of PyPI's xla-cpu-pjrt; environment.md).
const XLAPluginEnv = "INNLIB_XLA_PLUGIN"

// xlaConfig returns the GOMLX_BACKEND value that loads the plugin, or skips.
func xlaConfig(tb testing.TB) string {
	tb.Helper()
	p := os.Getenv(XLAPluginEnv)
	if p == "" {
		tb.Skipf("%s is not set: no PJRT CPU plugin to test XLA with", XLAPluginEnv)
	}
	if _, err := os.Stat(p); err != nil {
		tb.Fatalf("%s: %v", XLAPluginEnv, err)
	}
	return "xla:" + p
}

// TestGraphEngineOnXLA trains each recipe with the graph engine on SimpleGo
// and on XLA (CPU) from the same seed and compares the two runs: every
// epoch's validation terms and the posterior for one observation. The
// backends differ only in float32 rounding (XLA fuses ops and reorders sums),
// so the runs must agree closely; the tolerances are ~10x the differences
// measured (environment.md): 1% relative on each validation term, and
// posterior means within 2% of the prior box's width.
func TestGraphEngineOnXLA(t *testing.T) {
	xla := xlaConfig(t)
	x, y, lo, hi := paperData(300, 3)
	obs := y[0]
	for _, recipe := range []Recipe{Bidirectional, Conditional} {
		t.Run(string(recipe), func(t *testing.T) {
			cfg := Config{
				Recipe: recipe, Lo: lo, Hi: hi, ObsNoise: []float64{1},
				Flow:  flow.Config{Blocks: 3, Subnet: dense.MLPConfig{Layers: 3, Width: 32}},
				Train: TrainConfig{Engine: EngineGraph, Epochs: 3, BatchSize: 60, Seed: 7},
			}
			run := func(config string) (*Model, [][]float64) {
				t.Setenv(backend.EnvVar, config)
				m, err := Train(x, y, cfg)
				if err != nil {
					t.Fatalf("%s: %v", config, err)
				}
				s, err := m.Posterior(obs, 2000, 11)
				if err != nil {
					t.Fatalf("%s: %v", config, err)
				}
				return m, s
			}
			ref, refS := run(backend.DefaultConfig)
			got, gotS := run(xla)
			if name := got.backend.Name(); name != "xla" {
				t.Fatalf("the XLA run used backend %q", name)
			}
			he, hg := ref.History().Epochs, got.History().Epochs
			if len(he) != len(hg) {
				t.Fatalf("SimpleGo trained %d epochs, XLA %d", len(he), len(hg))
			}
			worst := 0.0
			for i := range he {
				for term, v := range he[i].Val {
					w := hg[i].Val[term]
					d := math.Abs(w-v) / math.Max(math.Abs(v), 1e-3)
					worst = math.Max(worst, d)
					if d > 0.01 {
						t.Errorf("epoch %d, validation %s: SimpleGo %.6g, XLA %.6g", i, term, v, w)
					}
				}
			}
			mr, err := metrics.Means(nil, refS)
			if err != nil {
				t.Fatal(err)
			}
			mg, err := metrics.Means(nil, gotS)
			if err != nil {
				t.Fatal(err)
			}
			worstMean := 0.0
			for j := range mr {
				d := math.Abs(mr[j]-mg[j]) / (hi[j] - lo[j])
				worstMean = math.Max(worstMean, d)
				if d > 0.02 {
					t.Errorf("posterior mean of x%d: SimpleGo %.6g, XLA %.6g (%.3f of the box)", j, mr[j], mg[j], d)
				}
			}
			t.Logf("%s: worst relative difference of a validation term %.2g, of a posterior mean %.2g box widths; training %.1f s SimpleGo, %.1f s XLA",
				recipe, worst, worstMean, ref.History().Seconds, got.History().Seconds)
		})
	}
}
