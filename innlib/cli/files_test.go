package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ozarkinn/inn/innlib/toy"
)

// writeRuns writes 50 runs of toy.Smooth (3 parameters, 4 outputs) as one
// CSV file with the columns shuffled and an id column, and returns its path.
func writeRuns(t *testing.T, dir string) string {
	t.Helper()
	x, y := toy.Smooth{Outputs: 4}.Sample(50, 3)
	var b strings.Builder
	b.WriteString("y3,c,id,y1,a,y4,b,y2\n")
	for i := range x {
		fmt.Fprintf(&b, "%g,%g,run%d,%g,%g,%g,%g,%g\n", y[i][2], x[i][2], i, y[i][0], x[i][0], y[i][3], x[i][1], y[i][1])
	}
	return write(t, dir, "runs.csv", b.String())
}

func write(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestInputs(t *testing.T) {
	dir := t.TempDir()
	runs := writeRuns(t, dir)
	obs := write(t, dir, "obs.csv", "case,y4,y2,y3,y1\nsite-A,1.5,1.6,1.7,1.8\nsite-B,2.5,2.6,2.7,2.8\n")
	f := Files{Runs: runs, Params: []string{"a", "b", "c"}, Outputs: []string{"y1", "y2", "y3", "y4"}, Obs: obs, Synthetic: []int{45}}
	in, err := f.Inputs()
	if err != nil {
		t.Fatal(err)
	}
	// 20% of 50 runs validate.
	if in.Train.Len() != 40 || in.Val.Len() != 10 || in.Name != "runs" {
		t.Errorf("%s: %d training and %d validation runs", in.Name, in.Train.Len(), in.Val.Len())
	}
	if len(in.Cases) != 3 || in.Cases[0].Name != "synthetic-1" || in.Cases[0].Row != 45 || in.Cases[1].Name != "site-A" || in.Cases[2].Obs[0] != 2.8 || in.Cases[2].Obs[3] != 2.5 {
		t.Fatalf("cases %+v", in.Cases)
	}
	x, y := toy.Smooth{Outputs: 4}.Sample(50, 3)
	if in.Cases[0].Truth[1] != x[45][1] || in.Cases[0].Obs[2] != y[45][2] {
		t.Errorf("synthetic case: truth %v obs %v, run 45 is %v %v", in.Cases[0].Truth, in.Cases[0].Obs, x[45], y[45])
	}
	// The default box holds every run strictly inside.
	for j := range in.Train.Lo {
		lo, hi := in.Train.Lo[j], in.Train.Hi[j]
		for _, r := range append(in.Train.X, in.Val.X...) {
			if !(r[j] > lo && r[j] < hi) {
				t.Fatalf("parameter %d = %g not strictly inside the default box [%g, %g]", j, r[j], lo, hi)
			}
		}
	}
	if in.Provenance["box"] != BoxDefault {
		t.Errorf("provenance %v does not say how the box was made", in.Provenance)
	}
	// Truth columns make the observations synthetic.
	f.Obs = write(t, dir, "truth.csv", "y1,y2,y3,y4,b,a,c\n1,1,1,1,2,1,0.5\n")
	f.Box = write(t, dir, "box.csv", "param,lo,hi\na,0,2\nb,1,3\nc,-1,1\n")
	f.ValRuns, f.Synthetic = 5, nil
	in, err = f.Inputs()
	if err != nil {
		t.Fatal(err)
	}
	if c := in.Cases[0]; c.Name != "obs-1" || c.Truth[0] != 1 || c.Truth[1] != 2 || in.Val.Len() != 5 || in.Train.Hi[1] != 3 {
		t.Errorf("case %+v, %d validation runs, box %v %v", c, in.Val.Len(), in.Train.Lo, in.Train.Hi)
	}
}

// TestInputErrors checks that bad inputs give errors that name the file,
// the row and the column, or the flag and what it expects.
func TestInputErrors(t *testing.T) {
	dir := t.TempDir()
	runs := writeRuns(t, dir)
	p, o := []string{"a", "b", "c"}, []string{"y1", "y2", "y3", "y4"}
	obs := write(t, dir, "obs.csv", "y1,y2,y3,y4\n1,2,3,4\n")
	text, _ := os.ReadFile(runs)
	lines := strings.Split(string(text), "\n")
	lines[4] = strings.Replace(lines[4], ",run3,", ",run3,", 1)
	f := strings.SplitN(lines[4], ",", 2)
	lines[4] = "oops," + f[1]
	badRuns := write(t, dir, "bad.csv", strings.Join(lines, "\n"))
	x3 := write(t, dir, "x.csv", "a,b\n1,2\n")
	y1 := write(t, dir, "y.csv", "y1\n1\n")
	for _, c := range []struct {
		name  string
		f     Files
		parts []string
	}{
		{"no runs", Files{}, []string{"no runs", "-runs"}},
		{"runs without names", Files{Runs: runs, Obs: obs}, []string{"runs.csv", "-params and -outputs"}},
		{"missing column", Files{Runs: runs, Params: []string{"a", "b", "d"}, Outputs: o, Obs: obs}, []string{"runs.csv", `column "d"`, "no such column", `"y3", "c", "id"`}},
		{"bad cell", Files{Runs: badRuns, Params: p, Outputs: o, Obs: obs}, []string{"bad.csv", "line 5", "row 4", `column 1 ("y3")`, `"oops" is not a number`}},
		{"half a pair", Files{ParamFile: x3, Obs: obs}, []string{"-param-file and -output-file go together"}},
		{"both", Files{Runs: runs, ParamFile: x3, OutputFile: y1}, []string{"not both"}},
		{"no cases", Files{Runs: runs, Params: p, Outputs: o}, []string{"nothing to invert"}},
		{"training run as synthetic", Files{Runs: runs, Params: p, Outputs: o, Synthetic: []int{3}}, []string{"-synthetic 3", "training run", "rows 40-49"}},
		{"synthetic out of range", Files{Runs: runs, Params: p, Outputs: o, Synthetic: []int{50}}, []string{"synthetic case 1", "row index 50 out of range [0, 50)"}},
		{"too many validation runs", Files{Runs: runs, Params: p, Outputs: o, Obs: obs, ValRuns: 50}, []string{"-val-runs 50", "between 1 and 49"}},
		{"run outside the box", Files{Runs: runs, Params: p, Outputs: o, Obs: obs, Box: write(t, dir, "box.csv", "param,lo,hi\na,0,1\nb,1,3\nc,-1,1\n")},
			[]string{"runs.csv", `row 1 (0-based index 0), column "a"`, "outside the prior box [0, 1]", "box.csv"}},
		{"obs lacks an output", Files{Runs: runs, Params: p, Outputs: o, Obs: write(t, dir, "o1.csv", "y1,y2,y3\n1,2,3\n")},
			[]string{"o1.csv", `column "y4"`, "no such column", "a column per output"}},
		{"obs with some truths", Files{Runs: runs, Params: p, Outputs: o, Obs: write(t, dir, "o2.csv", "y1,y2,y3,y4,a\n1,2,3,4,1\n")},
			[]string{"o2.csv", "true values for a but not for b, c"}},
		{"bad case name", Files{Runs: runs, Params: p, Outputs: o, Obs: write(t, dir, "o3.csv", "case,y1,y2,y3,y4\nok,1,2,3,4\nmy site,1,2,3,4\n")},
			[]string{"o3.csv", "row 2", `column 1 ("case")`, `"my site"`}},
		{"repeated case", Files{Runs: runs, Params: p, Outputs: o, Obs: write(t, dir, "o4.csv", "y1,y2,y3,y4,case\n1,2,3,4,s\n1,2,3,4,s\n")},
			[]string{"o4.csv", "row 2", `column 5 ("case")`, `case "s" again (first in row 1)`}},
		{"truth outside the box", Files{Runs: runs, Params: p, Outputs: o, Obs: write(t, dir, "o5.csv", "y1,y2,y3,y4,a,b,c\n1,2,3,4,1,9,0\n")},
			[]string{"o5.csv", "row 1", `column 6 ("b")`, "true value 9 outside the prior box"}},
	} {
		_, err := c.f.Inputs()
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		for _, part := range c.parts {
			if !strings.Contains(err.Error(), part) {
				t.Errorf("%s: error %q lacks %q", c.name, err, part)
			}
		}
	}
}
