package dataset

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
)

// LoadEnsembleFiles reads an ensemble from a parameter file and an output
// file with one run per row, each a CSV file with a header or a 2-D .npy
// array (chosen by the extension, .npy or otherwise CSV).
//
// params and outputs name the columns. For a CSV file they select columns
// by name, in the order given (other columns are ignored); nil takes every
// column in file order. A .npy file has no names, so they are required and
// name its columns in order: the array must have exactly that many. The two
// files must have the same number of rows: row i of each is run i.
func LoadEnsembleFiles(paramPath, outputPath string, params, outputs []string) (*Ensemble, error) {
	x, pn, err := readColumns(paramPath, params, "parameter")
	if err != nil {
		return nil, err
	}
	y, on, err := readColumns(outputPath, outputs, "output")
	if err != nil {
		return nil, err
	}
	if len(x) != len(y) {
		return nil, fmt.Errorf("dataset: %s has %d runs (rows) but %s has %d; row i of each must be the same run",
			paramPath, len(x), outputPath, len(y))
	}
	e := &Ensemble{X: x, Y: y, ParamNames: pn, OutputNames: on, Source: paramPath + " + " + outputPath}
	if err := e.Validate(); err != nil {
		return nil, err
	}
	return e, nil
}

// readColumns reads the named columns of a CSV or .npy file.
func readColumns(path string, names []string, kind string) ([][]float64, []string, error) {
	if !strings.EqualFold(filepath.Ext(path), ".npy") {
		t, err := ReadCSV(path)
		if err != nil {
			return nil, nil, err
		}
		if names == nil {
			names = t.Columns
		}
		rows, err := t.Floats(names...)
		return rows, clone(names), err
	}
	if len(names) == 0 {
		return nil, nil, dataErrorf(path, "a .npy array has no column names: name its %s columns, in order", kind)
	}
	rows, err := ReadNPY(path, len(names))
	var de *DataError
	if errors.As(err, &de) {
		switch {
		case de.Col > 0 && de.Col <= len(names) && de.Column == "":
			de.Column = names[de.Col-1]
		case de.Col == 0 && de.Row == 0:
			de.Msg += fmt.Sprintf(" (the %s names %s)", kind, quoteList(names))
		}
	}
	return rows, clone(names), err
}

// LoadBoxCSV reads a prior box from a CSV file with columns param, lo and hi
// and one row per parameter, in any order (other columns are ignored):
//
//	param,lo,hi
//	a,0,2
//	b,1,3
//
// It returns the bounds in the order of params. Every parameter must appear
// exactly once, with finite lo < hi; an unknown name is an error.
func LoadBoxCSV(path string, params []string) (lo, hi []float64, err error) {
	t, err := ReadCSV(path)
	if err != nil {
		return nil, nil, err
	}
	names, err := t.Strings("param")
	if err != nil {
		return nil, nil, fmt.Errorf("%w (a box file has columns param, lo, hi)", err)
	}
	b, err := t.Floats("lo", "hi")
	if err != nil {
		return nil, nil, err
	}
	lo, hi = make([]float64, len(params)), make([]float64, len(params))
	seen := make([]int, len(params)) // 1-based row that set each parameter.
	for i, n := range names {
		j := slices.Index(params, n)
		if j < 0 {
			return nil, nil, &DataError{File: path, Line: t.lines[i], Row: i + 1, Col: t.Index("param") + 1, Column: "param",
				Msg: fmt.Sprintf("unknown parameter %q; the parameters are %s", n, quoteList(params))}
		}
		if seen[j] > 0 {
			return nil, nil, &DataError{File: path, Line: t.lines[i], Row: i + 1, Col: t.Index("param") + 1, Column: "param",
				Msg: fmt.Sprintf("parameter %q again (first in row %d)", n, seen[j])}
		}
		if !(b[i][0] < b[i][1]) {
			return nil, nil, &DataError{File: path, Line: t.lines[i], Row: i + 1, Col: t.Index("hi") + 1, Column: "hi",
				Msg: fmt.Sprintf("bounds of %q: lo %g is not below hi %g", n, b[i][0], b[i][1])}
		}
		seen[j], lo[j], hi[j] = i+1, b[i][0], b[i][1]
	}
	var missing []string
	for j, s := range seen {
		if s == 0 {
			missing = append(missing, params[j])
		}
	}
	if missing != nil {
		return nil, nil, dataErrorf(path, "no bounds for %s; want one row per parameter (%d)", quoteList(missing), len(params))
	}
	return lo, hi, nil
}

// SampledBox estimates the box a set of runs was drawn from when none is
// given: each parameter's range widened at both ends by one average spacing
// of n runs, lo = min − (max − min)/(n − 1) and hi = max + (max − min)/(n − 1),
// the unbiased estimate of the ends of a uniform distribution. No run lies on
// an edge. A parameter that does not vary is an error: it cannot be
// calibrated.
func SampledBox(x [][]float64, names []string) (lo, hi []float64, err error) {
	if len(x) < 2 {
		return nil, nil, fmt.Errorf("dataset: %d runs: a box from the runs' range needs at least 2", len(x))
	}
	lo, hi = slices.Clone(x[0]), slices.Clone(x[0])
	for _, r := range x[1:] {
		for j, v := range r {
			lo[j], hi[j] = min(lo[j], v), max(hi[j], v)
		}
	}
	n := float64(len(x))
	for j := range lo {
		w := hi[j] - lo[j]
		if !(w > 0) {
			return nil, nil, &DataError{Col: j + 1, Column: names[j], Msg: fmt.Sprintf("parameter is %g in every run: it cannot be calibrated (drop it, or give a box)", lo[j])}
		}
		lo[j], hi[j] = lo[j]-w/(n-1), hi[j]+w/(n-1)
	}
	return lo, hi, nil
}
