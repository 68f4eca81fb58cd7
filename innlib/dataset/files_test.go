package dataset

import (
	"encoding/binary"
	"math"
	"testing"
)

func TestLoadEnsembleFiles(t *testing.T) {
	dir := t.TempDir()
	le := binary.LittleEndian
	// 3 runs × 2 parameters as .npy; outputs as CSV with columns in another order.
	xp := writeFile(t, dir, "x.npy", npyBytes("<f8", false, "(3, 2)", f64(le, 1, 10, 2, 20, 3, 30)))
	yp := writeFile(t, dir, "y.csv", []byte("id,y2,y1\nr1,5,0.5\nr2,6,0.6\nr3,7,0.7\n"))
	e, err := LoadEnsembleFiles(xp, yp, []string{"a", "b"}, []string{"y1", "y2"})
	if err != nil {
		t.Fatal(err)
	}
	if e.Len() != 3 || e.X[2][1] != 30 || e.Y[1][0] != 0.6 || e.Y[1][1] != 6 || e.OutputNames[1] != "y2" {
		t.Errorf("ensemble %+v", e)
	}
	// A CSV pair without names takes every column in file order.
	xc := writeFile(t, dir, "x.csv", []byte("a,b\n1,10\n2,20\n3,30\n"))
	yc := writeFile(t, dir, "y1.csv", []byte("y1\n0.5\n0.6\n0.7\n"))
	if e, err := LoadEnsembleFiles(xc, yc, nil, nil); err != nil || e.ParamNames[1] != "b" || e.Y[2][0] != 0.7 {
		t.Errorf("CSV pair: %+v, %v", e, err)
	}

	_, err = LoadEnsembleFiles(xp, yp, []string{"a", "b", "c"}, []string{"y1"})
	wantErr(t, err, "x.npy", "has 2 columns, shape (3, 2); want 3 columns", `"a", "b", "c"`)
	_, err = LoadEnsembleFiles(xp, yp, nil, []string{"y1"})
	wantErr(t, err, "x.npy", "no column names", "parameter")
	_, err = LoadEnsembleFiles(xp, yp, []string{"a", "b"}, []string{"y3"})
	wantErr(t, err, "y.csv", `column "y3"`, "no such column", `"id", "y2", "y1"`)
	short := writeFile(t, dir, "short.csv", []byte("y1\n1\n2\n"))
	_, err = LoadEnsembleFiles(xp, short, []string{"a", "b"}, nil)
	wantErr(t, err, "x.npy has 3 runs", "short.csv has 2")
	bad := writeFile(t, dir, "bad.npy", npyBytes("<f8", false, "(3, 2)", f64(le, 1, 10, 2, math.NaN(), 3, 30)))
	_, err = LoadEnsembleFiles(bad, yp, []string{"a", "b"}, []string{"y1"})
	wantErr(t, err, "bad.npy", "row 2", `column 2 ("b")`)
	nan := writeFile(t, dir, "nan.csv", []byte("id,y2,y1\nr1,5,0.5\nr2,x,0.6\nr3,7,0.7\n"))
	_, err = LoadEnsembleFiles(xp, nan, []string{"a", "b"}, []string{"y1", "y2"})
	wantErr(t, err, "nan.csv", "line 3", "row 2", `column 2 ("y2")`, `"x" is not a number`)
}

func TestLoadBoxCSV(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "box.csv", []byte("# prior box\nparam,lo,hi,units\nc,-1,1,K\na, 0 ,2,m\nb,1,3,-\n"))
	lo, hi, err := LoadBoxCSV(p, []string{"a", "b", "c"})
	if err != nil {
		t.Fatal(err)
	}
	if lo[0] != 0 || hi[0] != 2 || lo[1] != 1 || hi[2] != 1 {
		t.Errorf("box %v %v", lo, hi)
	}
	for _, c := range []struct {
		text  string
		parts []string
	}{
		{"param,lo,hi\na,0,2\nb,1,3\n", []string{`no bounds for "c"`}},
		{"param,lo,hi\na,0,2\nb,1,3\nc,1,1\n", []string{"line 4", "row 3", `column 3 ("hi")`, "lo 1 is not below hi 1"}},
		{"param,lo,hi\na,0,2\nd,1,3\n", []string{"row 2", `unknown parameter "d"`, `"a", "b", "c"`}},
		{"param,lo,hi\na,0,2\na,1,3\n", []string{"row 2", `parameter "a" again (first in row 1)`}},
		{"name,lo,hi\na,0,2\n", []string{`column "param"`, "param, lo, hi"}},
		{"param,lo,hi\na,0,inf\n", []string{"row 1", `column 3 ("hi")`, "not finite"}},
	} {
		_, _, err := LoadBoxCSV(writeFile(t, dir, "bad.csv", []byte(c.text)), []string{"a", "b", "c"})
		wantErr(t, err, append([]string{"bad.csv"}, c.parts...)...)
	}
}

func TestSampledBox(t *testing.T) {
	x := [][]float64{{0, 5}, {1, 5.5}, {2, 6}, {3, 5}, {4, 7}}
	lo, hi, err := SampledBox(x, []string{"a", "b"})
	if err != nil {
		t.Fatal(err)
	}
	// a spans 0..4 over 5 runs: one spacing is 1. b spans 5..7: 0.5.
	if lo[0] != -1 || hi[0] != 5 || lo[1] != 4.5 || hi[1] != 7.5 {
		t.Errorf("box %v %v, want [-1, 5] and [4.5, 7.5]", lo, hi)
	}
	x[2][1] = 5
	x[4][1], x[1][1] = 5, 5
	_, _, err = SampledBox(x, []string{"a", "b"})
	wantErr(t, err, `column 2 ("b")`, "5 in every run")
}
