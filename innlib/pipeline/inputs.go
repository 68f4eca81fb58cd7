package pipeline

import (
	"fmt"
	"math"
	"strings"

	"github.com/ozarkinn/inn/innlib/dataset"
)

// Inputs are the data of an experiment.
type Inputs struct {
	Name       string            // Dataset name, e.g. "elm-usmoz".
	Train, Val *dataset.Ensemble // Training and validation runs (same columns).
	Cases      []Case            // Observations to invert.
	Provenance map[string]string // Free-form facts about the data (origin, checksums), copied to the results.
	// LoadSeconds is how long fetching and reading the data took (reported in Timing.Data).
	LoadSeconds float64
}

// Case is one observation to invert.
type Case struct {
	Name  string    // Short identifier, used in file names: "synthetic-1", "observed".
	Title string    // Human-readable title.
	Obs   []float64 // Observed outputs, original units.
	Truth []float64 // Parameters that produced Obs (synthetic cases); nil for real data.
	Row   int       // Row of the ensemble the case comes from (0-based); -1 for none.
	Note  string    // Caveats, e.g. how the observations were obtained.
}

// validate checks the inputs against each other: the same columns in both
// ensembles, and every case as wide as they are, with a unique name that is
// safe in a file name.
func (in Inputs) validate() error {
	if in.Train == nil || in.Val == nil {
		return fmt.Errorf("pipeline: need training and validation ensembles")
	}
	for _, e := range []*dataset.Ensemble{in.Train, in.Val} {
		if err := e.Validate(); err != nil {
			return fmt.Errorf("pipeline: %w", err)
		}
	}
	n, m := in.Train.NumParams(), in.Train.NumOutputs()
	if in.Val.NumParams() != n || in.Val.NumOutputs() != m {
		return fmt.Errorf("pipeline: validation has %d parameters and %d outputs, training %d and %d",
			in.Val.NumParams(), in.Val.NumOutputs(), n, m)
	}
	if len(in.Cases) == 0 {
		return fmt.Errorf("pipeline: no observation cases")
	}
	seen := map[string]bool{}
	for _, c := range in.Cases {
		if c.Name == "" || seen[c.Name] {
			return fmt.Errorf("pipeline: case names must be unique and non-empty (got %q)", c.Name)
		}
		if err := CheckCaseName(c.Name); err != nil {
			return fmt.Errorf("pipeline: %w", err)
		}
		seen[c.Name] = true
		if len(c.Obs) != m {
			return fmt.Errorf("pipeline: case %q has %d observed values for %d outputs", c.Name, len(c.Obs), m)
		}
		for j, v := range c.Obs {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("pipeline: case %q: observed %s is %g: want a finite value", c.Name, in.Train.OutputNames[j], v)
			}
		}
		if c.Truth != nil && len(c.Truth) != n {
			return fmt.Errorf("pipeline: case %q has %d true parameters for %d", c.Name, len(c.Truth), n)
		}
		for j, v := range c.Truth {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("pipeline: case %q: true %s is %g: want a finite value", c.Name, in.Train.ParamNames[j], v)
			}
		}
	}
	return nil
}

// SyntheticCases makes a case of each given run of e (0-based rows): the
// run's outputs are the observation and its parameters the truth. They are
// named synthetic-1, synthetic-2, ... in the order given. Use runs the
// networks were not trained on (validation runs).
func SyntheticCases(e *dataset.Ensemble, rows ...int) ([]Case, error) {
	var out []Case
	for k, r := range rows {
		x, y, err := e.Row(r)
		if err != nil {
			return nil, fmt.Errorf("pipeline: synthetic case %d: %w", k+1, err)
		}
		out = append(out, Case{Name: fmt.Sprintf("synthetic-%d", k+1), Row: r,
			Title: fmt.Sprintf("Synthetic case %d (run %d as truth)", k+1, r), Obs: y, Truth: x})
	}
	return out, nil
}

// CheckCaseName says whether name can name a case: it is part of the case's
// file names, so only letters, digits, '-', '_' and '.', not first.
func CheckCaseName(name string) error {
	if name == "" || strings.Trim(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") != "" || strings.HasPrefix(name, ".") {
		return fmt.Errorf("case name %q: use letters, digits, '-', '_' and '.', not starting with '.' (it names the case's files)", name)
	}
	return nil
}
