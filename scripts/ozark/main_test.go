package main

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ozarkinn/inn/innlib/dataset"
	"github.com/ozarkinn/inn/innlib/pipeline"
	"github.com/ozarkinn/inn/innlib/plots"
)

// TestCommandEndToEnd runs the command on a small subset with few epochs and
// short chains, then checks the output files, their schema, and that -reuse
// reproduces the numbers. It needs the data: the mirror
// ($INNLIB_DATA_MIRROR) or the cache; without them it is skipped.
func TestCommandEndToEnd(t *testing.T) {
	if os.Getenv(dataset.EnvMirror) == "" {
		if _, err := os.Stat("../../../shared/datasets"); err != nil {
			t.Skip("no data mirror: set INNLIB_DATA_MIRROR")
		}
		t.Setenv(dataset.EnvMirror, "../../../shared/datasets")
	}
	t.Setenv(dataset.EnvCache, t.TempDir())
	out := filepath.Join(t.TempDir(), "out")
	args := []string{"-out", out, "-rows", "120", "-inn-epochs", "2", "-cinn-epochs", "2", "-mlp-epochs", "10",
		"-samples", "500", "-mcmc-steps", "3000", "-mcmc-paper-steps", "1000", "-calibration-draws", "50", "-quiet"}
	var stdout, stderr bytes.Buffer
	if err := run(args, &stdout, &stderr); err != nil {
		t.Fatalf("command failed: %v\n%s", err, stderr.String())
	}
	for _, want := range []string{"Forward emulation", "Synthetic case 1", "Observed LH at US-MOz", "MCMC reference", "Calibration over", "results:"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("summary lacks %q", want)
		}
	}
	res, err := pipeline.ReadResults(filepath.Join(out, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Cases) != 3 || res.Cases[0].Name != "synthetic-1" || res.Cases[2].Name != "observed" {
		t.Fatalf("cases: %+v", res.Cases)
	}
	if res.Cases[0].Truth == nil || res.Cases[2].Truth != nil || res.Cases[0].Row != 974 {
		t.Errorf("truths or rows wrong: %v %v %d", res.Cases[0].Truth, res.Cases[2].Truth, res.Cases[0].Row)
	}
	if len(res.Forward) != 2 || len(res.Forward[0].ValR2) != 5 || len(res.Forward[1].AllRMSE) != 5 {
		t.Errorf("forward scores: %+v", res.Forward)
	}
	if len(res.Calibration) != 2 || len(res.Settings.Models) != 3 {
		t.Errorf("calibration %d entries, models %d", len(res.Calibration), len(res.Settings.Models))
	}
	for _, rc := range res.Calibration {
		// The check feeds noisy observations and judges each parameter against
		// bounds simulated for its own sizes (50 draws). The INN trained for 2
		// epochs may put every draw of a parameter on a box edge for some
		// observation, which the check reports as an error; the cINN does not.
		if rc.Error != "" && rc.Recipe == "inn" && strings.Contains(rc.Error, "constant") {
			t.Logf("inn calibration: %s", rc.Error)
			continue
		}
		if rc.Error != "" || !strings.Contains(rc.Observations, "fresh Gaussian draw") || len(rc.Noise) != 1 || rc.Noise[0] != 1 {
			t.Errorf("%s calibration: error %q, observations %q, noise %v", rc.Recipe, rc.Error, rc.Observations, rc.Noise)
		}
		if b := rc.Bounds; b.Sims != rc.Runs || b.Draws != 50 || b.Params != 8 || !(b.MaxError > 0) || !(b.ExactPassRate > 0.9) {
			t.Errorf("%s calibration bounds: %+v for %d runs", rc.Recipe, b, rc.Runs)
		}
		worst := 0.0
		for _, p := range rc.Params {
			worst = max(worst, p.CalibrationError)
			if p.Verdict == "" || (p.Verdict == "pass") == (p.CalibrationError > rc.Bounds.MaxError || p.RankChi2P < rc.Bounds.MinRankChi2P) {
				t.Errorf("%s %s: verdict %q with error %.3f, χ² p %.3g", rc.Recipe, p.Name, p.Verdict, p.CalibrationError, p.RankChi2P)
			}
		}
		if len(rc.Params) != 8 || rc.WorstError != worst || rc.MeanError > worst || rc.Passed != (len(rc.Failing) == 0) {
			t.Errorf("%s calibration: worst %s %.3f (max %.3f), mean %.3f, passed %v, failing %v", rc.Recipe, rc.Worst, rc.WorstError, worst, rc.MeanError, rc.Passed, rc.Failing)
		}
	}
	for _, c := range res.Cases {
		// MCMC: paper, reference and the run on the INN's forward pass; comparisons: INN and cINN vs MCMC, INN vs its own.
		if len(c.Posteriors) != 3 || len(c.MCMC) != 3 || len(c.Comparisons) != 3 || c.BestFit == nil {
			t.Fatalf("case %s: %d posteriors, %d MCMC runs, %d comparisons, best fit %v", c.Name, len(c.Posteriors), len(c.MCMC), len(c.Comparisons), c.BestFit)
		}
		if mc := c.Posteriors[2]; mc.Recipe != "mcmc" || mc.Seconds != c.MCMC[1].Seconds || c.MCMC[1].Name != "reference" {
			t.Errorf("case %s: MCMC posterior %q timed at %g s, reference run %q took %g s", c.Name, mc.Recipe, mc.Seconds, c.MCMC[1].Name, c.MCMC[1].Seconds)
		}
		if r, cmp := c.MCMC[2], c.Comparisons[2]; r.Surrogate != "inn" || cmp.Recipe != "inn" || cmp.Reference != pipeline.ReferenceINNSurrogate || !(cmp.C2ST >= 0.3 && cmp.C2ST <= 1) {
			t.Errorf("case %s: INN-surrogate MCMC run %q (%s surrogate), comparison %s vs %s, C2ST %g", c.Name, r.Name, r.Surrogate, cmp.Recipe, cmp.Reference, cmp.C2ST)
		}
		if bf := c.BestFit; bf.RunSpacing == nil || !(*bf.RunSpacing > 0) || !(bf.NearestRunDistance >= 0) || bf.INNRMSE == nil || len(bf.INNY) != 5 || bf.INNFit == nil || bf.INNFit.RMSE > *bf.INNRMSE || len(bf.INNFit.MLPY) != 5 {
			t.Errorf("case %s: best fit lacks its distance to the runs or the INN's view: %+v", c.Name, bf)
		}
		for _, p := range c.Posteriors {
			if len(p.Params) != 8 || len(p.Predictive) != 5 || len(p.MAP) != 8 {
				t.Errorf("case %s %s: %d params, %d predictive, MAP %v", c.Name, p.Recipe, len(p.Params), len(p.Predictive), p.MAP)
			}
			if (c.Truth != nil) != (p.MAPNRMSERaw != nil) {
				t.Errorf("case %s %s: truth-dependent scores present %v, truth %v", c.Name, p.Recipe, p.MAPNRMSERaw != nil, c.Truth != nil)
			}
			if p.OutOfBox != 0 {
				t.Errorf("case %s %s: %.3f of samples outside the box (logit map on)", c.Name, p.Recipe, p.OutOfBox)
			}
			checkCSV(t, filepath.Join(out, p.SamplesFile), res.Settings.ParamNames, p.Samples)
			checkDrawFit(t, c.Name, p, c.BestFit.RMSE)
		}
	}
	for _, m := range res.Settings.Models {
		if _, err := os.Stat(filepath.Join(out, m.File)); err != nil {
			t.Errorf("model %s not saved: %v", m.Name, err)
		}
	}
	// -reuse loads the models and reproduces every number.
	stdout.Reset()
	if err := run(append(args, "-reuse"), &stdout, &stderr); err != nil {
		t.Fatalf("-reuse failed: %v", err)
	}
	again, err := pipeline.ReadResults(filepath.Join(out, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !again.Settings.Reused {
		t.Error("-reuse run not marked as reused")
	}
	for i, c := range again.Cases {
		for k, p := range c.Posteriors {
			if p.Params[0].Mean != res.Cases[i].Posteriors[k].Params[0].Mean {
				t.Errorf("case %s %s: mean %v after -reuse, %v before", c.Name, p.Recipe, p.Params[0].Mean, res.Cases[i].Posteriors[k].Params[0].Mean)
			}
		}
	}
	// Models trained with another noise are not reused.
	if err := run(append(args, "-reuse", "-noise", "3"), &stdout, &stderr); err == nil || !strings.Contains(err.Error(), "saved models were trained with noise sd 1, this run asks for 3") {
		t.Errorf("-reuse -noise 3: %v", err)
	}
	// Bad flags give errors, not panics.
	if err := run([]string{"-noise", "abc", "-out", out}, &stdout, &stderr); err == nil || !strings.Contains(err.Error(), "-noise") {
		t.Errorf("bad -noise: %v", err)
	}
	if err := run([]string{"-obs", "1,2", "-out", out, "-reuse", "-quiet"}, &stdout, &stderr); err == nil {
		t.Error("-obs with 2 values for 5 outputs: want an error")
	}
	if err := run([]string{"-inn-width", "-1", "-out", out, "-quiet"}, &stdout, &stderr); err == nil || !strings.Contains(err.Error(), "-inn-width") {
		t.Errorf("-inn-width -1: %v", err)
	}
	// 8 parameters and 5 noise inputs do not fit in a flow 10 wide.
	narrow := append(append([]string(nil), args...), "-inn-width", "10", "-out", filepath.Join(t.TempDir(), "narrow"))
	if err := run(narrow, &stdout, &stderr); err == nil || !strings.Contains(err.Error(), "flow width 10") {
		t.Errorf("-inn-width 10: %v", err)
	}
}

// checkDrawFit checks a posterior's draw fits against the case's best fit.
func checkDrawFit(t *testing.T, name string, p pipeline.PosteriorSummary, best float64) {
	t.Helper()
	d := p.DrawFit
	if !(d.MinRMSE <= d.Q05RMSE && d.Q05RMSE <= d.MedianRMSE) {
		t.Errorf("case %s %s: draw-fit quantiles out of order: %+v", name, p.Recipe, d)
	}
	// The best fit starts from each method's best draws, so no draw fits
	// better (up to the search's float32 arithmetic).
	if d.MinRMSE < best*(1-1e-5)-1e-6 {
		t.Errorf("case %s %s: a draw fits at %.6f, better than the best fit %.6f", name, p.Recipe, d.MinRMSE, best)
	}
	if best < pipeline.NearBestMinRMSE {
		if d.NearBest != nil || d.MAPNearBest != nil {
			t.Errorf("case %s %s: near-best fields set for an exact best fit (%.4f)", name, p.Recipe, best)
		}
		return
	}
	if d.NearBest == nil || d.MAPNearBest == nil {
		t.Fatalf("case %s %s: near-best fields unset (best fit %.4f)", name, p.Recipe, best)
	}
	limit := (1 + pipeline.NearBestTolerance) * best
	if (*d.NearBest > 0) != (d.MinRMSE <= limit) {
		t.Errorf("case %s %s: %.4f of draws near the best fit, but the best draw fits at %.4f against a limit of %.4f", name, p.Recipe, *d.NearBest, d.MinRMSE, limit)
	}
	if *d.MAPNearBest != (p.MAPPredRMSE <= limit) {
		t.Errorf("case %s %s: MAP at %.4f counted near (%v) the limit %.4f", name, p.Recipe, p.MAPPredRMSE, *d.MAPNearBest, limit)
	}
}

func checkCSV(t *testing.T, path string, header []string, rows int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if strings.Join(recs[0], ",") != strings.Join(header, ",") || len(recs)-1 != rows {
		t.Errorf("%s: header %v and %d rows, want %v and %d", path, recs[0], len(recs)-1, header, rows)
	}
}

// TestFlagChecks checks flag errors found before any data are read.
func TestFlagChecks(t *testing.T) {
	t.Setenv(plots.PlotlyEnv, filepath.Join(t.TempDir(), "missing.js"))
	out := filepath.Join(t.TempDir(), "out")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-obs", ""}, `-obs: no values in ""`},
		{[]string{"-obs", "1,2"}, "-obs 1,2: 2 values, want 5"},
		{[]string{"-obs", "40,41,42,43,44", "-obs-csv", "obs.csv"}, "-obs and -obs-csv"},
		{[]string{"-obs-csv", ""}, "-obs-csv is empty"},
		{[]string{"-out", ""}, "-out is empty"},
		{[]string{"-samples", "0"}, "-samples 0"},
		{[]string{"-noise", "NaN"}, "-noise NaN"},
		{[]string{"-png"}, "-png: " + plots.PlotlyEnv},
	} {
		var stdout, stderr bytes.Buffer
		err := run(append([]string{"-out", out, "-quiet"}, c.args...), &stdout, &stderr)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", c.args, err, c.want)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a failed check made the output folder")
	}
}
