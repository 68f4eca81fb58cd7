// Package ozark is the paper's configuration of the experiment: the ELM
// ensemble at the Missouri Ozark AmeriFlux site (US-MOz), fetched and
// verified against its manifest (names, units, prior box), with the paper's
// split, its two synthetic cases and the observed latent heat, as pipeline
// inputs. The command scripts/ozark (scripts/calibrate's experiment on these
// inputs) and the notebooks both start here.
//
// Usage:
//
//	in, err := ozark.Inputs(ozark.Options{})
//	res, models, err := pipeline.Run(in, pipeline.DefaultConfig())
package ozark

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/ozarkinn/inn/innlib/cli"
	"github.com/ozarkinn/inn/innlib/dataset"
	"github.com/ozarkinn/inn/innlib/pipeline"
)

// Options selects the data and the observations.
type Options struct {
	Cache  string    // Data cache folder; "" means $INNLIB_CACHE or the user cache dir.
	Obs    []float64 // An observation (LH 2006-2010, W m-2) to invert instead of the published one.
	ObsCSV string    // A CSV file with columns LH_2006..LH_2010; each row becomes a case.
	Rows   int       // Use only the first Rows of the training and validation parts (quick tests); 0 = all.
}

// Inputs fetches (or reads from the cache or $INNLIB_DATA_MIRROR) and checks
// the ensemble and returns the experiment's inputs: the paper's 800/200
// split, synthetic cases 1 (row 974) and 2 (row 988), and the observed LH
// read off the paper's Fig. 2b unless the options give other observations.
func Inputs(o Options) (pipeline.Inputs, error) {
	oz, err := dataset.LoadOzark(context.Background(), o.Cache)
	if err != nil {
		return pipeline.Inputs{}, err
	}
	train, val, err := oz.DefaultSplit()
	if err != nil {
		return pipeline.Inputs{}, err
	}
	if o.Rows > 0 {
		if o.Rows < 20 {
			return pipeline.Inputs{}, fmt.Errorf("ozark: %d rows: use at least 20", o.Rows)
		}
		train.X, train.Y = train.X[:min(o.Rows, train.Len())], train.Y[:min(o.Rows, train.Len())]
		val.X, val.Y = val.X[:min(o.Rows, val.Len())], val.Y[:min(o.Rows, val.Len())]
	}
	in := pipeline.Inputs{Name: oz.Manifest.Name, Train: train, Val: val, Provenance: map[string]string{
		"origin": oz.Manifest.URL(""), "licence": oz.Manifest.Licence.Name + ", " + oz.Manifest.Licence.Copyright}}
	for _, f := range oz.Manifest.Files {
		in.Provenance["sha256:"+f.Name] = f.SHA256
	}
	var rows []int // The paper's synthetic cases 1 and 2.
	for k := 1; k <= 2; k++ {
		c, err := oz.SyntheticCase(k)
		if err != nil {
			return in, err
		}
		rows = append(rows, c.Row)
	}
	if in.Cases, err = pipeline.SyntheticCases(&oz.Ensemble, rows...); err != nil {
		return in, err
	}
	switch {
	case o.ObsCSV != "":
		obs, err := dataset.LoadObservationsCSV(o.ObsCSV, oz.OutputNames)
		if err != nil {
			return in, err
		}
		for i, v := range obs.Values {
			in.Cases = append(in.Cases, pipeline.Case{Name: fmt.Sprintf("user-%d", i+1), Row: -1,
				Title: fmt.Sprintf("Observation %d from %s", i+1, filepath.Base(o.ObsCSV)), Obs: v, Note: "observations given by the user"})
		}
	case o.Obs != nil:
		in.Cases = append(in.Cases, pipeline.Case{Name: "user", Row: -1, Title: "User observation", Obs: o.Obs,
			Note: "observations given by the user"})
	default:
		obs, err := oz.Observed()
		if err != nil {
			return in, err
		}
		in.Cases = append(in.Cases, pipeline.Case{Name: "observed", Row: -1, Title: "Observed LH at US-MOz, 2006-2010",
			Obs: obs.Values[0], Note: oz.Manifest.Observed.Note})
	}
	return in, nil
}

// RunOrReuse runs the experiment into dir, reusing the models saved there by
// an earlier run when they match its settings (pipeline.CanReuse), and
// training them otherwise (saying why on cfg.Log). Notebooks use it so that
// they run top to bottom in seconds after the command has run once.
func RunOrReuse(in pipeline.Inputs, cfg pipeline.Config) (*pipeline.Results, *pipeline.Models, error) {
	err := pipeline.CanReuse(in, cfg)
	cfg.Reuse = err == nil
	if err != nil && cfg.Log != nil {
		fmt.Fprintf(cfg.Log, "training the models: cannot reuse those in %s: %v\n", cfg.OutDir, err)
	}
	return pipeline.Run(in, cfg)
}

// ParseFloats reads numbers separated by commas or spaces.
//
// Deprecated: use cli.ParseFloats.
func ParseFloats(s string) ([]float64, error) { return cli.ParseFloats(s) }
