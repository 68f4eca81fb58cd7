package plots

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// needPlotly skips tests that need the local plotly.js the setup script
// installs.
func needPlotly(t *testing.T) string {
	t.Helper()
	p, err := FindPlotlyJS()
	if err != nil {
		t.Skipf("%v", err)
	}
	return p
}

func smallFigure(t *testing.T) *Figure {
	t.Helper()
	f, err := TrainingCurves(trainingInput())
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// scriptSrcs lists the src attributes of <script> tags.
func scriptSrcs(page string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`<script[^>]*\ssrc="([^"]*)"`).FindAllStringSubmatch(page, -1) {
		out = append(out, m[1])
	}
	return out
}

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestWriteHTMLSiblingIsOffline(t *testing.T) {
	js := needPlotly(t)
	dir := t.TempDir()
	page := filepath.Join(dir, "fig.html")
	if err := WriteHTML(smallFigure(t), page, HTMLOptions{Title: "a <b> title"}); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	s := string(raw)
	if srcs := scriptSrcs(s); len(srcs) != 1 || srcs[0] != "plotly-2.34.0.min.js" {
		t.Errorf("script sources %q, want only the relative local copy", srcs)
	}
	// The CDN appears only as the fallback inside the loader script.
	if n := strings.Count(s, "http"); n != 1 || !strings.Contains(s, `var cdn = "`+PlotlyCDN+`"`) {
		t.Errorf("page mentions http %d times; want only the CDN fallback", n)
	}
	if !strings.Contains(s, "<title>a &lt;b&gt; title</title>") {
		t.Errorf("title not escaped")
	}
	src, _ := os.Stat(js)
	cp, err := os.Stat(filepath.Join(dir, "plotly-2.34.0.min.js"))
	if err != nil || cp.Size() != src.Size() {
		t.Fatalf("local copy next to the page: %v", err)
	}
	// Atomic writes leave exactly the page and the library.
	if got := listDir(t, dir); strings.Join(got, ",") != "fig.html,plotly-2.34.0.min.js" {
		t.Errorf("folder holds %q", got)
	}
	// Rewriting (second page, same page again) reuses the copy, no debris.
	if err := WriteHTML(smallFigure(t), filepath.Join(dir, "fig2.html"), HTMLOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := WriteHTML(smallFigure(t), page, HTMLOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := listDir(t, dir); len(got) != 3 {
		t.Errorf("after rewrites the folder holds %q", got)
	}
}

func TestWriteHTMLInline(t *testing.T) {
	needPlotly(t)
	dir := t.TempDir()
	page := filepath.Join(dir, "fig.html")
	if err := WriteHTML(smallFigure(t), page, HTMLOptions{Source: PlotlyInline}); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(page)
	s := string(raw)
	if len(scriptSrcs(s)) != 0 {
		t.Errorf("inline page loads scripts: %q", scriptSrcs(s))
	}
	if !strings.Contains(s, "plotly.js v2.34.0") || len(raw) < 3_000_000 {
		t.Errorf("library not inlined (%d bytes)", len(raw))
	}
	if got := listDir(t, dir); len(got) != 1 {
		t.Errorf("inline export wrote %q", got)
	}
}

func TestWriteHTMLWithoutLocalCopy(t *testing.T) {
	t.Setenv(PlotlyEnv, filepath.Join(t.TempDir(), "missing.js"))
	dir := t.TempDir()
	page := filepath.Join(dir, "fig.html")
	err := WriteHTML(smallFigure(t), page, HTMLOptions{RequireLocal: true})
	if err == nil || !strings.Contains(err.Error(), PlotlyEnv) {
		t.Fatalf("RequireLocal with no plotly.js: err = %v", err)
	}
	if got := listDir(t, dir); len(got) != 0 {
		t.Errorf("failed export left %q", got)
	}
	// Without RequireLocal the page is written and relies on the CDN.
	if err := WriteHTML(smallFigure(t), page, HTMLOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := listDir(t, dir); strings.Join(got, ",") != "fig.html" {
		t.Errorf("folder holds %q", got)
	}
	_, err = RenderPNG(smallFigure(t), 100, 100)
	if err == nil {
		t.Error("RenderPNG without plotly.js should fail, not draw a blank picture")
	}
}

func TestWriteAtomicFailureLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "sub") // a directory: rename onto it fails
	if err := os.Mkdir(target, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(target, "x"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := writeAtomic(target, []byte("data")); err == nil {
		t.Fatal("writing over a non-empty directory should fail")
	}
	if got := listDir(t, dir); strings.Join(got, ",") != "sub" {
		t.Errorf("failed write left %q", got)
	}
	err := writeAtomic(filepath.Join(dir, "no", "such", "dir.html"), []byte("x"))
	if err == nil || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing folder: %v", err)
	}
}

func TestFindPlotlyJSWalksUp(t *testing.T) {
	root := t.TempDir()
	js := filepath.Join(root, PlotlyRelPath)
	if err := os.MkdirAll(filepath.Dir(js), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(js, []byte("/* plotly.js v2.34.0 */"), 0o644); err != nil {
		t.Fatal(err)
	}
	deep := filepath.Join(root, "a", "b", "c")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv(PlotlyEnv, "")
	t.Chdir(deep)
	got, err := FindPlotlyJS()
	if err != nil || got != js {
		t.Fatalf("from %s: %q, %v; want %q", deep, got, err, js)
	}
	// GONB_DIR is searched when the working directory (a GoNB cell's temp
	// module) has no copy above it.
	t.Chdir(t.TempDir())
	t.Setenv("GONB_DIR", deep)
	if got, err := FindPlotlyJS(); err != nil || got != js {
		t.Errorf("via GONB_DIR: %q, %v", got, err)
	}
	t.Setenv("GONB_DIR", "")
	if _, err := FindPlotlyJS(); !errors.Is(err, ErrNoPlotlyJS) {
		t.Errorf("nothing above: err = %v", err)
	}
	t.Setenv(PlotlyEnv, js)
	if got, err := FindPlotlyJS(); err != nil || got != js {
		t.Errorf("via %s: %q, %v", PlotlyEnv, got, err)
	}
}
