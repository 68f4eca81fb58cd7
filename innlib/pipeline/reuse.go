package pipeline

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// prepareReuse checks that the output folder holds a complete run whose
// saved models were trained with this run's noise, box, names and data
// (ModelSettings), and brings the model files into the staging folder, where
// the train stage loads them. A mismatch is an error naming each differing
// setting, unless Config.ReuseAnyway, which records it as a warning.
func (x *experiment) prepareReuse() error {
	dir := x.folder.dir
	m, err := CheckRun(dir)
	if err != nil {
		if !x.cfg.ReuseAnyway {
			return fmt.Errorf("pipeline: -reuse: %w (run once without -reuse to train and save the models)", err)
		}
		x.warn(fmt.Sprintf("reusing the models in %s unchecked (reuse anyway): %v", dir, err))
		// What they were trained with is unknown, and the manifest says so:
		// a later -reuse will not take them for this run's.
		x.modelSettings = ModelSettings{DataSHA256: "unknown (models reused unchecked)"}
	} else {
		if bad := m.Models.mismatches(x.modelSettings); len(bad) > 0 {
			if !x.cfg.ReuseAnyway {
				return fmt.Errorf("pipeline: -reuse: %s (train new models without -reuse, or go on with -reuse-anyway)", strings.Join(bad, "; "))
			}
			for _, b := range bad {
				x.warn("reused anyway: " + b)
			}
		}
		// The saved models' settings stay theirs in the next manifest.
		x.modelSettings = m.Models
	}
	for _, p := range modelPaths("") {
		if err := linkOrCopy(filepath.Join(dir, p), filepath.Join(x.folder.staging, p)); err != nil {
			return fmt.Errorf("pipeline: -reuse: %w (run once without -reuse to train and save the models)", err)
		}
	}
	return nil
}

// linkOrCopy makes dst a hard link to src, or a copy where links fail.
func linkOrCopy(src, dst string) error {
	if err := os.Link(src, dst); err == nil {
		return nil
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// CanReuse says whether a run with these inputs and settings can reuse the
// models saved in cfg.OutDir: nil when the folder holds a complete run
// (CheckRun) whose models were trained with the same noise, box, names and
// data, and otherwise an error saying why not.
func CanReuse(in Inputs, cfg Config) error {
	if err := in.validate(); err != nil {
		return err
	}
	if err := cfg.fill(); err != nil {
		return err
	}
	m, err := CheckRun(cfg.OutDir)
	if err != nil {
		return err
	}
	if bad := m.Models.mismatches(modelSettings(in, cfg.ObsNoise)); len(bad) > 0 {
		return fmt.Errorf("pipeline: %s", strings.Join(bad, "; "))
	}
	return nil
}
