package cli

import (
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/ozarkinn/inn/innlib/dataset"
	"github.com/ozarkinn/inn/innlib/pipeline"
)

// DefaultValidationShare is the share of the runs held out for validation
// when Files.ValRuns is 0: the last fifth, as the paper's 800/200 split.
const DefaultValidationShare = 0.2

// BoxDefault says how the prior box is made when no box file is given.
const BoxDefault = "the runs' range widened at each end by one average spacing, (max − min)/(runs − 1) (dataset.SampledBox)"

// Files names a user's data: the ensemble of model runs (one CSV with named
// columns, or a parameter file and an output file, each CSV or .npy), the
// observations to invert, the prior box, the split and the synthetic cases.
type Files struct {
	Runs       string   // One CSV file holding parameter and output columns.
	ParamFile  string   // Or: parameters (CSV or .npy) ...
	OutputFile string   // ... and outputs, row i of each the same run.
	Params     []string // Parameter column names (required with Runs and for .npy).
	Outputs    []string // Output column names (likewise).
	// Obs is a CSV file of observations: one case per row, a column per
	// output (named as the outputs, any order). An optional "case" column
	// names the cases; columns named as every parameter give each case's true
	// parameters (a synthetic observation).
	Obs string
	// Box is a CSV file with columns param, lo, hi; "" means BoxDefault.
	Box string
	// ValRuns is how many of the last runs validate (early stopping, the
	// calibration check); 0 means DefaultValidationShare of them.
	ValRuns int
	// Synthetic lists validation runs (0-based rows) to invert as synthetic
	// cases: their outputs are the observation and their parameters the truth.
	Synthetic []int
	Name      string // Dataset name in the results; "" means the runs file's name.
}

// AddFileFlags registers the flags naming the data on fs. Call Inputs on
// the result after fs.Parse.
func AddFileFlags(fs *flag.FlagSet) *FileFlags {
	ff := &FileFlags{f: &Files{}}
	fs.StringVar(&ff.f.Runs, "runs", "", "CSV file of model runs, one per row, with a header naming the columns (parameters and outputs; other columns are ignored)")
	fs.StringVar(&ff.f.ParamFile, "param-file", "", "instead of -runs: the parameters, one run per row, as CSV with a header or a 2-D .npy array")
	fs.StringVar(&ff.f.OutputFile, "output-file", "", "with -param-file: the outputs, row i the same run, as CSV or .npy")
	fs.StringVar(&ff.params, "params", "", "parameter columns, comma-separated, in the order to use (required with -runs and for .npy files; for CSV the file's column order does not matter)")
	fs.StringVar(&ff.outputs, "outputs", "", "output columns, comma-separated, likewise")
	fs.StringVar(&ff.f.Obs, "obs", "", "CSV file of observations, one case per row, a column per output; an optional column \"case\" names the cases, and columns for every parameter give synthetic truths")
	fs.StringVar(&ff.f.Box, "box", "", "CSV file with columns param, lo, hi: the prior box (default: "+BoxDefault+")")
	fs.IntVar(&ff.f.ValRuns, "val-runs", 0, fmt.Sprintf("how many of the last runs validate; 0 = %.0f%% of the runs", 100*DefaultValidationShare))
	fs.StringVar(&ff.synthetic, "synthetic", "", "validation runs (0-based rows of the runs, comma-separated) to invert as synthetic cases")
	fs.StringVar(&ff.f.Name, "name", "", "dataset name in the results (default: the runs file's name)")
	return ff
}

// FileFlags are the flags AddFileFlags registers.
type FileFlags struct {
	f                          *Files
	params, outputs, synthetic string
}

// Files returns the parsed flags.
func (ff *FileFlags) Files() (Files, error) {
	f := *ff.f
	f.Params, f.Outputs = parseNames(ff.params), parseNames(ff.outputs)
	var err error
	if f.Synthetic, err = parseInts(ff.synthetic); err != nil {
		return f, fmt.Errorf("-synthetic: %w", err)
	}
	return f, nil
}

// Inputs reads the files and returns the experiment's inputs: the first
// runs train and the last ValRuns validate, the box from Box or BoxDefault,
// then the synthetic cases and the observed ones.
func (f Files) Inputs() (pipeline.Inputs, error) {
	e, err := f.ensemble()
	if err != nil {
		return pipeline.Inputs{}, err
	}
	prov := map[string]string{}
	for _, p := range []struct{ key, path string }{{"runs", f.Runs}, {"param_file", f.ParamFile}, {"output_file", f.OutputFile}, {"observations", f.Obs}, {"box", f.Box}} {
		if p.path != "" {
			prov[p.key] = p.path
		}
	}
	if f.Box != "" {
		if e.Lo, e.Hi, err = dataset.LoadBoxCSV(f.Box, e.ParamNames); err != nil {
			return pipeline.Inputs{}, err
		}
		if err := e.Validate(); err != nil { // Every run inside the box.
			var de *dataset.DataError
			if errors.As(err, &de) && de.Column != "" {
				de.Col = 0 // A parameter's index, not the file's column.
			}
			return pipeline.Inputs{}, fmt.Errorf("%w (box from %s)", err, f.Box)
		}
	} else {
		if e.Lo, e.Hi, err = dataset.SampledBox(e.X, e.ParamNames); err != nil {
			var de *dataset.DataError
			if errors.As(err, &de) {
				de.File, de.Col = e.Source, 0 // Col is the parameter's index, not the file's column.
			}
			return pipeline.Inputs{}, err
		}
		prov["box"] = BoxDefault
	}
	nVal := f.ValRuns
	if nVal == 0 {
		nVal = max(1, int(DefaultValidationShare*float64(e.Len())+0.5))
	}
	if nVal < 1 || nVal >= e.Len() {
		return pipeline.Inputs{}, fmt.Errorf("-val-runs %d: want between 1 and %d (the ensemble has %d runs)", nVal, e.Len()-1, e.Len())
	}
	nTrain := e.Len() - nVal
	train, val, err := e.Split(nTrain)
	if err != nil {
		return pipeline.Inputs{}, err
	}
	name := f.Name
	if name == "" {
		src := f.Runs
		if src == "" {
			src = f.ParamFile
		}
		name = strings.TrimSuffix(filepath.Base(src), filepath.Ext(src))
	}
	in := pipeline.Inputs{Name: name, Train: train, Val: val, Provenance: prov}
	for _, r := range f.Synthetic {
		if r >= 0 && r < nTrain {
			return in, fmt.Errorf("-synthetic %d: run %d is a training run (rows 0-%d train); use a validation run (rows %d-%d), which the networks have not seen", r, r, nTrain-1, nTrain, e.Len()-1)
		}
	}
	if in.Cases, err = pipeline.SyntheticCases(e, f.Synthetic...); err != nil {
		return in, err
	}
	if f.Obs != "" {
		obs, err := observedCases(f.Obs, e)
		if err != nil {
			return in, err
		}
		in.Cases = append(in.Cases, obs...)
	}
	if len(in.Cases) == 0 {
		return in, fmt.Errorf("nothing to invert: give observations (-obs obs.csv) or synthetic cases (-synthetic rows)")
	}
	return in, nil
}

// ensemble reads the runs.
func (f Files) ensemble() (*dataset.Ensemble, error) {
	switch {
	case f.Runs != "" && (f.ParamFile != "" || f.OutputFile != ""):
		return nil, fmt.Errorf("give the runs either as -runs or as -param-file and -output-file, not both")
	case f.Runs != "":
		if len(f.Params) == 0 || len(f.Outputs) == 0 {
			return nil, fmt.Errorf("-runs %s: name its parameter and output columns with -params and -outputs", f.Runs)
		}
		return dataset.LoadEnsembleCSV(f.Runs, f.Params, f.Outputs)
	case f.ParamFile != "" && f.OutputFile != "":
		return dataset.LoadEnsembleFiles(f.ParamFile, f.OutputFile, f.Params, f.Outputs)
	case f.ParamFile != "" || f.OutputFile != "":
		return nil, fmt.Errorf("-param-file and -output-file go together")
	}
	return nil, fmt.Errorf("no runs: give -runs runs.csv with -params and -outputs, or -param-file and -output-file")
}

// observedCases reads the cases of an observation file (see Files.Obs).
func observedCases(path string, e *dataset.Ensemble) ([]pipeline.Case, error) {
	t, err := dataset.ReadCSV(path)
	if err != nil {
		return nil, err
	}
	obs, err := t.Floats(e.OutputNames...)
	if err != nil {
		return nil, fmt.Errorf("%w (an observation file has a column per output)", err)
	}
	names := make([]string, len(obs))
	for i := range names {
		names[i] = fmt.Sprintf("obs-%d", i+1)
	}
	if t.Index("case") >= 0 {
		if names, err = t.Strings("case"); err != nil {
			return nil, err
		}
	}
	var truth [][]float64
	var have, lack []string
	for _, p := range e.ParamNames {
		if t.Index(p) >= 0 {
			have = append(have, p)
		} else {
			lack = append(lack, p)
		}
	}
	switch {
	case len(lack) == 0:
		if truth, err = t.Floats(e.ParamNames...); err != nil {
			return nil, err
		}
	case len(have) > 0:
		return nil, &dataset.DataError{File: path, Msg: fmt.Sprintf("has true values for %s but not for %s: give every parameter or none",
			strings.Join(have, ", "), strings.Join(lack, ", "))}
	}
	var cases []pipeline.Case
	seen := map[string]int{}
	for i, n := range names {
		col := t.Index("case") + 1
		if err := pipeline.CheckCaseName(n); err != nil {
			return nil, &dataset.DataError{File: path, Row: i + 1, Col: col, Column: "case", Msg: err.Error()}
		}
		if k, dup := seen[n]; dup {
			return nil, &dataset.DataError{File: path, Row: i + 1, Col: col, Column: "case", Msg: fmt.Sprintf("case %q again (first in row %d)", n, k)}
		}
		seen[n] = i + 1
		c := pipeline.Case{Name: n, Row: -1, Obs: obs[i], Title: fmt.Sprintf("Observation %s from %s", n, filepath.Base(path)),
			Note: "observations from " + path}
		if truth != nil {
			c.Truth, c.Title = truth[i], fmt.Sprintf("Synthetic observation %s from %s (true parameters given)", n, filepath.Base(path))
			for j, v := range c.Truth {
				if v < e.Lo[j] || v > e.Hi[j] {
					return nil, &dataset.DataError{File: path, Row: i + 1, Col: t.Index(e.ParamNames[j]) + 1, Column: e.ParamNames[j],
						Msg: fmt.Sprintf("true value %g outside the prior box [%g, %g]", v, e.Lo[j], e.Hi[j])}
				}
			}
		}
		cases = append(cases, c)
	}
	return cases, nil
}
