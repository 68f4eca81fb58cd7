// Package report builds the paper's figures and the results' tables from an
// experiment's output folder (results.json and the CSV files next to it), so
// that the Ozark command, the notebooks and any later reader draw the same
// figures and tables from the same numbers.
//
// Usage:
//
//	figs, err := report.Figures("out/ozark")
//	files, err := report.Write("out/ozark", report.WriteOptions{PNG: true})
//
//	o, err := report.Open("out/ozark")
//	t, err := o.ParamTable("synthetic-1") // also MAPFitTable, ForwardTable, SamplerTable, ...
//	err = t.WriteText(os.Stdout)          // or t.HTML(); notebook.Show displays it in a cell
package report

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"github.com/ozarkinn/inn/innlib/dataset"
	"github.com/ozarkinn/inn/innlib/internal/par"
	"github.com/ozarkinn/inn/innlib/pipeline"
	"github.com/ozarkinn/inn/innlib/plots"
)

// Figure is one figure of the report.
type Figure struct {
	Name  string // File stem, e.g. "fig1_synthetic-1_posterior".
	Title string
	Fig   *plots.Figure
}

// recipeLabel is how each recipe is named in figures.
var recipeLabel = map[string]string{pipeline.RecipeINN: "INN", pipeline.RecipeCINN: "cINN", pipeline.RecipeMCMC: "MCMC"}

// Output holds an experiment's results and reads its CSV files.
type Output struct {
	Dir     string
	Results *pipeline.Results
}

// Open reads dir/results.json. Where dir has a manifest (every completed
// run writes one), it first checks that every file still matches it
// (pipeline.CheckRun), so that the figures and tables never mix two runs.
func Open(dir string) (*Output, error) {
	if dir == "" {
		return nil, fmt.Errorf("report: no output folder given")
	}
	if _, err := os.Stat(filepath.Join(dir, pipeline.ManifestName)); err == nil {
		if _, err := pipeline.CheckRun(dir); err != nil {
			return nil, fmt.Errorf("report: %w", err)
		}
	}
	r, err := pipeline.ReadResults(filepath.Join(dir, "results.json"))
	if err != nil {
		return nil, err
	}
	return &Output{Dir: dir, Results: r}, nil
}

// Rows reads a CSV written by the pipeline (relative to the output folder).
func (o *Output) Rows(file string) ([][]float64, []string, error) {
	t, err := dataset.ReadCSV(filepath.Join(o.Dir, file))
	if err != nil {
		return nil, nil, err
	}
	rows, err := t.Floats(t.Columns...)
	return rows, t.Columns, err
}

// Case returns the named case.
func (o *Output) Case(name string) (*pipeline.CaseResult, error) {
	for i := range o.Results.Cases {
		if o.Results.Cases[i].Name == name {
			return &o.Results.Cases[i], nil
		}
	}
	return nil, fmt.Errorf("report: no case %q in %s", name, o.Dir)
}

// Figures builds every figure the output supports. The figures are
// independent, so they are built concurrently (GOMAXPROCS at a time: the
// posterior marginals' density estimates are most of the work); the list
// and any error are those of building them one after the other.
func Figures(dir string) ([]Figure, error) {
	o, err := Open(dir)
	if err != nil {
		return nil, err
	}
	type job struct {
		name, title string
		build       func() (*plots.Figure, error)
	}
	var jobs []job
	add := func(name, title string, build func() (*plots.Figure, error)) {
		jobs = append(jobs, job{name, title, build})
	}
	number := map[string][2]string{"synthetic-1": {"fig1", "fig2a"}, "observed": {"fig3", "fig2b"}, "synthetic-2": {"fig5", "fig6"}}
	for _, c := range o.Results.Cases {
		n, ok := number[c.Name]
		if !ok {
			n = [2]string{"posterior", "predictive"}
		}
		add(n[0]+"_"+c.Name+"_posterior", c.Title+": posterior", func() (*plots.Figure, error) { return o.Marginals(c.Name) })
		add(n[1]+"_"+c.Name+"_predictive", c.Title+": posterior predictive", func() (*plots.Figure, error) { return o.Predictive(c.Name) })
	}
	add("fig4_forward_inn", "INN forward emulation", func() (*plots.Figure, error) { return o.Emulation(pipeline.RecipeINN) })
	add("forward_mlp", "MLP emulator", func() (*plots.Figure, error) { return o.Emulation("mlp") })
	for _, m := range o.Results.Settings.Models {
		add("training_"+m.Name, "Training of "+m.Name, func() (*plots.Figure, error) { return o.Training(m.Name) })
	}
	if len(o.Results.Calibration) > 0 {
		add("coverage", "Coverage of central credible intervals", o.Coverage)
		for _, rc := range o.Results.Calibration {
			if rc.Error != "" {
				continue
			}
			add("sbc_"+rc.Recipe, "SBC ranks, "+recipeLabel[rc.Recipe], func() (*plots.Figure, error) { return o.SBC(rc.Recipe) })
		}
	}
	figs, errs := make([]Figure, len(jobs)), make([]error, len(jobs))
	par.Each(len(jobs), runtime.GOMAXPROCS(0), func() struct{} { return struct{}{} }, func(_ struct{}, i int) {
		j := jobs[i]
		f, err := j.build()
		figs[i], errs[i] = Figure{Name: j.name, Title: j.title, Fig: f}, err
	})
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("report: %s: %w", jobs[i].name, err)
		}
	}
	return figs, nil
}

// Marginals is the paper's Fig. 1/3/5 for a case: one row per recipe.
func (o *Output) Marginals(caseName string) (*plots.Figure, error) {
	c, err := o.Case(caseName)
	if err != nil {
		return nil, err
	}
	s := o.Results.Settings
	in := plots.MarginalsInput{Title: c.Title, Truth: c.Truth}
	for j, name := range s.ParamNames {
		p := plots.Param{Name: name}
		if s.ParamUnits != nil {
			p.Unit = s.ParamUnits[j]
		}
		if s.Lo != nil {
			p.Lo, p.Hi = s.Lo[j], s.Hi[j]
		}
		in.Params = append(in.Params, p)
	}
	for _, p := range c.Posteriors {
		rows, _, err := o.Rows(p.SamplesFile)
		if err != nil {
			return nil, err
		}
		in.Methods = append(in.Methods, plots.MethodSamples{Name: recipeLabel[p.Recipe], Samples: rows, MAP: p.MAP})
	}
	i, j := slices.Index(s.ParamNames, "slatop"), slices.Index(s.ParamNames, "flnr")
	if i >= 0 && j >= 0 {
		in.Joint = &plots.Joint{X: i, Y: j, Kind: plots.JointContour}
	}
	return plots.PosteriorMarginals(in)
}

// Predictive is the paper's Fig. 2/6 for a case: yearly boxes per recipe.
func (o *Output) Predictive(caseName string) (*plots.Figure, error) {
	c, err := o.Case(caseName)
	if err != nil {
		return nil, err
	}
	in := plots.PredictiveInput{Title: c.Title, Observed: c.Obs, ObservedLabel: "observation"}
	if s := o.Results.Settings; !latentHeat(s.OutputNames) {
		in.YLabel = "output" + unitSuffix(s.OutputUnits)
	}
	if c.Truth != nil {
		in.ObservedLabel = "truth"
	}
	for _, n := range o.Results.Settings.OutputNames {
		y, err := strconv.Atoi(strings.TrimPrefix(n, "LH_"))
		if err != nil {
			y = len(in.Years) + 1
		}
		in.Years = append(in.Years, y)
	}
	for _, p := range c.Posteriors {
		rows, _, err := o.Rows(p.PredictiveFile)
		if err != nil {
			return nil, err
		}
		in.Methods = append(in.Methods, plots.PredictiveMethod{Name: recipeLabel[p.Recipe], Samples: rows, MAP: p.MAPPrediction})
	}
	return plots.PosteriorPredictive(in)
}

// Emulation is the paper's Fig. 4 for an emulator ("inn" or "mlp"): emulated
// against model output for every run, one panel per output, R² on all runs.
func (o *Output) Emulation(emulator string) (*plots.Figure, error) {
	rows, cols, err := o.Rows(o.Results.ForwardFile)
	if err != nil {
		return nil, err
	}
	var scores *pipeline.ForwardScores
	for i := range o.Results.Forward {
		if o.Results.Forward[i].Emulator == emulator {
			scores = &o.Results.Forward[i]
		}
	}
	if scores == nil {
		return nil, fmt.Errorf("report: no forward scores for %q", emulator)
	}
	label := map[string]string{pipeline.RecipeINN: "INN", "mlp": "MLP"}[emulator]
	in := plots.EmulationInput{Title: label + " forward emulation (R² on all runs)", YLabel: label + " LH (W m-2)"}
	s := o.Results.Settings
	generic := !latentHeat(s.OutputNames)
	if generic { // Not the paper's outputs: no LH labels, axes over the data.
		u := unitSuffix(s.OutputUnits)
		in.XLabel, in.YLabel, in.Columns = "model output"+u, label+" output"+u, min(len(s.OutputNames), 4)
	}
	for k, n := range s.OutputNames {
		mi, ei, vi := slices.Index(cols, "model_"+n), slices.Index(cols, emulator+"_"+n), slices.Index(cols, "validation")
		if mi < 0 || ei < 0 || vi < 0 {
			return nil, fmt.Errorf("report: %s lacks the columns of %s", o.Results.ForwardFile, n)
		}
		p := plots.EmulationPanel{Label: strings.TrimPrefix(n, "LH_"), R2: scores.AllR2[k]}
		for _, r := range rows {
			p.Model = append(p.Model, r[mi])
			p.Emulator = append(p.Emulator, r[ei])
			p.Validation = append(p.Validation, r[vi] == 1)
		}
		in.Panels = append(in.Panels, p)
	}
	if generic {
		in.Min, in.Max = math.Inf(1), math.Inf(-1)
		for _, p := range in.Panels {
			for _, v := range append(append([]float64(nil), p.Model...), p.Emulator...) {
				in.Min, in.Max = math.Min(in.Min, v), math.Max(in.Max, v)
			}
		}
		pad := 0.05 * (in.Max - in.Min)
		in.Min, in.Max = in.Min-pad, in.Max+pad
	}
	return plots.EmulationScatter(in)
}

// Training draws a model's loss terms per epoch.
func (o *Output) Training(model string) (*plots.Figure, error) {
	for _, m := range o.Results.Settings.Models {
		if m.Name != model || m.History == nil {
			continue
		}
		in := plots.TrainingInput{Title: "Training of " + m.Kind, BestEpoch: float64(m.BestEpoch + 1)}
		for _, name := range sortedKeys(m.History.Train) {
			tr := m.History.Train[name]
			if allPositive(tr) {
				in.Terms = append(in.Terms, plots.LossTerm{Name: name, Train: tr, Valid: m.History.Val[name]})
			}
		}
		if model == pipeline.RecipeCINN { // The NLL can be negative: no log axis.
			in.LinearY = true
			in.Terms = []plots.LossTerm{{Name: "nll", Train: m.History.Train["nll"], Valid: m.History.Val["nll"]}}
		}
		return plots.TrainingCurves(in)
	}
	return nil, fmt.Errorf("report: no training history for %q", model)
}

// Coverage draws, for every recipe, the coverage of its worst-calibrated
// parameter (the check's headline) against the nominal level, with the
// pointwise 95% binomial band of one exactly calibrated parameter over the
// same number of runs. The worst of several parameters leaves that band more
// often; the check's own pass rule is the simulated bound in the summary.
func (o *Output) Coverage() (*plots.Figure, error) {
	in := plots.CoverageInput{}
	for _, rc := range o.Results.Calibration {
		if rc.Error != "" {
			continue
		}
		for _, p := range rc.Params {
			if p.Name == rc.Worst {
				in.Curves = append(in.Curves, plots.CoverageCurve{
					Name: fmt.Sprintf("%s: %s (worst; %s)", recipeLabel[rc.Recipe], p.Name, p.Verdict), Nominal: rc.Levels, Empirical: p.Coverage})
			}
		}
		in.Trials = rc.Runs
		in.Title = fmt.Sprintf("Coverage, worst parameter (%d noisy runs)", rc.Runs)
	}
	return plots.CoverageCurves(in)
}

// SBC draws the rank histograms of a recipe.
func (o *Output) SBC(recipe string) (*plots.Figure, error) {
	for _, rc := range o.Results.Calibration {
		if rc.Recipe != recipe {
			continue
		}
		in := plots.SBCInput{L: rc.Draws, Title: fmt.Sprintf("SBC ranks, %s (%d noisy validation runs, %d draws)",
			recipeLabel[rc.Recipe], rc.Runs, rc.Draws)}
		ranks := make([][]int, rc.Runs)
		for s := range ranks {
			ranks[s] = make([]int, len(rc.Params))
		}
		for j, p := range rc.Params {
			in.Params = append(in.Params, p.Name)
			for s, r := range p.Ranks {
				ranks[s][j] = r
			}
		}
		in.Ranks = ranks
		return plots.SBCHistograms(in)
	}
	return nil, fmt.Errorf("report: no calibration for %q", recipe)
}

// latentHeat says whether the outputs are the paper's annual latent heat
// fluxes (LH_<year>): the figures then label and scale them as the paper does.
func latentHeat(names []string) bool {
	for _, n := range names {
		if !strings.HasPrefix(n, "LH_") {
			return false
		}
	}
	return len(names) > 0
}

// unitSuffix is " (unit)" when every output has the same non-empty unit.
func unitSuffix(units []string) string {
	if len(units) == 0 || units[0] == "" {
		return ""
	}
	for _, u := range units {
		if u != units[0] {
			return ""
		}
	}
	return " (" + units[0] + ")"
}

func allPositive(v []float64) bool {
	for _, x := range v {
		if !(x > 0) {
			return false
		}
	}
	return len(v) > 0
}
