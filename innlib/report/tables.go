package report

import (
	"fmt"
	"strings"

	"github.com/ozarkinn/inn/innlib/pipeline"
)

// The tables of an experiment's results, as the notebooks show them. Each
// builder reads only results.json (o.Results).

// methodLabel names a recipe or emulator in tables, as in the figures.
func methodLabel(name string) string {
	if l, ok := recipeLabel[name]; ok {
		return l
	}
	return strings.ToUpper(name)
}

// referenceLabel names the MCMC run a comparison is made against.
func referenceLabel(ref string) string {
	if ref == pipeline.ReferenceINNSurrogate {
		return "MCMC on the INN's forward pass"
	}
	return "MCMC (MLP surrogate)"
}

// Unit returns the unit all outputs share (e.g. "W m-2"), or "" when they
// have none or differ.
func (o *Output) Unit() string {
	units := o.Results.Settings.OutputUnits
	if len(units) == 0 {
		return ""
	}
	for _, u := range units {
		if u != units[0] {
			return ""
		}
	}
	return units[0]
}

// unit returns " (u)" for a column header when the outputs share the unit u.
func (o *Output) unit() string {
	if u := o.Unit(); u != "" {
		return " (" + u + ")"
	}
	return ""
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// ParamTable gives, per parameter, the truth (synthetic cases) and each
// method's posterior mean and central 95% interval. A "!" marks an interval
// that misses the truth.
func (o *Output) ParamTable(caseName string) (*Table, error) {
	c, err := o.Case(caseName)
	if err != nil {
		return nil, err
	}
	t := &Table{Caption: c.Title + ": posterior mean [2.5%, 97.5%]", Header: []string{"parameter", "truth"}}
	for _, p := range c.Posteriors {
		t.Header = append(t.Header, methodLabel(p.Recipe))
		if len(p.Params) != len(o.Results.Settings.ParamNames) {
			return nil, fmt.Errorf("report: case %q: %s has %d parameters, the settings name %d", caseName, p.Recipe, len(p.Params), len(o.Results.Settings.ParamNames))
		}
	}
	missed := false
	for j, name := range o.Results.Settings.ParamNames {
		row := []string{name, "-"}
		if c.Truth != nil {
			row[1] = fmt.Sprintf("%.4g", c.Truth[j])
		}
		for _, p := range c.Posteriors {
			q := p.Params[j]
			cell := fmt.Sprintf("%.4g [%.4g, %.4g]", q.Mean, q.Q025, q.Q975)
			if q.Inside95 != nil && !*q.Inside95 {
				cell += " !"
				missed = true
			}
			row = append(row, cell)
		}
		t.Rows = append(t.Rows, row)
	}
	if missed {
		t.Notes = append(t.Notes, "! the 95% interval misses the truth")
	}
	return t, nil
}

// MAPFitTable scores each method's MAP: its fit to the observation through
// the MLP emulator and, for synthetic cases, its distance from the truth
// (the paper's NRMSE on raw values, the prior-box midpoint's for scale, and
// the range-normalised NRMSE). The best in-box fit any method found is the
// last row.
func (o *Output) MAPFitTable(caseName string) (*Table, error) {
	c, err := o.Case(caseName)
	if err != nil {
		return nil, err
	}
	synthetic := false
	for _, p := range c.Posteriors {
		synthetic = synthetic || p.MAPNRMSERaw != nil
	}
	t := &Table{Caption: c.Title + ": MAP fit to the observation through the MLP emulator",
		Header: []string{"estimate", "RMSE" + o.unit(), "NRMSE", "R²"}}
	if synthetic {
		t.Header = append(t.Header, "NRMSE vs truth, raw", "prior midpoint, raw", "NRMSE vs truth, range-normalised", "truth in every 95% interval")
	}
	for _, p := range c.Posteriors {
		row := []string{methodLabel(p.Recipe) + " MAP", fmt.Sprintf("%.2f", p.MAPPredRMSE), fmt.Sprintf("%.4f", p.MAPPredNRMSE), fmtR2(p.MAPPredR2)}
		if synthetic {
			if p.MAPNRMSERaw != nil && p.MidpointNRMSERaw != nil && p.MAPNRMSERange != nil && p.TruthInside95 != nil {
				row = append(row, fmt.Sprintf("%.4f", *p.MAPNRMSERaw), fmt.Sprintf("%.4f", *p.MidpointNRMSERaw),
					fmt.Sprintf("%.3f", *p.MAPNRMSERange), yesNo(*p.TruthInside95))
			} else {
				row = append(row, "-", "-", "-", "-")
			}
		}
		t.Rows = append(t.Rows, row)
	}
	if bf := c.BestFit; bf != nil {
		row := []string{"best in-box fit", fmt.Sprintf("%.2f", bf.RMSE), fmt.Sprintf("%.4f", bf.NRMSE), fmtR2(bf.R2)}
		if synthetic {
			row = append(row, "-", "-", "-", "-")
		}
		t.Rows = append(t.Rows, row)
	}
	return t, nil
}

// BestFitTable locates the case's best in-box fit: the MLP emulator's and
// the INN emulator's own, each scored by both emulators, with its distance
// to the nearest training run (parameters scaled to [0, 1] by the prior
// box). A case without a best fit (no prior box) gives a table with only a
// note.
func (o *Output) BestFitTable(caseName string) (*Table, error) {
	c, err := o.Case(caseName)
	if err != nil {
		return nil, err
	}
	t := &Table{Caption: c.Title + ": where the best in-box fit lies"}
	bf := c.BestFit
	if bf == nil {
		t.Notes = []string{"no best fit in these results (no prior box)"}
		return t, nil
	}
	u := o.unit()
	t.Header = []string{"best in-box fit of", "RMSE, MLP emulator" + u, "RMSE, INN forward pass" + u, "distance to nearest training run"}
	innRMSE := "-"
	if bf.INNRMSE != nil {
		innRMSE = fmt.Sprintf("%.2f", *bf.INNRMSE)
	}
	t.Rows = append(t.Rows, []string{"the MLP emulator", fmt.Sprintf("%.2f", bf.RMSE), innRMSE, fmt.Sprintf("%.2f", bf.NearestRunDistance)})
	if f := bf.INNFit; f != nil {
		t.Rows = append(t.Rows, []string{"the INN emulator", fmt.Sprintf("%.2f", f.MLPRMSE), fmt.Sprintf("%.2f", f.RMSE), fmt.Sprintf("%.2f", f.NearestRunDistance)})
	}
	if bf.RunSpacing != nil {
		t.Notes = append(t.Notes, fmt.Sprintf("training runs are typically %.2f apart (median nearest-neighbour distance)", *bf.RunSpacing))
	}
	return t, nil
}

// NearBestTable says how much of each method's posterior lies near the
// case's best in-box fit: the MAP's RMSE and whether it is within
// pipeline.NearBestTolerance of the best fit, the best, 5% and median draw
// RMSEs, and the share of draws within the tolerance.
func (o *Output) NearBestTable(caseName string) (*Table, error) {
	c, err := o.Case(caseName)
	if err != nil {
		return nil, err
	}
	t := &Table{Caption: c.Title + ": posterior draws near the best in-box fit"}
	bf := c.BestFit
	if bf == nil {
		t.Notes = []string{"no best fit in these results (no prior box)"}
		return t, nil
	}
	tol := fmt.Sprintf("within %.0f%%", 100*pipeline.NearBestTolerance)
	t.Caption += fmt.Sprintf(" (RMSE %.2f; %s: RMSE ≤ %.2f)", bf.RMSE, tol, (1+pipeline.NearBestTolerance)*bf.RMSE)
	t.Header = []string{"method", "MAP RMSE" + o.unit(), "MAP " + tol, "best draw", "5% draw", "median draw", "draws " + tol}
	for _, p := range c.Posteriors {
		d := p.DrawFit
		if d.NearBest == nil || d.MAPNearBest == nil {
			continue
		}
		t.Rows = append(t.Rows, []string{methodLabel(p.Recipe), fmt.Sprintf("%.2f", p.MAPPredRMSE), yesNo(*d.MAPNearBest),
			fmt.Sprintf("%.2f", d.MinRMSE), fmt.Sprintf("%.2f", d.Q05RMSE), fmt.Sprintf("%.2f", d.MedianRMSE),
			fmt.Sprintf("%.2f%% of %d", 100**d.NearBest, p.Samples)})
	}
	if len(t.Rows) == 0 {
		t.Header = nil
		t.Notes = append(t.Notes, "the best fit is exact: a relative margin on a zero misfit says nothing")
	}
	return t, nil
}

// ForwardTable scores each emulator forwards: R² and RMSE per output on
// the validation runs and on all runs.
func (o *Output) ForwardTable() (*Table, error) {
	s := o.Results.Settings
	rmse := "RMSE"
	if u := o.Unit(); u != "" {
		rmse += ", " + u
	}
	t := &Table{Caption: "Forward emulation: R² (" + rmse + ") per output", Header: append([]string{"emulator"}, s.OutputNames...)}
	for _, f := range o.Results.Forward {
		for _, set := range []struct {
			label    string
			r2, rmse []float64
		}{{"validation runs", f.ValR2, f.ValRMSE}, {"all runs", f.AllR2, f.AllRMSE}} {
			if len(set.r2) != len(s.OutputNames) || len(set.rmse) != len(s.OutputNames) {
				return nil, fmt.Errorf("report: forward scores of %s: %d R² and %d RMSE values for %d outputs", f.Emulator, len(set.r2), len(set.rmse), len(s.OutputNames))
			}
			row := []string{methodLabel(f.Emulator) + ", " + set.label}
			for j := range set.r2 {
				row = append(row, fmt.Sprintf("%.4f (%.2f)", set.r2[j], set.rmse[j]))
			}
			t.Rows = append(t.Rows, row)
		}
	}
	return t, nil
}

// SamplerTable gives each MCMC run's diagnostics: acceptance, the largest
// integrated autocorrelation time τ over parameters, the post-burn-in chain
// length in units of τ, the smallest bulk effective sample size, the largest
// split R-hat, and the wall time.
func (o *Output) SamplerTable() (*Table, error) {
	t := &Table{Caption: "MCMC sampler diagnostics",
		Header: []string{"case", "run", "surrogate", "walkers × steps", "samples", "seconds", "acceptance", "max τ", "chain / τ", "min ESS", "max R-hat"}}
	for _, c := range o.Results.Cases {
		for _, r := range c.MCMC {
			if len(r.Tau) == 0 || len(r.ESSBulk) == 0 || len(r.RHat) == 0 {
				return nil, fmt.Errorf("report: case %q: MCMC run %q has no diagnostics", c.Name, r.Name)
			}
			maxTau, minESS, maxR := r.Tau[0], r.ESSBulk[0], r.RHat[0]
			for j := range r.Tau {
				maxTau = max(maxTau, r.Tau[j])
			}
			for j := range r.ESSBulk {
				minESS = min(minESS, r.ESSBulk[j])
			}
			for j := range r.RHat {
				maxR = max(maxR, r.RHat[j])
			}
			t.Rows = append(t.Rows, []string{c.Name, r.Name, methodLabel(r.Surrogate), fmt.Sprintf("%d × %d", r.Walkers, r.Steps), fmt.Sprint(r.Samples),
				fmt.Sprintf("%.1f", r.Seconds), fmt.Sprintf("%.2f", r.MeanAcceptance), fmt.Sprintf("%.0f", maxTau),
				fmt.Sprintf("%.0f", r.ChainOverTau), fmt.Sprintf("%.0f", minESS), fmt.Sprintf("%.3f", maxR)})
		}
	}
	return t, nil
}

// ComparisonTable rates each method's posterior against its MCMC reference:
// C2ST (0.5: indistinguishable), the largest Wasserstein-1 distance over
// parameters divided by the prior width, MMD, and the correlation of the
// compared pair of parameters in the method and in the reference.
func (o *Output) ComparisonTable() (*Table, error) {
	t := &Table{Caption: "Posteriors against MCMC",
		Header: []string{"case", "method", "reference", "C2ST", "max W1/width", "MMD", "pair", "correlation", "in reference"}}
	for _, c := range o.Results.Cases {
		for _, cmp := range c.Comparisons {
			t.Rows = append(t.Rows, []string{c.Name, methodLabel(cmp.Recipe), referenceLabel(cmp.Reference),
				fmt.Sprintf("%.3f", cmp.C2ST), fmt.Sprintf("%.3f", cmp.MaxW1), fmt.Sprintf("%.4f", cmp.MMD),
				cmp.CorrPair[0] + ", " + cmp.CorrPair[1], fmt.Sprintf("%.2f", cmp.CorrRecipe), fmt.Sprintf("%.2f", cmp.CorrReference)})
		}
	}
	return t, nil
}

// ComparisonParamTable gives, per comparison and parameter, the
// Wasserstein-1 distance divided by the prior width and, in brackets, the
// two-sample Kolmogorov-Smirnov statistic.
func (o *Output) ComparisonParamTable() (*Table, error) {
	names := o.Results.Settings.ParamNames
	t := &Table{Caption: "Per parameter against MCMC: W1/width (KS statistic)",
		Header: append([]string{"case", "method", "reference"}, names...)}
	for _, c := range o.Results.Cases {
		for _, cmp := range c.Comparisons {
			if len(cmp.W1Range) != len(names) || (cmp.KS != nil && len(cmp.KS) != len(names)) {
				return nil, fmt.Errorf("report: case %q, %s: %d W1 and %d KS values for %d parameters", c.Name, cmp.Recipe, len(cmp.W1Range), len(cmp.KS), len(names))
			}
			row := []string{c.Name, methodLabel(cmp.Recipe), referenceLabel(cmp.Reference)}
			for j, w := range cmp.W1Range {
				cell := fmt.Sprintf("%.3f", w)
				if cmp.KS != nil {
					cell += fmt.Sprintf(" (%.2f)", cmp.KS[j])
				}
				row = append(row, cell)
			}
			t.Rows = append(t.Rows, row)
		}
	}
	return t, nil
}

// fmtR2 prints an R² that may be undefined (nil: every output observed the same).
func fmtR2(v *float64) string {
	if v == nil {
		return "–"
	}
	return fmt.Sprintf("%.3f", *v)
}
