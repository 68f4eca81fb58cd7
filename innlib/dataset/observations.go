package dataset

import (
	"fmt"
	"slices"
	"strings"
)

// Observations are measured values of an ensemble's outputs: one or more
// rows (for example one per site or per replicate), each with one value per
// name, in the order of Names.
type Observations struct {
	Names  []string
	Units  []string // Optional; nil or one per name.
	Values [][]float64
	Source string // For error messages; may be empty.
}

// Validate checks names, row widths and that every value is finite.
func (o *Observations) Validate() error {
	if len(o.Names) == 0 {
		return dataErrorf(o.Source, "observations have no named columns")
	}
	if err := checkNames(o.Source, "observation", o.Names, o.Units); err != nil {
		return err
	}
	if len(o.Values) == 0 {
		return dataErrorf(o.Source, "no observation rows")
	}
	for i, r := range o.Values {
		if len(r) != len(o.Names) {
			return &DataError{File: o.Source, Row: i + 1, Msg: fmt.Sprintf("has %d values for %d names", len(r), len(o.Names))}
		}
	}
	return checkFinite(o.Source, o.Values, o.Names)
}

// Check reports whether the observations fit the ensemble's outputs: the
// same names in the same order.
func (o *Observations) Check(e *Ensemble) error {
	if !slices.Equal(o.Names, e.OutputNames) {
		return fmt.Errorf("dataset: observations %s name columns %s but the ensemble's outputs are %s",
			o.Source, quoteList(o.Names), quoteList(e.OutputNames))
	}
	return nil
}

// LoadObservationsCSV reads observations from a CSV file with a header row.
// The named columns are taken in the order given (nil means every column in
// file order), so the file's column order does not matter; other columns are
// ignored.
func LoadObservationsCSV(path string, names []string) (*Observations, error) {
	t, err := ReadCSV(path)
	if err != nil {
		return nil, err
	}
	if names == nil {
		names = t.Columns
	}
	v, err := t.Floats(names...)
	if err != nil {
		return nil, err
	}
	o := &Observations{Names: clone(names), Values: v, Source: path}
	if err := o.Validate(); err != nil {
		return nil, err
	}
	return o, nil
}

// NewObservations makes one row of observations from a plain list of values,
// one per name.
func NewObservations(names []string, values []float64) (*Observations, error) {
	if len(values) != len(names) {
		return nil, fmt.Errorf("dataset: %d observed values for %d outputs %s", len(values), len(names), quoteList(names))
	}
	o := &Observations{Names: clone(names), Values: [][]float64{clone(values)}, Source: "observation list"}
	if err := o.Validate(); err != nil {
		return nil, err
	}
	return o, nil
}

// ParseObservations makes one row of observations from text such as a
// command-line flag: numbers separated by commas and/or spaces, one per
// name. A bad item is named by its 1-based position and its output.
func ParseObservations(names []string, list string) (*Observations, error) {
	items := strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == ';' })
	if len(items) != len(names) {
		return nil, fmt.Errorf("dataset: %q holds %d values for %d outputs %s", list, len(items), len(names), quoteList(names))
	}
	vals := make([]float64, len(items))
	for i, s := range items {
		v, msg := parseCell(s)
		if msg != "" {
			return nil, &DataError{File: "observation list", Col: i + 1, Column: names[i], Msg: msg}
		}
		vals[i] = v
	}
	return NewObservations(names, vals)
}
