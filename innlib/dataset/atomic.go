package dataset

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// verifyFile reports whether path exists with the size and SHA-256 of f.
func verifyFile(path string, f *File) (bool, error) {
	fh, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer fh.Close()
	if fi, err := fh.Stat(); err != nil || !fi.Mode().IsRegular() || fi.Size() != f.Size {
		return false, err
	}
	h := sha256.New()
	if _, err := io.Copy(h, fh); err != nil {
		return false, err
	}
	return hex.EncodeToString(h.Sum(nil)) == f.SHA256, nil
}

// writeVerified streams r into a temporary file next to dst, checks the byte
// count (against declared, the announced length or -1, and the manifest size)
// and the SHA-256, and only then renames it to dst. On any failure the
// temporary file is removed and dst is left as it was.
func writeVerified(dst string, f *File, src string, r io.Reader, declared int64) (err error) {
	where := fmt.Sprintf("dataset: %s from %s", f.Name, src)
	dir := filepath.Dir(dst)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("%s: %w", where, err)
	}
	tmp, err := os.CreateTemp(dir, "."+f.Name+".part-*")
	if err != nil {
		return fmt.Errorf("%s: %w", where, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()

	h := sha256.New()
	// Read at most one byte past the expected size: enough to detect an
	// oversized source without storing it.
	n, cerr := io.Copy(io.MultiWriter(tmp, h), io.LimitReader(r, f.Size+1))
	// A body shorter than its Content-Length ends in io.ErrUnexpectedEOF;
	// that is a truncation, reported with the counts below.
	if errors.Is(cerr, io.ErrUnexpectedEOF) {
		cerr = nil
	}
	cause := ""
	if cerr != nil {
		cause = fmt.Sprintf(" (%v)", cerr)
	}
	switch {
	case declared >= 0 && n < declared:
		return fmt.Errorf("%s: %w: got %d of %d bytes%s; nothing was written", where, ErrTruncated, n, declared, cause)
	case cerr != nil:
		return fmt.Errorf("%s: reading after %d bytes: %w; nothing was written", where, n, cerr)
	case n < f.Size:
		return fmt.Errorf("%s: %w: got %d of %d bytes; nothing was written", where, ErrTruncated, n, f.Size)
	case n > f.Size:
		return fmt.Errorf("%s: %w: more than the %d bytes the manifest lists; nothing was written", where, ErrSize, f.Size)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != f.SHA256 {
		return fmt.Errorf("%s: %w: expected %s, got %s; nothing was written", where, ErrChecksum, f.SHA256, got)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("%s: %w", where, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("%s: %w", where, err)
	}
	// CreateTemp makes the file private; a cache is ordinary user data.
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("%s: %w", where, err)
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return fmt.Errorf("%s: %w", where, err)
	}
	return nil
}
