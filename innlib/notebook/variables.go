package notebook

import (
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// SaveVariables writes every variable of ctx (scope, name and value) to path,
// so that a later cell, a new program under GoNB, can rebuild the same graph
// with LoadVariables. It writes a temporary file and renames it over path.
// (GoMLX's checkpoints package does the same and more, but needs a module the
// notebooks' Go module does not otherwise resolve offline.)
func SaveVariables(ctx *context.Context, path string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".vars-*")
	if err != nil {
		return fmt.Errorf("notebook.SaveVariables: %w", err)
	}
	defer os.Remove(tmp.Name())
	enc := gob.NewEncoder(tmp)
	for v := range ctx.IterVariables() {
		t, err := v.Value()
		if err == nil {
			err = enc.Encode(v.Scope())
		}
		if err == nil {
			err = enc.Encode(v.Name())
		}
		if err == nil {
			err = t.GobSerialize(enc)
		}
		if err != nil {
			tmp.Close()
			return fmt.Errorf("notebook.SaveVariables: variable %s: %w", v.ScopeAndName(), err)
		}
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("notebook.SaveVariables: %w", err)
	}
	return os.Rename(tmp.Name(), path)
}

// LoadVariables reads what SaveVariables wrote into ctx: each variable is
// created (or overwritten) in its scope with its saved value. Build graphs
// on ctx.Reuse() afterwards, so that a variable missing from the file is an
// error instead of a fresh random one.
func LoadVariables(ctx *context.Context, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("notebook.LoadVariables: %w", err)
	}
	defer f.Close()
	dec := gob.NewDecoder(f)
	for n := 0; ; n++ {
		var scope, name string
		if err := dec.Decode(&scope); err != nil {
			if errors.Is(err, io.EOF) && n > 0 {
				return nil
			}
			if errors.Is(err, io.EOF) {
				return fmt.Errorf("notebook.LoadVariables: %s holds no variables", path)
			}
			return fmt.Errorf("notebook.LoadVariables: %s, variable %d: %w", path, n, err)
		}
		if err := dec.Decode(&name); err != nil {
			return fmt.Errorf("notebook.LoadVariables: %s, variable %d: %w", path, n, err)
		}
		t, err := tensors.GobDeserialize(dec)
		if err != nil {
			return fmt.Errorf("notebook.LoadVariables: %s, variable %s/%s: %w", path, scope, name, err)
		}
		if v := ctx.GetVariableByScopeAndName(scope, name); v != nil {
			if err := v.SetValue(t); err != nil {
				return fmt.Errorf("notebook.LoadVariables: %s, variable %s/%s: %w", path, scope, name, err)
			}
			continue
		}
		ctx.InAbsPath(scope).Checked(false).VariableWithValue(name, t)
	}
}
