package dataset

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// server serves files by name and counts requests; handle, when set,
// replaces the normal response so tests can send bad or short bodies.
type server struct {
	*httptest.Server
	hits   atomic.Int64
	files  map[string][]byte
	handle func(w http.ResponseWriter, name string, body []byte) // nil: send body
}

func newServer(t *testing.T, files map[string][]byte) *server {
	s := &server{files: files}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		name := strings.TrimPrefix(r.URL.Path, "/")
		body, ok := s.files[name]
		if !ok {
			http.NotFound(w, r)
			return
		}
		if s.handle != nil {
			s.handle(w, name, body)
			return
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *server) fetcher() *Fetcher {
	return &Fetcher{Client: s.Client(), BaseURL: s.URL}
}

func TestFetchHTTPGoodAndCacheReuse(t *testing.T) {
	m, files := tinyEnsemble(t)
	s := newServer(t, files)
	dir := t.TempDir()
	f := s.fetcher()

	paths, err := f.Fetch(context.Background(), m, dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.hits.Load(); got != 2 {
		t.Errorf("first fetch made %d requests, want 2", got)
	}
	for name, want := range files {
		if paths[name] != filepath.Join(dir, "tiny", name) {
			t.Errorf("path of %s = %q", name, paths[name])
		}
		got, err := os.ReadFile(paths[name])
		if err != nil || string(got) != string(want) {
			t.Errorf("%s: content differs (err %v)", name, err)
		}
	}

	// Second fetch: everything is cached and verified, the server is not asked.
	if _, err := f.Fetch(context.Background(), m, dir); err != nil {
		t.Fatal(err)
	}
	if got := s.hits.Load(); got != 2 {
		t.Errorf("second fetch made %d more requests, want 0", got-2)
	}

	// A corrupted cache file is replaced, and only that one is downloaded.
	if err := os.WriteFile(paths["x.npy"], []byte("garbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Fetch(context.Background(), m, dir); err != nil {
		t.Fatal(err)
	}
	if got := s.hits.Load(); got != 3 {
		t.Errorf("after corrupting one file: %d requests in all, want 3", got)
	}
	if ok, _ := verifyFile(paths["x.npy"], &m.Files[0]); !ok {
		t.Error("corrupted cache file was not replaced by a verified copy")
	}

	// The whole ensemble loads from the fetched files.
	e, err := f.Load(context.Background(), m, dir)
	if err != nil {
		t.Fatal(err)
	}
	if e.Len() != 3 || e.X[2][1] != 30 || e.Y[1][0] != 2 || e.OutputUnits[0] != "u" || e.Hi[1] != 100 {
		t.Errorf("loaded ensemble wrong: %+v", e)
	}
}

func TestFetchHTTPChecksumMismatch(t *testing.T) {
	m, files := tinyEnsemble(t)
	s := newServer(t, files)
	s.handle = func(w http.ResponseWriter, name string, body []byte) {
		bad := append([]byte(nil), body...)
		bad[len(bad)-1] ^= 0xff // Same size, different bytes.
		w.Write(bad)
	}
	dir := t.TempDir()
	_, err := s.fetcher().Fetch(context.Background(), m, dir)
	wantErr(t, err, "x.npy", "SHA-256 mismatch", "expected "+m.Files[0].SHA256, "got ", "nothing was written")
	if !errors.Is(err, ErrChecksum) {
		t.Errorf("error %v is not ErrChecksum", err)
	}
	if names := listDir(t, filepath.Join(dir, "tiny")); len(names) != 0 {
		t.Errorf("failed fetch left files behind: %v", names)
	}
}

func TestFetchHTTPTruncated(t *testing.T) {
	m, files := tinyEnsemble(t)
	s := newServer(t, files)
	s.handle = func(w http.ResponseWriter, name string, body []byte) {
		// Announce the full length, send half, then drop the connection.
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(http.StatusOK)
		w.Write(body[:len(body)/2])
		w.(http.Flusher).Flush()
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		conn.Close()
	}
	dir := t.TempDir()
	_, err := s.fetcher().Fetch(context.Background(), m, dir)
	n := len(files["x.npy"])
	wantErr(t, err, "x.npy", "truncated: got "+strconv.Itoa(n/2)+" of "+strconv.Itoa(n)+" bytes", "nothing was written")
	if !errors.Is(err, ErrTruncated) {
		t.Errorf("error %v is not ErrTruncated", err)
	}
	if names := listDir(t, filepath.Join(dir, "tiny")); len(names) != 0 {
		t.Errorf("truncated fetch left files behind: %v", names)
	}
}

func TestFetchHTTPShortWithoutLength(t *testing.T) {
	// No Content-Length (chunked): the manifest size still catches a short body.
	m, files := tinyEnsemble(t)
	s := newServer(t, files)
	s.handle = func(w http.ResponseWriter, name string, body []byte) {
		w.Write(body[:10])
		w.(http.Flusher).Flush()
	}
	_, err := s.fetcher().Fetch(context.Background(), m, t.TempDir())
	wantErr(t, err, "truncated: got 10 of "+strconv.Itoa(len(files["x.npy"]))+" bytes")
}

func TestFetchHTTPWrongLengthAndStatus(t *testing.T) {
	m, files := tinyEnsemble(t)
	s := newServer(t, files)
	s.handle = func(w http.ResponseWriter, name string, body []byte) {
		w.Write(append(body, 'x')) // One byte too many, with Content-Length set by the server.
	}
	_, err := s.fetcher().Fetch(context.Background(), m, t.TempDir())
	wantErr(t, err, "x.npy", "size mismatch", "manifest says")

	delete(s.files, "x.npy")
	s.handle = nil
	_, err = s.fetcher().Fetch(context.Background(), m, t.TempDir())
	wantErr(t, err, "x.npy", "404", "nothing was written")
}

func TestFetchCancelledMidDownload(t *testing.T) {
	m, files := tinyEnsemble(t)
	s := newServer(t, files)
	ctx, cancel := context.WithCancel(context.Background())
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	s.handle = func(w http.ResponseWriter, name string, body []byte) {
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body[:len(body)/2])
		w.(http.Flusher).Flush()
		cancel() // The client gives up while the body is half sent.
		select {
		case <-release:
		case <-time.After(10 * time.Second):
		}
	}
	dir := t.TempDir()
	_, err := s.fetcher().Fetch(ctx, m, dir)
	if err == nil {
		t.Fatal("cancelled fetch succeeded")
	}
	if names := listDir(t, filepath.Join(dir, "tiny")); len(names) != 0 {
		t.Errorf("cancelled fetch left files behind: %v", names)
	}
}

func TestFetchMirror(t *testing.T) {
	m, files := tinyEnsemble(t)
	mirror := t.TempDir()
	os.MkdirAll(filepath.Join(mirror, "tiny"), 0o755)
	for name, b := range files {
		writeFile(t, filepath.Join(mirror, "tiny"), name, b)
	}
	// BaseURL points nowhere: the mirror must be used, not the network.
	f := &Fetcher{Mirror: mirror, BaseURL: "http://127.0.0.1:1"}
	dir := t.TempDir()
	paths, err := f.Fetch(context.Background(), m, dir)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range files {
		got, _ := os.ReadFile(paths[name])
		if string(got) != string(want) {
			t.Errorf("%s not copied from the mirror", name)
		}
		if filepath.Dir(paths[name]) != filepath.Join(dir, "tiny") {
			t.Errorf("%s copied to %s, want the cache", name, paths[name])
		}
	}

	// A mirror copy with the wrong checksum is refused.
	bad := append([]byte(nil), files["y.npy"]...)
	bad[len(bad)-1]++
	writeFile(t, filepath.Join(mirror, "tiny"), "y.npy", bad)
	dir2 := t.TempDir()
	_, err = f.Fetch(context.Background(), m, dir2)
	wantErr(t, err, "y.npy", "SHA-256 mismatch", "nothing was written")
	if _, err := os.Stat(filepath.Join(dir2, "tiny", "y.npy")); !os.IsNotExist(err) {
		t.Error("bad mirror copy was written to the cache")
	}

	// A missing mirror file is an error that names the path.
	os.Remove(filepath.Join(mirror, "tiny", "y.npy"))
	_, err = f.Fetch(context.Background(), m, t.TempDir())
	wantErr(t, err, "not in mirror", filepath.Join(mirror, "tiny", "y.npy"))
}

func TestFetchRealMirror(t *testing.T) {
	mirror := sharedMirror(t)
	m, err := OzarkManifest()
	if err != nil {
		t.Fatal(err)
	}
	f := &Fetcher{Mirror: mirror, BaseURL: "http://127.0.0.1:1"}
	dir := t.TempDir()
	paths, err := f.Fetch(context.Background(), m, dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range m.Files {
		fi, err := os.Stat(paths[file.Name])
		if err != nil || fi.Size() != file.Size {
			t.Errorf("%s: %v, size %v want %d", file.Name, err, fi, file.Size)
		}
	}
	// Served over HTTP, the same bytes pass too.
	served := map[string][]byte{}
	for _, file := range m.Files {
		served[file.Name], _ = os.ReadFile(paths[file.Name])
	}
	s := newServer(t, served)
	if _, err := s.fetcher().Fetch(context.Background(), m, t.TempDir()); err != nil {
		t.Fatal(err)
	}
}

func TestMirrorFromEnv(t *testing.T) {
	t.Setenv(EnvMirror, "")
	if m, err := MirrorFromEnv(); m != "" || err != nil {
		t.Errorf("unset: got %q, %v", m, err)
	}
	abs := t.TempDir()
	t.Setenv(EnvMirror, abs)
	if m, err := MirrorFromEnv(); m != abs || err != nil {
		t.Errorf("absolute: got %q, %v", m, err)
	}
	t.Setenv(EnvMirror, filepath.Join(abs, "missing"))
	_, err := MirrorFromEnv()
	wantErr(t, err, EnvMirror, "not a directory")

	// Relative to the module root when not found from the package directory
	// (go test runs in the package directory; CI sets paths from the root).
	t.Setenv(EnvMirror, "innlib/dataset/manifests/..")
	m, err := MirrorFromEnv()
	if err != nil || filepath.Base(filepath.Clean(m)) != "dataset" {
		t.Errorf("module-relative: got %q, %v", m, err)
	}
}

func TestCacheDir(t *testing.T) {
	t.Setenv(EnvCache, "/some/where")
	if d, err := CacheDir(); d != "/some/where" || err != nil {
		t.Errorf("with %s: %q, %v", EnvCache, d, err)
	}
	t.Setenv(EnvCache, "")
	d, err := CacheDir()
	if err == nil && filepath.Base(d) != "innlib" {
		t.Errorf("default cache dir %q does not end in innlib", d)
	}
}

func TestFetchDefaultDirUsesEnvCache(t *testing.T) {
	m, files := tinyEnsemble(t)
	s := newServer(t, files)
	cache := t.TempDir()
	t.Setenv(EnvCache, cache)
	paths, err := s.fetcher().Fetch(context.Background(), m, "")
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(cache, "tiny", "x.npy"); paths["x.npy"] != want {
		t.Errorf("path %q, want %q", paths["x.npy"], want)
	}
}
