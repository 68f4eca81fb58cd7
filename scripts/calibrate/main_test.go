package main

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sbinet/npyio"
	"gonum.org/v1/gonum/mat"

	"github.com/ozarkinn/inn/innlib/pipeline"
	"github.com/ozarkinn/inn/innlib/toy"
)

// The end-to-end test calibrates an ensemble of another shape than the
// paper's: toy.Smooth with 3 parameters and 7 outputs, 400 runs written as
// one CSV file whose columns are in another order than -params and -outputs
// list them, two synthetic observations with their truths in an
// observation file, and a validation run as a third synthetic case. Small
// networks, few epochs and short chains keep it well under a minute.

var columns = []string{"y5", "b", "y1", "y7", "c", "y2", "run", "y3", "a", "y6", "y4"}

// value returns column name of run i (parameters x, outputs y).
func value(name string, i int, x, y []float64) string {
	switch {
	case name == "run":
		return fmt.Sprintf("r%03d", i)
	case name[0] == 'y':
		var k int
		fmt.Sscanf(name, "y%d", &k)
		return fmt.Sprint(y[k-1])
	}
	return fmt.Sprint(x[strings.Index("abc", name)])
}

// writeInputs writes runs.csv, obs.csv and the same runs as a .npy pair
// into dir, and returns the observation cases' truths.
func writeInputs(t *testing.T, dir string) (truths [][]float64) {
	t.Helper()
	sim := toy.Smooth{Outputs: 7}
	x, y := sim.Sample(400, 11)
	var b strings.Builder
	b.WriteString(strings.Join(columns, ",") + "\n")
	for i := range x {
		row := make([]string, len(columns))
		for k, c := range columns {
			row[k] = value(c, i, x[i], y[i])
		}
		b.WriteString(strings.Join(row, ",") + "\n")
	}
	write(t, dir, "runs.csv", b.String())
	// Observations: simulator outputs at two parameter sets that are not
	// runs, plus a draw of the observation noise; truths in the last columns.
	rng := rand.New(rand.NewPCG(4, 5))
	b.Reset()
	b.WriteString("case,y7,y6,y5,y4,y3,y2,y1,c,b,a\n")
	for k, truth := range [][]float64{{0.5, 2.5, -0.3}, {1.4, 1.6, 0.4}} {
		obs := sim.Apply(truth)
		fmt.Fprintf(&b, "site-%c", 'A'+k)
		for j := 6; j >= 0; j-- {
			fmt.Fprintf(&b, ",%g", obs[j]+noiseSD*rng.NormFloat64())
		}
		fmt.Fprintf(&b, ",%g,%g,%g\n", truth[2], truth[1], truth[0])
		truths = append(truths, truth)
	}
	write(t, dir, "obs.csv", b.String())
	for _, f := range []struct {
		name string
		rows [][]float64
	}{{"x.npy", x}, {"y.npy", y}} {
		m := mat.NewDense(len(f.rows), len(f.rows[0]), nil)
		for i, r := range f.rows {
			m.SetRow(i, r)
		}
		fh, err := os.Create(filepath.Join(dir, f.name))
		if err != nil {
			t.Fatal(err)
		}
		if err := npyio.Write(fh, m); err != nil {
			t.Fatal(err)
		}
		fh.Close()
	}
	return truths
}

const noiseSD = 0.05

func write(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

var quick = []string{"-inn-epochs", "40", "-cinn-epochs", "40", "-mlp-epochs", "300", "-blocks", "2", "-subnet-width", "32", "-mlp-width", "32",
	"-samples", "1000", "-mcmc-steps", "5000", "-mcmc-paper-steps", "1000", "-calibration-draws", "100", "-quiet"}

func TestCommandEndToEnd(t *testing.T) {
	dir := t.TempDir()
	truths := writeInputs(t, dir)
	out := filepath.Join(dir, "out")
	noise := strings.TrimSuffix(strings.Repeat(fmt.Sprint(noiseSD)+",", 7), ",")
	args := append([]string{"-runs", filepath.Join(dir, "runs.csv"), "-params", "a,b,c", "-outputs", "y1,y2,y3,y4,y5,y6,y7",
		"-obs", filepath.Join(dir, "obs.csv"), "-noise", noise, "-synthetic", "390", "-out", out}, quick...)
	var stdout, stderr bytes.Buffer
	if err := run(args, &stdout, &stderr); err != nil {
		t.Fatalf("command failed: %v\n%s", err, stderr.String())
	}
	res, err := pipeline.ReadResults(filepath.Join(out, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	s := res.Settings
	if !slices.Equal(s.ParamNames, []string{"a", "b", "c"}) || !slices.Equal(s.OutputNames, []string{"y1", "y2", "y3", "y4", "y5", "y6", "y7"}) ||
		s.TrainRuns != 320 || s.ValRuns != 80 || len(s.ObsNoise) != 7 || len(s.Lo) != 3 || res.Dataset != "runs" {
		t.Fatalf("settings: %+v", s)
	}
	// The default box is the runs' range widened by one spacing: an estimate
	// of the box they were drawn from, off by about a spacing (1/400 of the
	// width, standard error included).
	for j := range s.Lo {
		if w := toy.SmoothHi[j] - toy.SmoothLo[j]; math.Abs(s.Lo[j]-toy.SmoothLo[j]) > w/50 || math.Abs(s.Hi[j]-toy.SmoothHi[j]) > w/50 {
			t.Errorf("parameter %s: box [%g, %g], sampled from [%g, %g]", s.ParamNames[j], s.Lo[j], s.Hi[j], toy.SmoothLo[j], toy.SmoothHi[j])
		}
	}
	if len(res.Forward) != 2 || len(res.Forward[1].ValR2) != 7 || res.Forward[1].ValR2[3] < 0.95 {
		t.Errorf("forward scores %+v", res.Forward)
	}
	names := []string{"synthetic-1", "site-A", "site-B"}
	if len(res.Cases) != 3 {
		t.Fatalf("%d cases, want 3", len(res.Cases))
	}
	x, _ := toy.Smooth{Outputs: 7}.Sample(400, 11)
	truths = append([][]float64{x[390]}, truths...)
	for i, c := range res.Cases {
		if c.Name != names[i] || !slices.Equal(c.Truth, truths[i]) || len(c.Obs) != 7 {
			t.Errorf("case %d: %s, truth %v (want %s, %v)", i, c.Name, c.Truth, names[i], truths[i])
		}
		if len(c.Posteriors) != 3 || len(c.MCMC) != 3 || len(c.Comparisons) != 3 || c.BestFit == nil {
			t.Fatalf("case %s: %d posteriors, %d MCMC runs, %d comparisons", c.Name, len(c.Posteriors), len(c.MCMC), len(c.Comparisons))
		}
		for _, p := range c.Posteriors {
			if len(p.Params) != 3 || len(p.Predictive) != 7 || len(p.MAP) != 3 || p.Params[1].Name != "b" || p.Predictive[6].Name != "y7" {
				t.Errorf("case %s %s: %d params, %d predictive", c.Name, p.Recipe, len(p.Params), len(p.Predictive))
			}
			for _, f := range []string{p.SamplesFile, p.PredictiveFile} {
				if _, err := os.Stat(filepath.Join(out, f)); err != nil {
					t.Error(err)
				}
			}
			// MCMC and the conditional flow cover the truths: each within 4 posterior
			// sds of the mean (an exact posterior misses one of these 18 checks
			// with probability 0.001). The INN, trained for 40 epochs, is not held to it.
			for _, q := range p.Params {
				if p.Recipe != pipeline.RecipeINN && math.Abs(*q.ZScore) > 4 {
					t.Errorf("case %s: %s's posterior of %s, %.3g ± %.2g, misses the truth %g", c.Name, p.Recipe, q.Name, q.Mean, q.SD, *q.Truth)
				}
			}
		}
	}
	if len(res.Calibration) != 2 || res.Calibration[1].Runs != 80 || len(res.Calibration[1].Params) != 3 {
		t.Errorf("calibration %+v", res.Calibration)
	}
	for _, f := range []string{"forward.csv", "models/inn.ckpt", "models/cinn.ckpt", "models/mlp.ckpt", "figures/fig4_forward_inn.html", "figures/coverage.html", "figures/sbc_cinn.html"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
	for _, c := range names {
		for _, kind := range []string{"posterior", "predictive"} {
			if m, _ := filepath.Glob(filepath.Join(out, "figures", "*_"+c+"_"+kind+".html")); len(m) != 1 {
				t.Errorf("case %s: %d %s figures", c, len(m), kind)
			}
		}
	}
	// Figures of these outputs are labelled as outputs, not as the paper's latent heat.
	if html, err := os.ReadFile(filepath.Join(out, "figures", "fig4_forward_inn.html")); err != nil || !strings.Contains(string(html), "INN output") || strings.Contains(string(html), "LH (W m-2)") {
		t.Errorf("fig4_forward_inn.html: labels not the outputs' (%v)", err)
	}
	if !strings.Contains(stdout.String(), "Synthetic observation site-B from obs.csv") {
		t.Errorf("summary lacks the cases:\n%s", stdout.String())
	}

	// The same runs as a .npy pair give the same experiment: with the saved
	// models, every number again.
	npyArgs := append([]string{"-param-file", filepath.Join(dir, "x.npy"), "-output-file", filepath.Join(dir, "y.npy"), "-params", "a,b,c", "-outputs", "y1,y2,y3,y4,y5,y6,y7",
		"-obs", filepath.Join(dir, "obs.csv"), "-noise", noise, "-synthetic", "390", "-out", out, "-reuse", "-name", "runs"}, quick...)
	if err := run(npyArgs, &stdout, &stderr); err != nil {
		t.Fatalf(".npy pair: %v", err)
	}
	again, err := pipeline.ReadResults(filepath.Join(out, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range again.Cases {
		for k, p := range c.Posteriors {
			if q := res.Cases[i].Posteriors[k]; p.Params[2].Q975 != q.Params[2].Q975 || p.MAP[0] != q.MAP[0] {
				t.Errorf("case %s %s from the .npy pair: %v, from the CSV: %v", c.Name, p.Recipe, p.Params[2], q.Params[2])
			}
		}
	}
}

// TestCommandErrors checks that bad command lines fail at once with errors
// that say what is wrong.
func TestCommandErrors(t *testing.T) {
	dir := t.TempDir()
	writeInputs(t, dir)
	base := []string{"-runs", filepath.Join(dir, "runs.csv"), "-params", "a,b,c", "-outputs", "y1,y2,y3,y4,y5,y6,y7", "-obs", filepath.Join(dir, "obs.csv"), "-out", filepath.Join(dir, "out"), "-quiet"}
	for _, c := range []struct {
		args []string
		want string
	}{
		{base, "-noise is required"},
		{append(base, "-noise", "0.1,0.1,0.1"), "3 observation-noise sds for 7 outputs"},
		{append(base, "-noise", "0.1", "-synthetic", "x"), `-synthetic: "x" is not a whole number`},
		{append(base, "-noise", "0.1", "extra"), "unexpected arguments"},
		{[]string{"-param-file", filepath.Join(dir, "x.npy"), "-output-file", filepath.Join(dir, "y.npy"), "-params", "a,b", "-outputs", "y1,y2,y3,y4,y5,y6,y7", "-noise", "0.1", "-obs", filepath.Join(dir, "obs.csv")},
			"x.npy: array has 3 columns, shape (400, 3); want 2 columns"},
		{[]string{"-param-file", filepath.Join(dir, "x.npy"), "-output-file", filepath.Join(dir, "y.npy"), "-noise", "0.1"}, "x.npy: a .npy array has no column names"},
	} {
		var stdout, stderr bytes.Buffer
		if err := run(c.args, &stdout, &stderr); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want %q", c.args[len(c.args)-1], err, c.want)
		}
	}
}
