package dataset

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"
)

// DefaultTimeout bounds one HTTP download when Fetcher.Client is nil.
const DefaultTimeout = 2 * time.Minute

// Errors a fetch can wrap; test with errors.Is.
var (
	ErrChecksum  = errors.New("SHA-256 mismatch")
	ErrTruncated = errors.New("truncated")
	ErrSize      = errors.New("size mismatch")
)

// Fetcher copies the files of a manifest into a local cache, verifying every
// copy against the manifest's SHA-256 and size. The zero value downloads
// from the manifest's origin with a default client.
type Fetcher struct {
	// Client performs downloads; nil means a client with DefaultTimeout.
	Client *http.Client
	// BaseURL, when set, replaces the manifest's origin: a file is fetched
	// from BaseURL + "/" + name. Tests point it at an httptest.Server.
	BaseURL string
	// Mirror, when set, is a local folder laid out as <Mirror>/<dataset>/<file>
	// that files are copied from instead of downloaded. NewFetcher sets it
	// from $INNLIB_DATA_MIRROR.
	Mirror string
	// Logf, when set, receives one line per file copied or downloaded.
	Logf func(format string, args ...any)
}

// NewFetcher returns a Fetcher that copies from $INNLIB_DATA_MIRROR when it
// is set (see MirrorFromEnv) and downloads from the origin otherwise.
func NewFetcher() (*Fetcher, error) {
	mirror, err := MirrorFromEnv()
	if err != nil {
		return nil, err
	}
	return &Fetcher{Mirror: mirror}, nil
}

// Fetch is NewFetcher().Fetch: it makes the manifest's files present and
// verified under dir/<m.Name>/ and returns their paths by file name. An empty
// dir means CacheDir().
func Fetch(ctx context.Context, m *Manifest, dir string) (map[string]string, error) {
	f, err := NewFetcher()
	if err != nil {
		return nil, err
	}
	return f.Fetch(ctx, m, dir)
}

// Fetch makes every file of m present under dir/<m.Name>/ and returns their
// paths by file name. An empty dir means CacheDir().
//
// A cached file whose size and SHA-256 match is reused untouched. Otherwise
// the file is copied from f.Mirror if set, else downloaded. Either way it is
// written to a temporary file in the same directory, verified, and renamed
// into place, so an interrupted or failed fetch never leaves a partial file
// under the final name.
func (f *Fetcher) Fetch(ctx context.Context, m *Manifest, dir string) (map[string]string, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if dir == "" {
		d, err := CacheDir()
		if err != nil {
			return nil, err
		}
		dir = d
	}
	dsDir := filepath.Join(dir, m.Name)
	paths := make(map[string]string, len(m.Files))
	for i := range m.Files {
		file := &m.Files[i]
		dst := filepath.Join(dsDir, file.Name)
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if ok, _ := verifyFile(dst, file); !ok {
			var err error
			if f.Mirror != "" {
				err = f.copyFromMirror(m, file, dst)
			} else {
				err = f.download(ctx, m, file, dst)
			}
			if err != nil {
				return nil, err
			}
		}
		paths[file.Name] = dst
	}
	return paths, nil
}

func (f *Fetcher) logf(format string, args ...any) {
	if f.Logf != nil {
		f.Logf(format, args...)
	}
}

func (f *Fetcher) copyFromMirror(m *Manifest, file *File, dst string) error {
	src := filepath.Join(f.Mirror, m.Name, file.Name)
	in, err := os.Open(src)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("dataset: %s/%s: not in mirror: %s does not exist (mirror %q)", m.Name, file.Name, src, f.Mirror)
		}
		return fmt.Errorf("dataset: %s/%s: opening mirror copy: %w", m.Name, file.Name, err)
	}
	defer in.Close()
	f.logf("dataset: copying %s from mirror %s", file.Name, src)
	return writeVerified(dst, file, src, in, -1)
}

func (f *Fetcher) download(ctx context.Context, m *Manifest, file *File, dst string) error {
	u := m.URL(file.Name)
	if f.BaseURL != "" {
		u = f.BaseURL + "/" + file.Name
	}
	client := f.Client
	if client == nil {
		client = &http.Client{Timeout: DefaultTimeout}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return fmt.Errorf("dataset: %s/%s: %w", m.Name, file.Name, err)
	}
	f.logf("dataset: downloading %s", u)
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("dataset: %s/%s: %w; nothing was written", m.Name, file.Name, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("dataset: %s/%s: GET %s: status %s; nothing was written", m.Name, file.Name, u, resp.Status)
	}
	if n := resp.ContentLength; n >= 0 && n != file.Size {
		return fmt.Errorf("dataset: %s/%s: GET %s: %w: server announces %d bytes, manifest says %d; nothing was written",
			m.Name, file.Name, u, ErrSize, n, file.Size)
	}
	return writeVerified(dst, file, u, resp.Body, resp.ContentLength)
}
