package plots

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strings"

	"github.com/MetalBlueberry/go-plotly/pkg/types"
)

// PlotlySource says how an HTML page gets plotly.js.
type PlotlySource int

const (
	// PlotlySibling (default) copies the local plotly.js next to the page
	// (as plotly-2.34.0.min.js, shared by all pages in that folder) and
	// loads it by relative path, so the folder renders offline and can be
	// moved as a whole. If the copy cannot be loaded the page falls back
	// to the CDN.
	PlotlySibling PlotlySource = iota
	// PlotlyInline embeds the library in the page: one self-contained
	// file, 3.6 MB larger.
	PlotlyInline
	// PlotlyCDNOnly references the CDN only; the page needs internet.
	PlotlyCDNOnly
)

// HTMLOptions tune WriteHTML and HTML.
type HTMLOptions struct {
	Title  string // page title (default: "figure")
	Source PlotlySource
	// PlotlyJS is the local plotly.min.js to copy or inline; empty means
	// FindPlotlyJS().
	PlotlyJS string
	// RequireLocal makes a missing local plotly.js an error. Otherwise a
	// PlotlySibling page is still written and relies on the CDN fallback
	// (and PlotlyInline degrades to PlotlySibling's fallback path).
	RequireLocal bool
	// Width and Height in pixels override the figure's layout size; 0
	// keeps it.
	Width, Height int
	// Static draws a picture without the toolbar or interactions (what
	// PNG export uses).
	Static bool
}

// ReadyAttr is set on <body> (data-plotly="drawn") once Plotly.newPlot has
// finished, so browser checks can tell a drawn page from a blank one.
const ReadyAttr = `data-plotly="drawn"`

// HTML returns a standalone page drawing fig. With PlotlySibling the page
// expects plotly-2.34.0.min.js next to it (WriteHTML puts it there).
func HTML(fig types.Fig, opts HTMLOptions) ([]byte, error) {
	figJSON, err := json.Marshal(fig)
	if err != nil {
		return nil, fmt.Errorf("plots: encoding figure: %w", err)
	}
	head := ""
	switch opts.Source {
	case PlotlyInline:
		src, err := resolvePlotly(opts)
		if err == nil {
			head, err = PlotlyInlineScript(src)
		}
		if err != nil {
			if opts.RequireLocal {
				return nil, err
			}
			head = "" // the loader below falls back to the CDN
		}
	case PlotlyCDNOnly:
		head = fmt.Sprintf("<script src=%q charset=\"utf-8\"></script>", PlotlyCDN)
	default:
		head = fmt.Sprintf("<script src=%q charset=\"utf-8\"></script>", plotlyFileName)
	}
	title := opts.Title
	if title == "" {
		title = "figure"
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>%s</title>
<style>html,body{margin:0;padding:0;background:#fff}</style>
%s
</head>
<body>
<div id="plot"></div>
<script>
(function () {
  var fig = %s;
  var size = [%d, %d];
  var static = %t;
  var cdn = %q;
  fig.layout = fig.layout || {};
  if (size[0] > 0) fig.layout.width = size[0];
  if (size[1] > 0) fig.layout.height = size[1];
  if (static) fig.config = Object.assign({}, fig.config, {staticPlot: true, displayModeBar: false});
  function draw() {
    Plotly.newPlot("plot", fig.data || [], fig.layout, fig.config || {}).then(function () {
      document.body.setAttribute("data-plotly", "drawn");
    });
  }
  if (window.Plotly) { draw(); return; }
  // Local copy missing or unreadable: try the CDN (works only online).
  var s = document.createElement("script");
  s.src = cdn;
  s.charset = "utf-8";
  s.onload = draw;
  s.onerror = function () {
    // A static page (PNG export) stays blank, which RenderPNG reports.
    if (static) return;
    document.getElementById("plot").textContent =
      "plotly.js could not be loaded: no local copy next to this page and no network. " +
      "Run scripts/setup_notebooks.sh and export again.";
  };
  document.head.appendChild(s);
})();
</script>
</body>
</html>
`, html.EscapeString(title), head, figJSON, opts.Width, opts.Height, opts.Static, PlotlyCDN)
	return b.Bytes(), nil
}

// WriteHTML writes a standalone page drawing fig to path, atomically. With
// the default PlotlySibling source it also copies plotly.js into the page's
// folder (once; an equal-size copy is reused), so the page renders with no
// internet.
func WriteHTML(fig types.Fig, path string, opts HTMLOptions) error {
	if opts.Source == PlotlySibling {
		src, err := resolvePlotly(opts)
		switch {
		case err == nil:
			if err := copyFileAtomic(src, filepath.Join(filepath.Dir(path), plotlyFileName)); err != nil {
				return err
			}
		case opts.RequireLocal:
			return err
		}
	}
	page, err := HTML(fig, opts)
	if err != nil {
		return err
	}
	return writeAtomic(path, page)
}

func resolvePlotly(opts HTMLOptions) (string, error) {
	if opts.PlotlyJS != "" {
		if _, err := os.Stat(opts.PlotlyJS); err != nil {
			return "", fmt.Errorf("plots: PlotlyJS: %w", err)
		}
		return opts.PlotlyJS, nil
	}
	return FindPlotlyJS()
}

// PlotlyInlineScript returns a <script> element holding the plotly.js file
// at path. The library is wrapped so that it always defines window.Plotly,
// even on pages with an AMD loader (RequireJS in Jupyter, where the bundle
// would otherwise register an anonymous module and leave Plotly undefined),
// and it does nothing if Plotly is already loaded.
func PlotlyInlineScript(path string) (string, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("plots: reading plotly.js: %w", err)
	}
	// "</script" inside the code would end the element early.
	js := strings.ReplaceAll(string(src), "</script", `<\/script`)
	var b strings.Builder
	b.Grow(len(js) + 200)
	b.WriteString("<script charset=\"utf-8\">\n/* plotly.js " + PlotlyVersion + " (MIT license), inlined */\n")
	b.WriteString("if (!window.Plotly) { (function (define, module, exports) {\n")
	b.WriteString(js)
	b.WriteString("\n}).call(window); }\n</script>")
	return b.String(), nil
}
