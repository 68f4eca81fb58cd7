package dataset

import "fmt"

// LoadEnsembleCSV reads an ensemble from one CSV file, taking the parameter
// and output columns by name (in the order given). Other columns are ignored
// and may hold anything. The result has no units and no box; set them and
// call Validate again if needed.
func LoadEnsembleCSV(path string, params, outputs []string) (*Ensemble, error) {
	if len(params) == 0 || len(outputs) == 0 {
		return nil, fmt.Errorf("dataset: %s: name at least one parameter and one output column", path)
	}
	t, err := ReadCSV(path)
	if err != nil {
		return nil, err
	}
	x, err := t.Floats(params...)
	if err != nil {
		return nil, err
	}
	y, err := t.Floats(outputs...)
	if err != nil {
		return nil, err
	}
	e := &Ensemble{X: x, Y: y, ParamNames: clone(params), OutputNames: clone(outputs), Source: path}
	if err := e.Validate(); err != nil {
		return nil, err
	}
	return e, nil
}

// LoadEnsembleCSVPair reads an ensemble from two CSV files with the same
// number of data rows: every column of paramPath is a parameter and every
// column of outputPath an output, in file order.
func LoadEnsembleCSVPair(paramPath, outputPath string) (*Ensemble, error) {
	tx, err := ReadCSV(paramPath)
	if err != nil {
		return nil, err
	}
	ty, err := ReadCSV(outputPath)
	if err != nil {
		return nil, err
	}
	if tx.Len() != ty.Len() {
		return nil, fmt.Errorf("dataset: %s has %d data rows but %s has %d; row i of each must be the same run",
			paramPath, tx.Len(), outputPath, ty.Len())
	}
	x, err := tx.Floats()
	if err != nil {
		return nil, err
	}
	y, err := ty.Floats()
	if err != nil {
		return nil, err
	}
	e := &Ensemble{X: x, Y: y, ParamNames: clone(tx.Columns), OutputNames: clone(ty.Columns),
		Source: paramPath + " + " + outputPath}
	if err := e.Validate(); err != nil {
		return nil, err
	}
	return e, nil
}
