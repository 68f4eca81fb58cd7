package pipeline

import (
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"sort"
	"sync"

	"github.com/ozarkinn/inn/innlib/dataset"
	"github.com/ozarkinn/inn/innlib/metrics"
	"github.com/ozarkinn/inn/innlib/mmd"
)

// Comparison rates a recipe's posterior against the MCMC reference.
type Comparison struct {
	Recipe    string    `json:"recipe"`
	Reference string    `json:"reference"` // RecipeMCMC (MLP surrogate) or ReferenceINNSurrogate.
	W1Range   []float64 `json:"w1_range"`  // Wasserstein-1 per parameter / prior width.
	MaxW1     float64   `json:"max_w1_range"`
	KS        []float64 `json:"ks"`  // Two-sample Kolmogorov-Smirnov statistic per parameter.
	MMD       float64   `json:"mmd"` // On draws z-scored by the reference.
	C2ST      float64   `json:"c2st"`
	// Correlation of the pair (e.g. slatop, flnr) in the recipe and in the reference.
	CorrPair      [2]string `json:"corr_pair"`
	CorrRecipe    float64   `json:"corr_recipe"`
	CorrReference float64   `json:"corr_reference"`
}

// compare rates the networks' posteriors against MCMC for every case: both
// recipes against the MCMC reference on the MLP emulator and, where it ran,
// the INN against MCMC on its own forward pass. Comparisons are cached in
// OutDir/cache, keyed on the draws.
func (x *experiment) compare() error { return x.runStage("compare") }

// comparePair is one comparison of a case: a recipe's draws against a
// reference's, in the order of caseWork.comparisons.
type comparePair struct{ recipe, reference string }

var comparePairs = []comparePair{{RecipeINN, RecipeMCMC}, {RecipeCINN, RecipeMCMC}, {RecipeINN, ReferenceINNSurrogate}}

// planCompare adds a job per case and pair, which starts once both draws
// are there: the conditional flow's comparisons while the INN still trains.
func (x *experiment) planCompare(g *graph) error {
	cfg := x.cfg
	// Each posterior is in several pairs: digest it once.
	type rows struct {
		first *[]float64
		n     int
	}
	digests := map[rows]string{}
	var mu sync.Mutex // The comparison jobs run concurrently.
	digestOnce := func(d [][]float64) string {
		if len(d) == 0 {
			return digest(d)
		}
		k := rows{&d[0], len(d)}
		mu.Lock()
		v, ok := digests[k]
		mu.Unlock()
		if !ok {
			v = digest(d)
			mu.Lock()
			digests[k] = v
			mu.Unlock()
		}
		return v
	}
	for i, c := range x.in.Cases {
		for k, p := range comparePairs {
			needs := []*job{x.ready.sampled[p.recipe], x.ready.mcmc[i]}
			if p.reference == ReferenceINNSurrogate {
				if !cfg.MCMC.INNSurrogate {
					continue
				}
				needs[1] = x.ready.mcmcINN[i]
			}
			g.add(caseJob(fmt.Sprintf("comparing %s with %s", p.recipe, p.reference), c), "compare", needs, func() error {
				s, ref := x.draws[p.recipe][i], x.draws[p.reference][i]
				if ref == nil {
					return nil
				}
				seed := cfg.Seed + uint64(300+10*i+k)
				key := struct {
					Recipe, Reference, Samples, Ref string
					Cfg                             MCMCConfig
					Seed                            uint64
					Version                         int // Bumped when the comparison's arithmetic changes.
				}{p.recipe, p.reference, digestOnce(s), digestOnce(ref), cfg.MCMC, seed, 2} // 2: C2ST's classifier in float32
				name := fmt.Sprintf("compare_%s_%s_%s.json", c.Name, p.recipe, p.reference)
				cmp, err := memo(filepath.Join(cfg.OutDir, "cache", name), filepath.Join(x.folder.dir, "cache", name), key,
					func() (Comparison, error) {
						return compareDraws(p.recipe, p.reference, s, ref, x.in.Train, cfg.MCMC.CompareDraws, cfg.MCMC.C2ST, seed)
					})
				if err != nil {
					return err
				}
				x.work[i].comparisons[k] = &cmp
				return nil
			}, spanCompare)
		}
	}
	return nil
}

// recordCompare adds each case's comparisons to the results, in pair order.
func (x *experiment) recordCompare() {
	for i := range x.in.Cases {
		for _, cmp := range x.work[i].comparisons {
			if cmp != nil {
				x.res.Cases[i].Comparisons = append(x.res.Cases[i].Comparisons, *cmp)
			}
		}
	}
}

// compareDraws rates a recipe's draws s against the reference draws ref:
// per-parameter W1 (over the box width) and KS, and on at most draws rows of
// each, MMD and a classifier two-sample test (C2ST, seeded by seed).
func compareDraws(recipe, reference string, s, ref [][]float64, e *dataset.Ensemble, draws int, c2st metrics.C2STConfig, seed uint64) (Comparison, error) {
	cmp := Comparison{Recipe: recipe, Reference: reference}
	var err error
	if cmp.W1Range, err = metrics.Wasserstein1Columns(nil, s, ref, e.Lo, e.Hi); err != nil {
		return cmp, err
	}
	for _, w := range cmp.W1Range {
		cmp.MaxW1 = math.Max(cmp.MaxW1, w)
	}
	for j := range e.ParamNames {
		a, _ := metrics.Column(nil, s, j)
		b, _ := metrics.Column(nil, ref, j)
		d, _, err := metrics.KS2(a, b)
		if err != nil {
			return cmp, err
		}
		cmp.KS = append(cmp.KS, d)
	}
	a, b := subsample(s, draws, seed), subsample(ref, draws, seed+1)
	if cmp.MMD, err = metrics.ScaledMMD(b, a, mmd.Widths(0.2, 0.5, 1, 2, 5)); err != nil {
		return cmp, err
	}
	cc := c2st
	cc.Seed = seed
	res, err := metrics.C2ST(a, b, cc)
	if err != nil {
		return cmp, err
	}
	cmp.C2ST = res.Accuracy
	i, j := slices.Index(e.ParamNames, "slatop"), slices.Index(e.ParamNames, "flnr")
	if i < 0 || j < 0 {
		i, j = 0, 1
	}
	cmp.CorrPair = [2]string{e.ParamNames[i], e.ParamNames[j]}
	cmp.CorrRecipe, _ = metrics.ColumnPearson(s, i, j)
	cmp.CorrReference, _ = metrics.ColumnPearson(ref, i, j)
	return cmp, nil
}

// subsample returns at most n rows of s, chosen with a seeded generator.
func subsample(s [][]float64, n int, seed uint64) [][]float64 {
	if n <= 0 || len(s) <= n {
		return s
	}
	idx := rand.New(rand.NewPCG(seed, 0x737562)).Perm(len(s))[:n]
	sort.Ints(idx)
	out := make([][]float64, n)
	for i, k := range idx {
		out[i] = s[k]
	}
	return out
}
