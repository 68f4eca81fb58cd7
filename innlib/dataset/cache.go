package dataset

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Environment variables that steer where data come from and go to.
const (
	// EnvCache overrides the cache directory.
	EnvCache = "INNLIB_CACHE"
	// EnvMirror names a local folder laid out like <mirror>/<dataset>/<file>
	// to copy files from instead of downloading them.
	EnvMirror = "INNLIB_DATA_MIRROR"
)

// CacheDir returns the directory that holds downloaded datasets:
// $INNLIB_CACHE if set, else os.UserCacheDir()/innlib (for example
// ~/.cache/innlib on Linux, ~/Library/Caches/innlib on macOS). Each dataset
// lives in a subdirectory named after its manifest.
func CacheDir() (string, error) {
	if d := os.Getenv(EnvCache); d != "" {
		return d, nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("dataset: no cache directory (set %s): %w", EnvCache, err)
	}
	return filepath.Join(d, "innlib"), nil
}

// MirrorFromEnv returns the mirror folder named by $INNLIB_DATA_MIRROR, or ""
// when the variable is unset or empty.
//
// A relative path is taken from the working directory; if no such folder
// exists there it is taken from the root of the enclosing Go module (the
// nearest parent with a go.mod), because `go test ./...` runs each package's
// tests in the package's own directory while CI sets the variable relative
// to the repository root.
func MirrorFromEnv() (string, error) {
	p := os.Getenv(EnvMirror)
	if p == "" {
		return "", nil
	}
	if filepath.IsAbs(p) {
		return p, checkDir(p)
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("dataset: %s=%q: %w", EnvMirror, p, err)
	}
	tried := []string{filepath.Join(wd, p)}
	if isDir(tried[0]) {
		return tried[0], nil
	}
	if root := moduleRoot(wd); root != "" && root != wd {
		c := filepath.Join(root, p)
		if isDir(c) {
			return c, nil
		}
		tried = append(tried, c)
	}
	return "", fmt.Errorf("dataset: %s=%q is not a directory (tried %q)", EnvMirror, p, tried)
}

func checkDir(p string) error {
	if !isDir(p) {
		return fmt.Errorf("dataset: %s=%q is not a directory", EnvMirror, p)
	}
	return nil
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// moduleRoot returns the nearest directory at or above dir holding a go.mod,
// or "".
func moduleRoot(dir string) string {
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		} else if !errors.Is(err, fs.ErrNotExist) {
			return ""
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}
