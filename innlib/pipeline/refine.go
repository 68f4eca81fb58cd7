package pipeline

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/ozarkinn/inn/innlib/emulator"
	"github.com/ozarkinn/inn/innlib/inn"
	"github.com/ozarkinn/inn/innlib/metrics"
)

// RefineConfig sets up one refinement round of the conditional flow for an
// observation (truncated sequential NPE, Deistler et al. 2022).
type RefineConfig struct {
	Skip bool
	// Runs is how many parameter sets are drawn from the truncated box and
	// emulated; a tenth more are drawn for validation. Default 8000 (on the
	// observed Ozark case, seed 1: C2ST against MCMC 0.58; 4000 gave 0.62).
	Runs int
	// Mass is the share of the amortized posterior's draws inside the
	// truncation: the box is cut to where the flow's density is at least
	// the (1 − Mass) quantile of its density at its own draws. Default 0.999.
	Mass float64
	// Epochs and LearningRate of the fine-tuning. Defaults 20 and 5e-4.
	Epochs       int
	LearningRate float64
}

func (c RefineConfig) withDefaults() RefineConfig {
	if c.Runs == 0 {
		c.Runs = 8000
	}
	if c.Mass == 0 {
		c.Mass = 0.999
	}
	if c.Epochs == 0 {
		c.Epochs = 20
	}
	if c.LearningRate == 0 {
		c.LearningRate = 5e-4
	}
	return c
}

// ownDraws is how many draws of the amortized flow set the truncation.
const ownDraws = 10000

// RefineInfo reports a refinement round.
type RefineInfo struct {
	Runs       int     `json:"runs"`       // Emulated runs trained on (validation runs besides).
	Proposed   int     `json:"proposed"`   // Uniform draws tried to find them, from the amortized draws' box.
	Acceptance float64 `json:"acceptance"` // Share of those inside the truncation.
	Epochs     int     `json:"epochs"`
	Seconds    float64 `json:"seconds"`
	// Error says why the round failed; the amortized flow was then sampled.
	Error string `json:"error,omitempty"`
	// Cached says the fine-tuned flow was read back from OutDir/cache (a
	// rerun on the same flow, emulator, observation and settings); Seconds
	// is then the original round's.
	Cached bool `json:"cached,omitempty"`
}

// refineRuns draws the refinement round's parameter sets (cfg.Runs for
// training, a tenth more for validation) and emulates their outputs with
// mlp: it draws parameter sets uniformly from the prior box (cut to a box
// around the flow's own draws for obs) and keeps those where the amortized
// flow's posterior density for obs is above the threshold that holds
// cfg.Mass of its own draws. Inside the truncated box the prior is still
// uniform, so a flow fine-tuned on these runs estimates the same posterior,
// with its capacity spent where that posterior lives.
//
// own are the amortized flow's draws for obs (ownDraws).
func refineRuns(cinn *inn.Model, mlp *emulator.MLP, obs, lo, hi []float64, own [][]float64, cfg RefineConfig, seed uint64) (x, y [][]float64, info RefineInfo, err error) {
	info = RefineInfo{Epochs: cfg.Epochs}
	ld, err := cinn.LogDensity(own, obs)
	if err != nil {
		return nil, nil, info, err
	}
	ld = slices.DeleteFunc(ld, func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) })
	thr, err := metrics.Quantile(1-cfg.Mass, ld)
	if err != nil {
		return nil, nil, info, fmt.Errorf("refine: threshold: %w", err)
	}
	// Propose uniformly from the box around the amortized draws, widened by
	// a tenth of their range and cut to the prior box: inside it the
	// truncated prior is still uniform, and far fewer proposals are wasted
	// than from the whole box when the posterior is narrow.
	plo, phi := drawBox(own, lo, hi, 0.1)
	want := cfg.Runs + cfg.Runs/10
	rng := rand.New(rand.NewPCG(seed, 0x726566))
	var keep [][]float64
	accepted := 0
	const batch = 20000
	for len(keep) < want {
		if info.Proposed >= 100*want {
			return nil, nil, info, fmt.Errorf("refine: only %d of %d draws near the posterior lie where it has its mass", len(keep), info.Proposed)
		}
		prop := make([][]float64, batch)
		for i := range prop {
			prop[i] = make([]float64, len(lo))
			for j := range prop[i] {
				prop[i][j] = plo[j] + rng.Float64()*(phi[j]-plo[j])
			}
		}
		l, err := cinn.LogDensity(prop, obs)
		if err != nil {
			return nil, nil, info, err
		}
		info.Proposed += batch
		for i, v := range l {
			if v >= thr {
				accepted++
				if len(keep) < want {
					keep = append(keep, prop[i])
				}
			}
		}
	}
	info.Acceptance = float64(accepted) / float64(info.Proposed)
	if y, err = mlp.Predict(keep); err != nil {
		return nil, nil, info, err
	}
	info.Runs = cfg.Runs
	return keep, y, info, nil
}

// planRefine adds a job per case that fine-tunes the conditional flow for
// the case's observation (x.refined), unless refinement is off or there is
// no box; the jobs find the flow's own draws, draw the emulated runs and
// fine-tune a copy of the flow, all seeded per case. A case whose round
// fails keeps the amortized flow, with the reason in its RefineInfo, so the
// jobs return no error.
func (x *experiment) planRefine(g *graph) []*job {
	if x.cfg.Refine.Skip || !x.hasBox() {
		x.refined, x.refineInfo = nil, nil
		return nil
	}
	n := len(x.in.Cases)
	x.refined, x.refineInfo = make([]*inn.Model, n), make([]RefineInfo, n)
	var jobs []*job
	for i, c := range x.in.Cases {
		jobs = append(jobs, g.add(caseJob("refining the conditional flow", c), "invert", []*job{x.ready.cinn, x.ready.mlp}, func() error {
			if x.refinable() {
				x.refineCase(i)
			}
			return nil
		}, spanAnalysis, spanRefine))
	}
	return jobs
}

// refinable says whether the trained models can be refined: there is an
// emulator, and the flow is not padded (a padded flow has no density to
// truncate with).
func (x *experiment) refinable() bool {
	return x.models.MLP != nil && x.models.CINN.FlowWidth() == x.models.CINN.NumParams()
}

// refineCase runs case i's refinement round, or reads it from the cache.
func (x *experiment) refineCase(i int) {
	c, tr := x.in.Cases[i], x.in.Train
	cfg := x.cfg.Refine.withDefaults()
	t1 := time.Now()
	seed := x.cfg.Seed + 300 + uint64(i)
	x.refined[i] = x.models.CINN
	own, err := x.models.CINN.Posterior(c.Obs, ownDraws, seed)
	if err != nil {
		x.refineInfo[i] = RefineInfo{Epochs: cfg.Epochs, Error: err.Error()}
		return
	}
	cache := newRefineCache(x.cfg.OutDir, c.Name, refineKey(own, x.models.MLP, c.Obs, cfg, seed))
	if m, info, ok := cache.load(); ok {
		x.refined[i], x.refineInfo[i] = m, info
		return
	}
	// The previous results' cache: read it, and carry the entry into this
	// run's folder, which replaces the previous one as a whole.
	if prev := newRefineCache(x.folder.dir, c.Name, cache.key); prev.model != cache.model {
		if m, info, ok := prev.load(); ok {
			x.refined[i], x.refineInfo[i] = m, info
			_ = cache.store(m, info)
			return
		}
	}
	xs, ys, info, err := refineRuns(x.models.CINN, x.models.MLP, c.Obs, tr.Lo, tr.Hi, own, cfg, seed)
	x.refineInfo[i] = info
	if err != nil {
		// A failed round loses nothing the amortized flow had: sample it.
		x.refineInfo[i].Error = err.Error()
		return
	}
	m, err := x.models.CINN.FineTune(xs[:cfg.Runs], ys[:cfg.Runs], xs[cfg.Runs:], ys[cfg.Runs:], cfg.Epochs, cfg.LearningRate, seed)
	if err != nil {
		x.refineInfo[i].Error = err.Error()
		return
	}
	x.refined[i] = m
	x.refineInfo[i].Seconds = time.Since(t1).Seconds()
	// A cache that cannot be written costs the next rerun time, nothing else.
	_ = cache.store(m, x.refineInfo[i])
}

// drawBox returns the smallest box holding the draws, widened by frac of its
// width on each side and cut to [lo, hi].
func drawBox(draws [][]float64, lo, hi []float64, frac float64) (blo, bhi []float64) {
	blo, bhi = slices.Clone(draws[0]), slices.Clone(draws[0])
	for _, r := range draws {
		for j, v := range r {
			blo[j], bhi[j] = math.Min(blo[j], v), math.Max(bhi[j], v)
		}
	}
	for j := range blo {
		w := bhi[j] - blo[j]
		blo[j], bhi[j] = math.Max(lo[j], blo[j]-frac*w), math.Min(hi[j], bhi[j]+frac*w)
	}
	return blo, bhi
}

// refineKey identifies a refinement round's result: the amortized flow
// (through its draws for the observation, which the round starts from), the
// emulator that makes its runs, the observation, the settings and the seed.
// Fine-tuning is deterministic given these, so a stored result is the one
// the round would compute.
func refineKey(own [][]float64, mlp *emulator.MLP, obs []float64, cfg RefineConfig, seed uint64) any {
	return struct {
		Own, Emulator string
		Obs           []float64
		Cfg           RefineConfig
		Seed          uint64
		Version       int // Bumped when the round's arithmetic changes.
	}{digest(own), mlp.Fingerprint(), obs, cfg, seed, 1}
}

// refineCache stores a case's fine-tuned flow in OutDir/cache: the model's
// checkpoint and a record of the key and the round's RefineInfo, so that
// -reuse (or any rerun on the same models) samples it without fine-tuning
// again.
type refineCache struct {
	model, record string
	key           any
}

func newRefineCache(outDir, name string, key any) refineCache {
	base := filepath.Join(outDir, "cache", "refined_"+name)
	return refineCache{model: base + ".ckpt", record: base + ".json", key: key}
}

// load returns the stored flow and its RefineInfo when the record's key
// matches and the checkpoint reads back.
func (c refineCache) load() (*inn.Model, RefineInfo, bool) {
	k, err := memoKey(c.key)
	if err != nil {
		return nil, RefineInfo{}, false
	}
	info, _, ok := memoRead[RefineInfo](c.record, k)
	if !ok {
		return nil, RefineInfo{}, false
	}
	m, err := inn.Load(c.model)
	if err != nil {
		return nil, RefineInfo{}, false
	}
	info.Cached = true
	return m, info, true
}

// store writes the flow's checkpoint, then the record that vouches for it.
// The old record goes first, so that an interrupted store never leaves a
// record next to another round's checkpoint.
func (c refineCache) store(m *inn.Model, info RefineInfo) error {
	k, err := memoKey(c.key)
	if err != nil {
		return err
	}
	if err := os.Remove(c.record); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(c.model), 0o755); err != nil {
		return err
	}
	if err := m.Save(c.model); err != nil {
		return err
	}
	return memoWrite(c.record, k, info)
}
