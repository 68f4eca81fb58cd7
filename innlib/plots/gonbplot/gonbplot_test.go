package gonbplot

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ozarkinn/inn/innlib/plots"
)

func figure(t *testing.T) *plots.Figure {
	t.Helper()
	f, err := plots.CoverageCurves(plots.CoverageInput{Curves: []plots.CoverageCurve{
		{Name: "slatop", Nominal: []float64{0.2, 0.5, 0.8}, Empirical: []float64{0.15, 0.45, 0.8}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func needPlotly(t *testing.T) string {
	t.Helper()
	p, err := plots.FindPlotlyJS()
	if err != nil {
		t.Skipf("%v", err)
	}
	return p
}

func TestDisplayOutsideNotebook(t *testing.T) {
	if err := Display(figure(t)); !errors.Is(err, ErrNotNotebook) {
		t.Errorf("Display outside GoNB: %v", err)
	}
	if err := DisplayPNG(figure(t), 10, 10); !errors.Is(err, ErrNotNotebook) {
		t.Errorf("DisplayPNG outside GoNB: %v", err)
	}
}

func TestHTMLSources(t *testing.T) {
	js := needPlotly(t)
	nb := t.TempDir()
	t.Setenv("GONB_DIR", nb)
	h, err := HTML(figure(t), Options{Src: "/files/x/plotly.min.js", Width: 300})
	if err != nil {
		t.Fatal(err)
	}
	rel, _ := filepath.Rel(nb, js)
	for _, want := range []string{
		`rel = "` + filepath.ToSlash(rel) + `"`,
		`explicit = "/files/x/plotly.min.js"`,
		`cdn = "` + plots.PlotlyCDN + `"`,
		`size = [300, 0]`,
		`class="innlib-plot"`,
	} {
		if !strings.Contains(h, want) {
			t.Errorf("snippet lacks %s", want)
		}
	}
	if strings.Contains(h, "plotly.js v2.34.0") {
		t.Error("interactive mode should not inline the library")
	}
}

func TestHTMLInlineOncePerSession(t *testing.T) {
	needPlotly(t)
	tmp := t.TempDir()
	t.Setenv("GONB_TMP_DIR", tmp)
	h, err := HTML(figure(t), Options{Mode: Inline})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(h, "plotly.js 2.34.0 (MIT license), inlined") || len(h) < 3_000_000 {
		t.Fatalf("first inline figure lacks the library (%d bytes)", len(h))
	}
	if err := os.WriteFile(filepath.Join(tmp, inlinedMarker), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	h, err = HTML(figure(t), Options{Mode: Inline})
	if err != nil {
		t.Fatal(err)
	}
	if len(h) > 100_000 {
		t.Errorf("second figure of the session inlines the library again (%d bytes)", len(h))
	}
}

// Browser checks of the cell output, on file:// pages standing in for the
// notebook: plain <script> loading, RequireJS loading (as classic Jupyter
// pages have it) and the inlined library under RequireJS.

const requireJS = "/usr/share/javascript/requirejs/require.js" // Debian libjs-requirejs

func needBrowser(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("browser tests skipped in -short mode")
	}
	if _, err := plots.FindChromium(); err != nil {
		t.Skipf("%v", err)
	}
	needPlotly(t)
}

func page(t *testing.T, dir string, head string, bodies ...string) string {
	t.Helper()
	p := filepath.Join(dir, "notebook.html")
	s := "<!DOCTYPE html><html><head><meta charset=\"utf-8\">" + head + "</head><body>" + strings.Join(bodies, "\n") + "</body></html>"
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func drawn(t *testing.T, p string, want int) {
	t.Helper()
	dom, err := plots.DumpDOM(p)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(dom, plots.ReadyAttr); n != want {
		i := strings.Index(dom, "<body")
		t.Fatalf("%d figures drawn, want %d; body: %.400s", n, want, dom[max(i, 0):])
	}
	if !strings.Contains(dom, `class="main-svg"`) {
		t.Error("no plotly SVG in the page")
	}
}

func TestBrowserScriptTagsTwoCells(t *testing.T) {
	needBrowser(t)
	nb := t.TempDir()
	t.Setenv("GONB_DIR", nb) // the page sits in the "notebook folder"
	a, err := HTML(figure(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := HTML(figure(t), Options{})
	drawn(t, page(t, nb, "", a, b), 2)
}

func TestBrowserRequireJS(t *testing.T) {
	needBrowser(t)
	if _, err := os.Stat(requireJS); err != nil {
		t.Skipf("no RequireJS: %v", err)
	}
	nb := t.TempDir()
	t.Setenv("GONB_DIR", nb)
	h, err := HTML(figure(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	drawn(t, page(t, nb, `<script src="file://`+requireJS+`"></script>`, h), 1)
}

func TestBrowserInlineUnderRequireJS(t *testing.T) {
	needBrowser(t)
	if _, err := os.Stat(requireJS); err != nil {
		t.Skipf("no RequireJS: %v", err)
	}
	nb := t.TempDir()
	t.Setenv("GONB_DIR", "") // no relative path: only the inlined copy can work offline
	t.Setenv("GONB_TMP_DIR", t.TempDir())
	h, err := HTML(figure(t), Options{Mode: Inline})
	if err != nil {
		t.Fatal(err)
	}
	drawn(t, page(t, nb, `<script src="file://`+requireJS+`"></script>`, h), 1)
}
