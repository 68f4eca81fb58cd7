package dataset

import (
	"context"
	"fmt"
)

// Ozark is the paper's ELM ensemble at US-MOz: 1000 runs of 8 parameters
// and 5 annual latent heat fluxes, with its manifest for the default split,
// the synthetic cases and the observed fluxes.
type Ozark struct {
	Ensemble                   // The runs, with names, units and the sampled box.
	Manifest *Manifest         // The manifest the data were checked against.
	Paths    map[string]string // Cached file paths by file name.
}

// LoadOzark fetches (or reuses from the cache in dir; "" means CacheDir())
// and reads the US-MOz ensemble. It honours $INNLIB_DATA_MIRROR.
func LoadOzark(ctx context.Context, dir string) (*Ozark, error) {
	f, err := NewFetcher()
	if err != nil {
		return nil, err
	}
	return f.LoadOzark(ctx, dir)
}

// LoadOzark is the package-level LoadOzark with this Fetcher.
func (f *Fetcher) LoadOzark(ctx context.Context, dir string) (*Ozark, error) {
	m, err := OzarkManifest()
	if err != nil {
		return nil, err
	}
	paths, err := f.Fetch(ctx, m, dir)
	if err != nil {
		return nil, err
	}
	e, err := ReadManifestFiles(m, paths)
	if err != nil {
		return nil, err
	}
	return &Ozark{Ensemble: *e, Manifest: m, Paths: paths}, nil
}

// DefaultSplit splits as the paper does: the first 800 runs train, the last
// 200 validate.
func (o *Ozark) DefaultSplit() (train, validation *Ensemble, err error) {
	s := o.Manifest.Split
	if s.Train+s.Validation != o.Len() {
		return nil, nil, fmt.Errorf("dataset: split %d + %d does not cover the %d runs", s.Train, s.Validation, o.Len())
	}
	return o.Split(s.Train)
}

// Observed returns the observed annual latent heat flux at US-MOz for
// 2006-2010 (W m-2), digitised from the paper's Fig. 2b to about ±0.1.
func (o *Ozark) Observed() (*Observations, error) {
	ob := o.Manifest.Observed
	if ob == nil {
		return nil, fmt.Errorf("dataset: manifest %q has no observations", o.Manifest.Name)
	}
	return &Observations{
		Names:  clone(o.OutputNames),
		Units:  clone(o.OutputUnits),
		Values: [][]float64{clone(ob.Values)},
		Source: o.Manifest.Name + " observed (digitised from the paper's Fig. 2b)",
	}, nil
}

// Case is a run of the ensemble used as a synthetic truth: its outputs play
// the observations and its parameters the answer.
type Case struct {
	Case int       // 1 or 2, as numbered in the paper.
	Row  int       // 0-based row in the ensemble.
	X, Y []float64 // Copies of the run's parameters and outputs.
	Note string
}

// SyntheticCase returns synthetic case k of the paper: 1 is row 974 (main
// text), 2 is row 988 (appendix D). Both rows are in the validation part.
func (o *Ozark) SyntheticCase(k int) (Case, error) {
	for _, c := range o.Manifest.SyntheticCases {
		if c.Case != k {
			continue
		}
		x, y, err := o.Row(c.Row)
		if err != nil {
			return Case{}, err
		}
		return Case{Case: k, Row: c.Row, X: x, Y: y, Note: c.Note}, nil
	}
	return Case{}, fmt.Errorf("dataset: no synthetic case %d in manifest %q", k, o.Manifest.Name)
}
