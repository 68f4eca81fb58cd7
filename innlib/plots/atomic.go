package plots

import (
	"fmt"
	"io"
	"os"

	"github.com/ozarkinn/inn/innlib/internal/ckpt"
)

// writeAtomic writes data to path through a temporary file in the same
// directory and a rename, so readers (a browser reloading the page, a
// notebook) never see a half-written file and a failure leaves no debris.
func writeAtomic(path string, data []byte) error {
	if err := ckpt.WriteFileAtomic(path, data); err != nil {
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
	err = ckpt.WriteAtomic(dst, func(w io.Writer) error {
		_, err := io.Copy(w, in)
		return err
	})
	if err != nil {
		return fmt.Errorf("plots: writing %s: %w", dst, err)
	}
	return nil
}
