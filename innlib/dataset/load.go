package dataset

import (
	"context"
	"errors"
	"fmt"
)

// Load fetches the files of an ensemble manifest into dir (see Fetch; an
// empty dir means CacheDir()) and reads them into an Ensemble whose names,
// units and box come from the manifest. It uses NewFetcher, so
// $INNLIB_DATA_MIRROR is honoured.
func Load(ctx context.Context, m *Manifest, dir string) (*Ensemble, error) {
	f, err := NewFetcher()
	if err != nil {
		return nil, err
	}
	return f.Load(ctx, m, dir)
}

// Load is the package-level Load with this Fetcher.
func (f *Fetcher) Load(ctx context.Context, m *Manifest, dir string) (*Ensemble, error) {
	paths, err := f.Fetch(ctx, m, dir)
	if err != nil {
		return nil, err
	}
	return ReadManifestFiles(m, paths)
}

// ReadManifestFiles reads the parameter and output files of m from paths
// (file name to path, as Fetch returns) into a validated Ensemble. The
// manifest's shapes are checked, and its parameter box becomes Lo and Hi.
func ReadManifestFiles(m *Manifest, paths map[string]string) (*Ensemble, error) {
	fx, okx := m.FileByRole(RoleParameters)
	fy, oky := m.FileByRole(RoleOutputs)
	if !okx || !oky {
		return nil, fmt.Errorf("dataset: manifest %q has no %q and %q files", m.Name, RoleParameters, RoleOutputs)
	}
	e := m.emptyEnsemble()
	var err error
	if e.X, err = readManifestNPY(fx, paths, e.ParamNames); err != nil {
		return nil, err
	}
	if e.Y, err = readManifestNPY(fy, paths, e.OutputNames); err != nil {
		return nil, err
	}
	if err := e.Validate(); err != nil {
		return nil, err
	}
	return e, nil
}

func readManifestNPY(f *File, paths map[string]string, names []string) ([][]float64, error) {
	p, ok := paths[f.Name]
	if !ok {
		return nil, fmt.Errorf("dataset: no path for %s", f.Name)
	}
	rows, err := ReadNPY(p, len(names))
	if err != nil {
		var de *DataError
		if errors.As(err, &de) && de.Col > 0 && de.Col <= len(names) && de.Column == "" {
			de.Column = names[de.Col-1]
		}
		return nil, err
	}
	if len(f.Shape) == 2 && len(rows) != f.Shape[0] {
		return nil, dataErrorf(p, "has %d rows, the manifest says %d", len(rows), f.Shape[0])
	}
	return rows, nil
}

// emptyEnsemble returns an Ensemble with the manifest's names, units and box
// and no data.
func (m *Manifest) emptyEnsemble() *Ensemble {
	e := &Ensemble{Source: m.Name}
	for _, p := range m.Parameters {
		e.ParamNames = append(e.ParamNames, p.Name)
		e.ParamUnits = append(e.ParamUnits, p.Units)
	}
	for _, o := range m.Outputs {
		e.OutputNames = append(e.OutputNames, o.Name)
		e.OutputUnits = append(e.OutputUnits, o.Units)
	}
	if len(m.Parameters) > 0 {
		e.Lo, e.Hi = m.Box()
	}
	return e
}
