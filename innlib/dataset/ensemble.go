package dataset

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// Ensemble is a set of model runs: row i of X holds the parameters of run i
// and row i of Y its outputs. Names, units and the prior box describe the
// columns. Lo and Hi are optional (both nil means no box); when given, every
// parameter sample must lie in [Lo[j], Hi[j]].
type Ensemble struct {
	X [][]float64 // Parameters, one run per row.
	Y [][]float64 // Outputs, one run per row.

	ParamNames  []string
	ParamUnits  []string // Optional; nil or one per parameter.
	OutputNames []string
	OutputUnits []string // Optional; nil or one per output.

	Lo, Hi []float64 // Optional prior box, one bound per parameter.

	Source string // Where the data came from, for error messages; may be empty.
}

// Len returns the number of runs.
func (e *Ensemble) Len() int { return len(e.X) }

// NumParams returns the number of parameter columns.
func (e *Ensemble) NumParams() int { return len(e.ParamNames) }

// NumOutputs returns the number of output columns.
func (e *Ensemble) NumOutputs() int { return len(e.OutputNames) }

// Validate checks that the ensemble is usable: at least one run, X and Y
// with the same number of rows, every row as wide as the names, units nil
// or one per column, unique names, finite values, and, when a box is given,
// every sample inside it. A bad value is a *DataError naming its 1-based row
// and its column by number and name.
func (e *Ensemble) Validate() error {
	src := e.Source
	if len(e.ParamNames) == 0 || len(e.OutputNames) == 0 {
		return dataErrorf(src, "ensemble needs named parameter and output columns (ParamNames, OutputNames)")
	}
	if err := checkNames(src, "parameter", e.ParamNames, e.ParamUnits); err != nil {
		return err
	}
	if err := checkNames(src, "output", e.OutputNames, e.OutputUnits); err != nil {
		return err
	}
	for _, p := range e.ParamNames {
		for _, o := range e.OutputNames {
			if p == o {
				return dataErrorf(src, "%q is both a parameter and an output", p)
			}
		}
	}
	if len(e.X) == 0 {
		return dataErrorf(src, "ensemble has no runs")
	}
	if len(e.X) != len(e.Y) {
		return dataErrorf(src, "%d parameter rows but %d output rows", len(e.X), len(e.Y))
	}
	for i := range e.X {
		if len(e.X[i]) != len(e.ParamNames) {
			return &DataError{File: src, Row: i + 1, Msg: fmt.Sprintf("has %d parameters, want %d", len(e.X[i]), len(e.ParamNames))}
		}
		if len(e.Y[i]) != len(e.OutputNames) {
			return &DataError{File: src, Row: i + 1, Msg: fmt.Sprintf("has %d outputs, want %d", len(e.Y[i]), len(e.OutputNames))}
		}
	}
	if err := checkFinite(src, e.X, e.ParamNames); err != nil {
		return err
	}
	if err := checkFinite(src, e.Y, e.OutputNames); err != nil {
		return err
	}
	if e.Lo == nil && e.Hi == nil {
		return nil
	}
	if len(e.Lo) != len(e.ParamNames) || len(e.Hi) != len(e.ParamNames) {
		return dataErrorf(src, "box has %d lower and %d upper bounds for %d parameters", len(e.Lo), len(e.Hi), len(e.ParamNames))
	}
	for j := range e.Lo {
		lo, hi := e.Lo[j], e.Hi[j]
		if !(lo < hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
			return &DataError{File: src, Col: j + 1, Column: e.ParamNames[j], Msg: fmt.Sprintf("box [%g, %g] is not a finite interval with lo < hi", lo, hi)}
		}
	}
	for i, row := range e.X {
		for j, v := range row {
			if v < e.Lo[j] || v > e.Hi[j] {
				return &DataError{File: src, Row: i + 1, Col: j + 1, Column: e.ParamNames[j],
					Msg: fmt.Sprintf("value %g outside the prior box [%g, %g]", v, e.Lo[j], e.Hi[j])}
			}
		}
	}
	return nil
}

func checkNames(src, kind string, names, units []string) error {
	seen := map[string]int{}
	for j, n := range names {
		if n == "" {
			return &DataError{File: src, Col: j + 1, Msg: kind + " has an empty name"}
		}
		if k, dup := seen[n]; dup {
			return &DataError{File: src, Col: j + 1, Column: n, Msg: fmt.Sprintf("%s name repeats %s %d", kind, kind, k+1)}
		}
		seen[n] = j
	}
	if units != nil && len(units) != len(names) {
		return dataErrorf(src, "%d %s units for %d %ss", len(units), kind, len(names), kind)
	}
	return nil
}

// Row returns copies of the parameters and outputs of run i (0-based).
func (e *Ensemble) Row(i int) (x, y []float64, err error) {
	if i < 0 || i >= len(e.X) || i >= len(e.Y) {
		return nil, nil, fmt.Errorf("dataset: %s: row index %d out of range [0, %d)", e.sourceName(), i, min(len(e.X), len(e.Y)))
	}
	return append([]float64(nil), e.X[i]...), append([]float64(nil), e.Y[i]...), nil
}

// Split returns the first nTrain runs as train and the rest as validation,
// as independent copies that share nothing with e. Both parts must be
// non-empty: fewer than nTrain+1 runs is an error.
func (e *Ensemble) Split(nTrain int) (train, validation *Ensemble, err error) {
	n := min(len(e.X), len(e.Y))
	if len(e.X) != len(e.Y) {
		return nil, nil, fmt.Errorf("dataset: %s: %d parameter rows but %d output rows", e.sourceName(), len(e.X), len(e.Y))
	}
	if nTrain < 1 {
		return nil, nil, fmt.Errorf("dataset: %s: split needs at least 1 training run, got nTrain = %d", e.sourceName(), nTrain)
	}
	if nTrain >= n {
		return nil, nil, fmt.Errorf("dataset: %s: too few runs to split: %d for training and at least 1 for validation need %d runs, the ensemble has %d",
			e.sourceName(), nTrain, nTrain+1, n)
	}
	return e.sub(0, nTrain), e.sub(nTrain, n), nil
}

// sub returns a deep copy of runs [a, b).
func (e *Ensemble) sub(a, b int) *Ensemble {
	s := e.meta()
	s.X = copyRows(e.X[a:b])
	s.Y = copyRows(e.Y[a:b])
	return s
}

// meta returns a copy of everything but the data.
func (e *Ensemble) meta() *Ensemble {
	return &Ensemble{
		ParamNames:  clone(e.ParamNames),
		ParamUnits:  clone(e.ParamUnits),
		OutputNames: clone(e.OutputNames),
		OutputUnits: clone(e.OutputUnits),
		Lo:          clone(e.Lo),
		Hi:          clone(e.Hi),
		Source:      e.Source,
	}
}

// Dense returns X and Y as gonum matrices (copies). Rows of the wrong width
// are an error, not a panic.
func (e *Ensemble) Dense() (x, y *mat.Dense, err error) {
	if x, err = toDense(e.Source, e.X, e.NumParams()); err != nil {
		return nil, nil, err
	}
	if y, err = toDense(e.Source, e.Y, e.NumOutputs()); err != nil {
		return nil, nil, err
	}
	return x, y, nil
}

func toDense(src string, rows [][]float64, cols int) (*mat.Dense, error) {
	if len(rows) == 0 || cols == 0 {
		return nil, dataErrorf(src, "no data to put in a matrix (%d rows, %d named columns)", len(rows), cols)
	}
	m := mat.NewDense(len(rows), cols, nil)
	for i, r := range rows {
		if len(r) != cols {
			return nil, &DataError{File: src, Row: i + 1, Msg: fmt.Sprintf("has %d values, want %d", len(r), cols)}
		}
		m.SetRow(i, r)
	}
	return m, nil
}

func (e *Ensemble) sourceName() string {
	if e.Source == "" {
		return "ensemble"
	}
	return e.Source
}

func copyRows(rows [][]float64) [][]float64 {
	out := make([][]float64, len(rows))
	for i, r := range rows {
		out[i] = append([]float64(nil), r...)
	}
	return out
}

// clone copies a slice, keeping nil as nil.
func clone[T any](s []T) []T {
	if s == nil {
		return nil
	}
	return append([]T(nil), s...)
}
