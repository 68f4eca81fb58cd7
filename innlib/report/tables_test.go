package report

import (
	"strings"
	"testing"

	"github.com/ozarkinn/inn/innlib/pipeline"
)

func ptr[T any](v T) *T { return &v }

// fixture is a small results file: two parameters, two outputs, a synthetic
// case with a truth (one interval misses it) and an observed case with a
// best fit, two emulators and two MCMC runs.
func fixture() *Output {
	post := func(recipe string, mean0 float64, inside bool) pipeline.PosteriorSummary {
		return pipeline.PosteriorSummary{Recipe: recipe, Samples: 4000,
			Params: []pipeline.ParamSummary{
				{Name: "<rootb>", Mean: mean0, Q025: mean0 - 1, Q975: mean0 + 1, Inside95: ptr(inside)},
				{Name: "flnr", Mean: 0.125, Q025: 0.1, Q975: 0.15, Inside95: ptr(true)}},
			MAPPredRMSE: 1.234, MAPPredNRMSE: 0.01234, MAPPredR2: ptr(0.9876),
			DrawFit: pipeline.DrawFit{MinRMSE: 1.1, Q05RMSE: 1.5, MedianRMSE: 2.25, NearBest: ptr(0.0125), MAPNearBest: ptr(recipe == pipeline.RecipeMCMC)}}
	}
	synth := pipeline.CaseResult{Name: "synthetic-1", Title: "Synthetic case 1", Truth: []float64{3, 0.12},
		Posteriors: []pipeline.PosteriorSummary{post(pipeline.RecipeINN, 5, false), post(pipeline.RecipeCINN, 3.5, true)}}
	for i := range synth.Posteriors {
		synth.Posteriors[i].MAPNRMSERaw, synth.Posteriors[i].MidpointNRMSERaw = ptr(0.5), ptr(0.75)
		synth.Posteriors[i].MAPNRMSERange, synth.Posteriors[i].TruthInside95 = ptr(0.25), ptr(i == 1)
	}
	synth.MCMC = []pipeline.MCMCRun{{Name: "paper", Surrogate: "mlp", Walkers: 16, Steps: 50000, Samples: 1600, Seconds: 12.34, MeanAcceptance: 0.456,
		Tau: []float64{300, 700.4, 500}, ChainOverTau: 14.3, ESSBulk: []float64{900, 450.2, 800}, RHat: []float64{1.001, 1.0123, 1.004}}}
	synth.Comparisons = []pipeline.Comparison{
		{Recipe: pipeline.RecipeINN, Reference: pipeline.RecipeMCMC, W1Range: []float64{0.0123, 0.04}, MaxW1: 0.04, KS: []float64{0.1, 0.2}, MMD: 0.01234, C2ST: 0.6789,
			CorrPair: [2]string{"slatop", "flnr"}, CorrRecipe: -0.5, CorrReference: -0.625},
		{Recipe: pipeline.RecipeINN, Reference: pipeline.ReferenceINNSurrogate, W1Range: []float64{0.01, 0.02}, MaxW1: 0.02, MMD: 0.001, C2ST: 0.55}}
	observed := pipeline.CaseResult{Name: "observed", Title: "Observed LH",
		Posteriors: []pipeline.PosteriorSummary{post(pipeline.RecipeINN, 5, true), post(pipeline.RecipeMCMC, 4, true)},
		BestFit: &pipeline.BestFit{RMSE: 1.2, NRMSE: 0.0111, R2: ptr(0.95), NearestRunDistance: 0.3333, RunSpacing: ptr(0.2), INNRMSE: ptr(2.5),
			INNFit: &pipeline.INNFit{RMSE: 0.9, MLPRMSE: 3.25, NearestRunDistance: 0.4}}}
	observed.Posteriors[1].DrawFit.NearBest = nil // no near-best figures for this method
	return &Output{Dir: "fixture", Results: &pipeline.Results{
		Settings: pipeline.Settings{ParamNames: []string{"<rootb>", "flnr"}, OutputNames: []string{"LH_2006", "LH_2007"}, OutputUnits: []string{"W m-2", "W m-2"}},
		Forward: []pipeline.ForwardScores{
			{Emulator: pipeline.RecipeINN, ValR2: []float64{0.9, 0.95}, ValRMSE: []float64{1, 2}, AllR2: []float64{0.99, 0.98}, AllRMSE: []float64{0.5, 0.25}},
			{Emulator: "mlp", ValR2: []float64{0.91, 0.96}, ValRMSE: []float64{1.5, 2.5}, AllR2: []float64{0.97, 0.96}, AllRMSE: []float64{0.75, 0.125}}},
		Cases: []pipeline.CaseResult{synth, observed},
	}}
}

// checkTable checks the shape every table must have and returns its rows.
func checkTable(t *testing.T, tab *Table, err error, header []string, rows int) [][]string {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(tab.Header, "|") != strings.Join(header, "|") {
		t.Errorf("header %q, want %q", tab.Header, header)
	}
	if len(tab.Rows) != rows {
		t.Fatalf("%d rows, want %d: %q", len(tab.Rows), rows, tab.Rows)
	}
	if err := tab.check(); err != nil {
		t.Error(err)
	}
	return tab.Rows
}

func TestParamTable(t *testing.T) {
	o := fixture()
	tab, err := o.ParamTable("synthetic-1")
	rows := checkTable(t, tab, err, []string{"parameter", "truth", "INN", "cINN"}, 2)
	want := [][]string{{"<rootb>", "3", "5 [4, 6] !", "3.5 [2.5, 4.5]"}, {"flnr", "0.12", "0.125 [0.1, 0.15]", "0.125 [0.1, 0.15]"}}
	for i := range want {
		if strings.Join(rows[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d = %q, want %q", i, rows[i], want[i])
		}
	}
	if len(tab.Notes) != 1 || !strings.Contains(tab.Notes[0], "misses the truth") {
		t.Errorf("notes %q", tab.Notes)
	}
	// No truth: a dash, and no mark or note.
	tab, err = o.ParamTable("observed")
	rows = checkTable(t, tab, err, []string{"parameter", "truth", "INN", "MCMC"}, 2)
	if rows[0][1] != "-" || len(tab.Notes) != 0 {
		t.Errorf("observed case: row %q, notes %q", rows[0], tab.Notes)
	}
	if _, err := o.ParamTable("nope"); err == nil || !strings.Contains(err.Error(), `no case "nope"`) {
		t.Errorf("unknown case: err = %v", err)
	}
	o.Results.Cases[0].Posteriors[1].Params = o.Results.Cases[0].Posteriors[1].Params[:1]
	if _, err := o.ParamTable("synthetic-1"); err == nil || !strings.Contains(err.Error(), "1 parameters") {
		t.Errorf("short posterior: err = %v", err)
	}
}

func TestMAPFitTable(t *testing.T) {
	o := fixture()
	tab, err := o.MAPFitTable("synthetic-1")
	rows := checkTable(t, tab, err, []string{"estimate", "RMSE (W m-2)", "NRMSE", "R²", "NRMSE vs truth, raw", "prior midpoint, raw",
		"NRMSE vs truth, range-normalised", "truth in every 95% interval"}, 2)
	if got := strings.Join(rows[0], "|"); got != "INN MAP|1.23|0.0123|0.988|0.5000|0.7500|0.250|no" {
		t.Errorf("INN row %s", got)
	}
	if rows[1][7] != "yes" {
		t.Errorf("cINN row %q", rows[1])
	}
	// Observed: no truth columns, and the best fit as the last row.
	tab, err = o.MAPFitTable("observed")
	rows = checkTable(t, tab, err, []string{"estimate", "RMSE (W m-2)", "NRMSE", "R²"}, 3)
	if got := strings.Join(rows[2], "|"); got != "best in-box fit|1.20|0.0111|0.950" {
		t.Errorf("best-fit row %s", got)
	}
}

func TestBestFitTable(t *testing.T) {
	o := fixture()
	tab, err := o.BestFitTable("observed")
	rows := checkTable(t, tab, err, []string{"best in-box fit of", "RMSE, MLP emulator (W m-2)", "RMSE, INN forward pass (W m-2)", "distance to nearest training run"}, 2)
	if a, b := strings.Join(rows[0], "|"), strings.Join(rows[1], "|"); a != "the MLP emulator|1.20|2.50|0.33" || b != "the INN emulator|3.25|0.90|0.40" {
		t.Errorf("rows %s / %s", a, b)
	}
	if len(tab.Notes) != 1 || !strings.Contains(tab.Notes[0], "0.20 apart") {
		t.Errorf("notes %q", tab.Notes)
	}
	tab, err = o.BestFitTable("synthetic-1")
	checkTable(t, tab, err, nil, 0)
	if len(tab.Notes) != 1 || !strings.Contains(tab.Notes[0], "no best fit") {
		t.Errorf("no best fit: notes %q", tab.Notes)
	}
}

func TestNearBestTable(t *testing.T) {
	o := fixture()
	tab, err := o.NearBestTable("observed")
	// MCMC has no near-best figures in the fixture, so only the INN's row.
	rows := checkTable(t, tab, err, []string{"method", "MAP RMSE (W m-2)", "MAP within 10%", "best draw", "5% draw", "median draw", "draws within 10%"}, 1)
	if got := strings.Join(rows[0], "|"); got != "INN|1.23|no|1.10|1.50|2.25|1.25% of 4000" {
		t.Errorf("row %s", got)
	}
	if !strings.Contains(tab.Caption, "RMSE 1.20; within 10%: RMSE ≤ 1.32") {
		t.Errorf("caption %q", tab.Caption)
	}
	tab, err = o.NearBestTable("synthetic-1")
	checkTable(t, tab, err, nil, 0)
	if len(tab.Notes) != 1 || !strings.Contains(tab.Notes[0], "no best fit") {
		t.Errorf("no best fit: notes %q", tab.Notes)
	}
	// An exact best fit leaves the near-best figures unset: no rows, a note.
	o.Results.Cases[1].Posteriors[0].DrawFit.NearBest = nil
	tab, err = o.NearBestTable("observed")
	checkTable(t, tab, err, nil, 0)
	if len(tab.Notes) != 1 || !strings.Contains(tab.Notes[0], "exact") {
		t.Errorf("exact best fit: notes %q", tab.Notes)
	}
}

func TestForwardTable(t *testing.T) {
	o := fixture()
	tab, err := o.ForwardTable()
	rows := checkTable(t, tab, err, []string{"emulator", "LH_2006", "LH_2007"}, 4)
	want := []string{"INN, validation runs|0.9000 (1.00)|0.9500 (2.00)", "INN, all runs|0.9900 (0.50)|0.9800 (0.25)",
		"MLP, validation runs|0.9100 (1.50)|0.9600 (2.50)", "MLP, all runs|0.9700 (0.75)|0.9600 (0.12)"}
	for i, w := range want {
		if got := strings.Join(rows[i], "|"); got != w {
			t.Errorf("row %d = %s, want %s", i, got, w)
		}
	}
	if tab.Caption != "Forward emulation: R² (RMSE, W m-2) per output" {
		t.Errorf("caption %q", tab.Caption)
	}
	o.Results.Forward[1].AllRMSE = []float64{1}
	if _, err := o.ForwardTable(); err == nil || !strings.Contains(err.Error(), "mlp") {
		t.Errorf("short scores: err = %v", err)
	}
}

func TestSamplerTable(t *testing.T) {
	o := fixture()
	tab, err := o.SamplerTable()
	rows := checkTable(t, tab, err, []string{"case", "run", "surrogate", "walkers × steps", "samples", "seconds", "acceptance", "max τ", "chain / τ", "min ESS", "max R-hat"}, 1)
	if got := strings.Join(rows[0], "|"); got != "synthetic-1|paper|MLP|16 × 50000|1600|12.3|0.46|700|14|450|1.012" {
		t.Errorf("row %s", got)
	}
	o.Results.Cases[0].MCMC[0].Tau = nil
	if _, err := o.SamplerTable(); err == nil {
		t.Error("a run without diagnostics gave no error")
	}
}

func TestComparisonTables(t *testing.T) {
	o := fixture()
	tab, err := o.ComparisonTable()
	rows := checkTable(t, tab, err, []string{"case", "method", "reference", "C2ST", "max W1/width", "MMD", "pair", "correlation", "in reference"}, 2)
	if got := strings.Join(rows[0], "|"); got != "synthetic-1|INN|MCMC (MLP surrogate)|0.679|0.040|0.0123|slatop, flnr|-0.50|-0.62" {
		t.Errorf("row 0 %s", got)
	}
	if rows[1][2] != "MCMC on the INN's forward pass" {
		t.Errorf("row 1 reference %q", rows[1][2])
	}
	tab, err = o.ComparisonParamTable()
	rows = checkTable(t, tab, err, []string{"case", "method", "reference", "<rootb>", "flnr"}, 2)
	// The second comparison has no KS statistics: W1 only.
	if a, b := strings.Join(rows[0][3:], "|"), strings.Join(rows[1][3:], "|"); a != "0.012 (0.10)|0.040 (0.20)" || b != "0.010|0.020" {
		t.Errorf("cells %s / %s", a, b)
	}
	o.Results.Cases[0].Comparisons[0].KS = []float64{0.1}
	if _, err := o.ComparisonParamTable(); err == nil {
		t.Error("a short KS vector gave no error")
	}
}
