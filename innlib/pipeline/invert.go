package pipeline

import (
	"fmt"
	"time"

	"github.com/ozarkinn/inn/innlib/inn"
)

// invert draws Config.Samples posterior samples for every case from both
// trained recipes (all cases in one batch per recipe), writes them and their
// posterior predictive, and summarises them. The conditional flow's MAP is
// its densest draw under its own density; the bidirectional INN has no
// density, so its MAP is the mode of a KDE of its draws.
func (x *experiment) invert() error {
	obs := make([][]float64, len(x.in.Cases))
	for i, c := range x.in.Cases {
		obs[i] = c.Obs
	}
	recipes := []struct {
		name  string
		model *inn.Model
	}{{RecipeINN, x.models.INN}, {RecipeCINN, x.models.CINN}}
	x.refineCINN()
	for _, r := range recipes {
		t0 := time.Now()
		var s [][][]float64
		var err error
		if r.name == RecipeCINN && x.refined != nil {
			for i, c := range x.in.Cases {
				d, err := x.refined[i].Posterior(c.Obs, x.cfg.Samples, x.cfg.Seed+100)
				if err != nil {
					return fmt.Errorf("pipeline: %s posterior (refined for %s): %w", r.name, c.Name, err)
				}
				s = append(s, d)
			}
		} else if s, err = r.model.PosteriorBatch(obs, x.cfg.Samples, x.cfg.Seed+100); err != nil {
			return fmt.Errorf("pipeline: %s posterior: %w", r.name, err)
		}
		x.res.Timing.Sampling[r.name] = time.Since(t0).Seconds()
		x.draws[r.name] = s
	}
	sm := x.summariser()
	for i, c := range x.in.Cases {
		cr := CaseResult{Name: c.Name, Title: c.Title, Note: c.Note, Row: c.Row, Obs: c.Obs, Truth: c.Truth}
		for _, r := range recipes {
			s := x.draws[r.name][i]
			var density []float64
			model := r.model
			if r.name == RecipeCINN && x.refined != nil {
				model = x.refined[i]
			}
			if r.name == RecipeCINN {
				var err error
				if density, err = model.UnconstrainedLogDensity(s, c.Obs); err != nil {
					density = nil // Padded flows have no density; fall back to the KDE.
				}
			}
			ps, best, err := sm.write(r.name, s, density, c)
			if err != nil {
				return err
			}
			ps.Seconds = x.res.Timing.Sampling[r.name] / float64(len(x.in.Cases))
			if r.name == RecipeCINN && x.refined != nil {
				ps.Refined = &x.refineInfo[i]
			}
			cr.Posteriors = append(cr.Posteriors, ps)
			x.starts[i] = append(append(x.starts[i], best...), ps.MAP)
		}
		x.res.Cases = append(x.res.Cases, cr)
	}
	return nil
}
