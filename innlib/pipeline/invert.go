package pipeline

import (
	"fmt"
)

// invert draws Config.Samples posterior samples for every case from both
// trained recipes (all cases in one batch per recipe; the conditional flow
// case by case when refined for each, refine.go), writes them and their
// posterior predictive, and summarises them. The conditional flow's MAP is
// its densest draw under its own density; the bidirectional INN has no
// density, so its MAP is the mode of a KDE of its draws.
func (x *experiment) invert() error { return x.runStage("invert") }

// planInvert adds the refinement rounds, a sampling job per recipe and a
// summary per case and recipe.
func (x *experiment) planInvert(g *graph) error {
	obs := make([][]float64, len(x.in.Cases))
	for i, c := range x.in.Cases {
		obs[i] = c.Obs
	}
	refines := x.planRefine(g)
	x.ready.sampled[RecipeINN] = g.add("sampling the INN's posteriors", "invert", []*job{x.ready.inn}, func() error {
		s, err := x.models.INN.PosteriorBatch(obs, x.cfg.Samples, x.cfg.Seed+100)
		if err != nil {
			return err
		}
		copy(x.draws[RecipeINN], s)
		return nil
	}, spanAnalysis, spanSampling+RecipeINN)
	x.ready.sampled[RecipeCINN] = g.add("sampling the conditional flow's posteriors", "invert", append([]*job{x.ready.cinn}, refines...), func() error {
		if x.refined != nil && !x.refinable() {
			x.refined, x.refineInfo = nil, nil
		}
		if x.refined == nil {
			s, err := x.models.CINN.PosteriorBatch(obs, x.cfg.Samples, x.cfg.Seed+100)
			if err != nil {
				return err
			}
			copy(x.draws[RecipeCINN], s)
			return nil
		}
		for i, c := range x.in.Cases {
			d, err := x.refined[i].Posterior(c.Obs, x.cfg.Samples, x.cfg.Seed+100)
			if err != nil {
				return fmt.Errorf("refined for %s: %w", c.Name, err)
			}
			x.draws[RecipeCINN][i] = d
		}
		return nil
	}, spanAnalysis, spanSampling+RecipeCINN)
	for i, c := range x.in.Cases {
		for _, r := range []struct {
			method int
			name   string
		}{{methodINN, RecipeINN}, {methodCINN, RecipeCINN}} {
			j := g.add(caseJob("summarising the "+r.name+" posterior", c), "invert", []*job{x.ready.sampled[r.name], x.ready.mlp}, func() error {
				return x.summariseRecipe(g, i, r.method, r.name)
			}, spanAnalysis)
			x.ready.summarised[i] = append(x.ready.summarised[i], j)
		}
	}
	return nil
}

// summariseRecipe writes and summarises a recipe's draws for case i.
func (x *experiment) summariseRecipe(g *graph, i, method int, recipe string) error {
	c, s := x.in.Cases[i], x.draws[recipe][i]
	var density []float64
	if recipe == RecipeCINN {
		model := x.models.CINN
		if x.refined != nil {
			model = x.refined[i]
		}
		var err error
		if density, err = model.UnconstrainedLogDensity(s, c.Obs); err != nil {
			density = nil // Padded flows have no density; fall back to the KDE.
		}
	}
	ps, best, err := x.summariser().write(recipe, s, density, c)
	if err != nil {
		return err
	}
	ps.Seconds = g.seconds(spanSampling+recipe) / float64(len(x.in.Cases))
	if recipe == RecipeCINN && x.refined != nil {
		ps.Refined = &x.refineInfo[i]
	}
	x.work[i].post[method] = &summarised{ps, best}
	return nil
}

// recordInvert puts the cases in the results, with both recipes' posteriors.
func (x *experiment) recordInvert() {
	for i, c := range x.in.Cases {
		cr := CaseResult{Name: c.Name, Title: c.Title, Note: c.Note, Row: c.Row, Obs: c.Obs, Truth: c.Truth}
		for _, m := range []int{methodINN, methodCINN} {
			cr.Posteriors = append(cr.Posteriors, x.work[i].post[m].ps)
		}
		x.res.Cases = append(x.res.Cases, cr)
	}
}
