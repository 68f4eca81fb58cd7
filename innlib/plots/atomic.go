package plots

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// writeAtomic writes data to path through a temporary file in the same
// directory and a rename, so readers (a browser reloading the page, a
// notebook) never see a half-written file and a failure leaves no debris.
func writeAtomic(path string, data []byte) error {
	return writeAtomicFrom(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

func writeAtomicFrom(path string, fill func(io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("plots: writing %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = fill(tmp); err != nil {
		return fmt.Errorf("plots: writing %s: %w", path, err)
	}
	if err = tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("plots: writing %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("plots: writing %s: %w", path, err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("plots: writing %s: %w", path, err)
	}
	return nil
}

// copyFileAtomic copies src to dst unless dst already has the same size
// (plotly.js copies are identical files; comparing sizes avoids rewriting
// 3.6 MB for every page).
func copyFileAtomic(src, dst string) error {
	s, err := os.Stat(src)
	if err != nil {
		return fmt.Errorf("plots: %w", err)
	}
	if d, err := os.Stat(dst); err == nil && d.Size() == s.Size() && !d.IsDir() {
		return nil
	}
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("plots: %w", err)
	}
	defer in.Close()
	return writeAtomicFrom(dst, func(w io.Writer) error {
		_, err := io.Copy(w, in)
		return err
	})
}
