package dataset

import (
	"errors"
	"math"
	"testing"
)

func smallEnsemble() *Ensemble {
	return &Ensemble{
		X:           [][]float64{{0.1, 10}, {0.2, 20}, {0.3, 30}, {0.4, 40}},
		Y:           [][]float64{{1}, {2}, {3}, {4}},
		ParamNames:  []string{"a", "b"},
		OutputNames: []string{"y"},
		Lo:          []float64{0, 0},
		Hi:          []float64{1, 50},
		Source:      "small",
	}
}

func TestEnsembleValidate(t *testing.T) {
	if err := smallEnsemble().Validate(); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		edit  func(e *Ensemble)
		parts []string
	}{
		{"outside box", func(e *Ensemble) { e.X[2][1] = 60 },
			[]string{"small", "row 3 (0-based index 2)", `column 2 ("b")`, "value 60 outside the prior box [0, 50]"}},
		{"below box", func(e *Ensemble) { e.X[0][0] = -0.5 }, []string{"row 1", `column 1 ("a")`, "-0.5"}},
		{"nan", func(e *Ensemble) { e.Y[3][0] = math.NaN() }, []string{"row 4", `column 1 ("y")`, "not finite"}},
		{"row count", func(e *Ensemble) { e.Y = e.Y[:3] }, []string{"4 parameter rows but 3 output rows"}},
		{"ragged", func(e *Ensemble) { e.X[1] = []float64{1} }, []string{"row 2", "has 1 parameters, want 2"}},
		{"no rows", func(e *Ensemble) { e.X, e.Y = nil, nil }, []string{"no runs"}},
		{"box size", func(e *Ensemble) { e.Hi = e.Hi[:1] }, []string{"box has 2 lower and 1 upper"}},
		{"box order", func(e *Ensemble) { e.Lo[1] = 60 }, []string{`column 2 ("b")`, "lo < hi"}},
		{"dup names", func(e *Ensemble) { e.ParamNames[1] = "a" }, []string{`"a"`, "repeats"}},
		{"units", func(e *Ensemble) { e.OutputUnits = []string{"u", "v"} }, []string{"2 output units for 1 outputs"}},
		{"shared name", func(e *Ensemble) { e.OutputNames[0] = "a" }, []string{"both a parameter and an output"}},
		{"no names", func(e *Ensemble) { e.ParamNames = nil }, []string{"needs named"}},
	}
	for _, c := range cases {
		e := smallEnsemble()
		c.edit(e)
		wantErr(t, e.Validate(), c.parts...)
	}
	// No box: values anywhere are fine.
	e := smallEnsemble()
	e.Lo, e.Hi = nil, nil
	e.X[0][0] = 1e9
	if err := e.Validate(); err != nil {
		t.Error(err)
	}
	// The error is a *DataError with the positions in fields.
	e = smallEnsemble()
	e.X[2][1] = 60
	var de *DataError
	if err := e.Validate(); !errors.As(err, &de) || de.Row != 3 || de.Col != 2 || de.Column != "b" {
		t.Errorf("got %#v", err)
	}
}

func TestEnsembleSplitAndRow(t *testing.T) {
	e := smallEnsemble()
	tr, va, err := e.Split(3)
	if err != nil {
		t.Fatal(err)
	}
	if tr.Len() != 3 || va.Len() != 1 || va.X[0][1] != 40 || tr.Y[2][0] != 3 {
		t.Errorf("split wrong: %v / %v", tr.X, va.X)
	}
	if va.ParamNames[1] != "b" || va.Hi[1] != 50 {
		t.Error("split lost names or box")
	}
	// Parts are copies.
	tr.X[0][0] = 99
	tr.ParamNames[0] = "zz"
	if e.X[0][0] != 0.1 || e.ParamNames[0] != "a" {
		t.Error("Split shares memory with the ensemble")
	}
	_, _, err = e.Split(4)
	wantErr(t, err, "too few runs", "need 5 runs", "has 4")
	_, _, err = e.Split(10)
	wantErr(t, err, "too few runs", "need 11 runs")
	_, _, err = e.Split(0)
	wantErr(t, err, "at least 1 training run")

	x, y, err := e.Row(1)
	if err != nil || x[1] != 20 || y[0] != 2 {
		t.Errorf("Row(1) = %v, %v, %v", x, y, err)
	}
	x[0] = 7
	if e.X[1][0] != 0.2 {
		t.Error("Row shares memory")
	}
	_, _, err = e.Row(4)
	wantErr(t, err, "row index 4 out of range [0, 4)")
	_, _, err = e.Row(-1)
	wantErr(t, err, "out of range")

	xd, yd, err := e.Dense()
	if err != nil {
		t.Fatal(err)
	}
	if r, c := xd.Dims(); r != 4 || c != 2 || xd.At(3, 1) != 40 || yd.At(2, 0) != 3 {
		t.Error("Dense wrong")
	}
	e.X[1] = e.X[1][:1]
	_, _, err = e.Dense()
	wantErr(t, err, "row 2", "has 1 values, want 2")
}

func TestLoadEnsembleCSV(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "ens.csv", []byte("id,y,a,b\nx,1,0.1,10\nx,2,0.2,20\nx,3,0.3,30\n"))
	e, err := LoadEnsembleCSV(p, []string{"a", "b"}, []string{"y"})
	if err != nil {
		t.Fatal(err)
	}
	if e.Len() != 3 || e.X[1][1] != 20 || e.Y[2][0] != 3 || e.ParamNames[0] != "a" {
		t.Errorf("got %+v", e)
	}
	_, _, err = e.Split(3)
	wantErr(t, err, "ens.csv", "too few runs")

	_, err = LoadEnsembleCSV(p, []string{"a", "y"}, []string{"y"})
	wantErr(t, err, "both a parameter and an output")
	_, err = LoadEnsembleCSV(p, []string{"a", "c"}, []string{"y"})
	wantErr(t, err, "ens.csv", `column "c"`, "no such column")
	_, err = LoadEnsembleCSV(p, nil, []string{"y"})
	wantErr(t, err, "at least one parameter")

	bad := writeFile(t, dir, "bad.csv", []byte("a,b,y\n0.1,10,1\n0.2,,2\n"))
	_, err = LoadEnsembleCSV(bad, []string{"a", "b"}, []string{"y"})
	wantErr(t, err, "bad.csv", "line 3", "row 2", `column 2 ("b")`, "empty cell")
}

func TestLoadEnsembleCSVPair(t *testing.T) {
	dir := t.TempDir()
	px := writeFile(t, dir, "x.csv", []byte("a,b\n0.1,10\n0.2,20\n"))
	py := writeFile(t, dir, "y.csv", []byte("y1,y2\n1,2\n3,4\n"))
	e, err := LoadEnsembleCSVPair(px, py)
	if err != nil {
		t.Fatal(err)
	}
	if e.NumParams() != 2 || e.NumOutputs() != 2 || e.Y[1][1] != 4 || e.OutputNames[1] != "y2" {
		t.Errorf("got %+v", e)
	}
	py3 := writeFile(t, dir, "y3.csv", []byte("y1,y2\n1,2\n3,4\n5,6\n"))
	_, err = LoadEnsembleCSVPair(px, py3)
	wantErr(t, err, "x.csv has 2 data rows but", "y3.csv has 3")
	pn := writeFile(t, dir, "yn.csv", []byte("y1,y2\n1,2\n3,nan\n"))
	_, err = LoadEnsembleCSVPair(px, pn)
	wantErr(t, err, "yn.csv", "line 3", `column 2 ("y2")`, "not finite")
}

func TestObservations(t *testing.T) {
	names := []string{"y1", "y2", "y3"}
	dir := t.TempDir()
	p := writeFile(t, dir, "obs.csv", []byte("site,y3,y1,y2\nA,3,1,2\nB,30,10,20\n"))
	o, err := LoadObservationsCSV(p, names)
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Values) != 2 || o.Values[0][0] != 1 || o.Values[1][2] != 30 {
		t.Errorf("got %v", o.Values)
	}
	e := &Ensemble{OutputNames: names}
	if err := o.Check(e); err != nil {
		t.Error(err)
	}
	e.OutputNames = []string{"y1", "y3", "y2"}
	wantErr(t, o.Check(e), "obs.csv", "ensemble's outputs")

	_, err = LoadObservationsCSV(writeFile(t, dir, "o2.csv", []byte("y1,y2\n1,2\n")), names)
	wantErr(t, err, "o2.csv", `column "y3"`, "no such column")
	_, err = LoadObservationsCSV(writeFile(t, dir, "o3.csv", []byte("y1,y2,y3\n1,x,3\n")), names)
	wantErr(t, err, "o3.csv", "line 2", `column 2 ("y2")`, `"x" is not a number`)
	o, err = LoadObservationsCSV(writeFile(t, dir, "o4.csv", []byte("y1,y2,y3\n1,2,3\n")), nil)
	if err != nil || len(o.Names) != 3 {
		t.Errorf("all columns: %v, %v", o, err)
	}

	o, err = NewObservations(names, []float64{1, 2, 3})
	if err != nil || o.Values[0][2] != 3 {
		t.Errorf("NewObservations: %v, %v", o, err)
	}
	_, err = NewObservations(names, []float64{1, 2})
	wantErr(t, err, "2 observed values for 3 outputs")
	_, err = NewObservations(names, []float64{1, math.Inf(1), 3})
	wantErr(t, err, `column 2 ("y2")`, "not finite")

	o, err = ParseObservations(names, "46.8, 42.0 53.1")
	if err != nil || o.Values[0][1] != 42 {
		t.Errorf("ParseObservations: %v, %v", o, err)
	}
	_, err = ParseObservations(names, "1,2,three")
	wantErr(t, err, `column 3 ("y3")`, `"three" is not a number`)
	_, err = ParseObservations(names, "1,2")
	wantErr(t, err, "2 values for 3 outputs")
}
