// Package gonbplot shows innlib/plots figures in GoNB notebook cells with
// plotly.js served locally, so they render on machines without internet.
// It is separate from package plots so that plots does not depend on GoNB.
//
// A notebook uses the repository's code with a first cell such as (the
// module has no published version, so it is required at the zero
// pseudo-version and replaced by the checkout):
//
//	!*go mod edit -replace github.com/ozarkinn/inn=/work/main -require github.com/ozarkinn/inn@v0.0.0-00010101000000-000000000000
//
// and then, in a cell:
//
//	fig, err := plots.PosteriorMarginals(in)
//	if err != nil { panic(err) }
//	if err := gonbplot.Display(fig); err != nil { panic(err) }
//
// Modes:
//   - Interactive (default): the page loads plotly.js through the notebook
//     server, from <base>/files/<notebook folder>/<relative path to the
//     repository's third_party/plotly/plotly.min.js>; the path is computed
//     from $GONB_DIR (the notebook's folder) and the page's own URL, so it
//     works whatever folder the server was started in, as long as the file
//     is under the server's root. An exported HTML file beside the notebook
//     uses the same relative path. If that fails, the CDN is tried.
//   - Inline: the first figure of a kernel session carries the library
//     itself (3.6 MB, saved in the notebook); later cells reuse it. Use it
//     when the repository is outside the server's root.
//   - PNG: a static picture from headless Chromium (plots.RenderPNG),
//     which shows even in untrusted notebooks and on GitHub.
//
// Options.WithPNG adds such a picture to an interactive output (one output,
// two MIME types): front ends draw the interactive figure, exports that run
// no scripts (scripts/export_notebooks.sh) keep the picture.
//
// Checked on this project's machines (Debian 12, JupyterLab 4.6 from the
// project's venv, GoNB v0.11.1, no internet): the browser test
// (scripts/browsertest) runs every notebook in JupyterLab, where figures load
// /files/third_party/plotly/plotly.min.js, also from workspace URLs
// (/lab/workspaces/NAME/tree/...), and counts each figure's drawn traces;
// the tests here repeat the loading paths on file:// pages.
//
// HTML outputs with scripts run only in trusted notebooks: outputs of cells
// run in the session always show; a notebook saved with outputs and opened
// later needs `jupyter trust nb.ipynb`.
package gonbplot

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/MetalBlueberry/go-plotly/pkg/types"
	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/protocol"
	"github.com/ozarkinn/inn/innlib/plots"
)

// Mode selects how a figure reaches the notebook.
type Mode int

const (
	Interactive Mode = iota // plotly.js from the notebook server, CDN fallback
	Inline                  // plotly.js inlined once per kernel session
	PNG                     // static PNG rendered by headless Chromium
)

// Options tune Display. The zero value is Interactive with the figure's
// own size.
type Options struct {
	Mode Mode
	// Src is the URL of plotly.min.js as the browser sees it (e.g.
	// "/files/third_party/plotly/plotly.min.js"); it is tried first.
	Src string
	// Width and Height in pixels: the PNG size, or an override of the
	// figure's layout size; 0 keeps the figure's (PNG: 1200 × 800 if the
	// figure has none).
	Width, Height int
	// WithPNG, in the Interactive and Inline modes, puts a static PNG of
	// the figure (headless Chromium) in the same output as the interactive
	// one. Front ends show the interactive figure (HTML ranks above PNG);
	// exports that cannot run scripts (GitHub, Markdown pages) use the
	// picture.
	WithPNG bool
}

// ErrNotNotebook is returned when the program does not run under GoNB.
var ErrNotNotebook = errors.New("gonbplot: not running in a GoNB notebook cell")

// inlinedMarker, in GoNB's per-session temporary folder, records that the
// library was already sent inline (each cell is a new process, so the state
// must live on disk).
const inlinedMarker = ".innlib_plotly_inlined"

// Display shows fig in the current cell.
func Display(fig types.Fig, opts ...Options) error {
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	if !gonbui.IsNotebook {
		return ErrNotNotebook
	}
	if o.Mode == PNG {
		return DisplayPNG(fig, o.Width, o.Height)
	}
	html, err := HTML(fig, o)
	if err != nil {
		return err
	}
	data := map[protocol.MIMEType]any{protocol.MIMETextHTML: html}
	if o.WithPNG {
		img, err := plots.RenderPNG(fig, o.Width, o.Height)
		if err != nil {
			return err
		}
		data[protocol.MIMEImagePNG] = img
	}
	gonbui.SendData(&protocol.DisplayData{Data: data})
	// GoNB stops reading the display pipe when the cell's program exits, so a
	// large figure still in the pipe can be lost; Sync returns once GoNB has
	// handled everything sent before it.
	gonbui.Sync()
	if o.Mode == Inline {
		if dir := os.Getenv("GONB_TMP_DIR"); dir != "" {
			_ = os.WriteFile(filepath.Join(dir, inlinedMarker), nil, 0o644)
		}
	}
	return gonbui.Error()
}

// DisplayPNG renders fig to a PNG with headless Chromium and shows it.
func DisplayPNG(fig types.Fig, width, height int) error {
	if !gonbui.IsNotebook {
		return ErrNotNotebook
	}
	img, err := plots.RenderPNG(fig, width, height)
	if err != nil {
		return err
	}
	gonbui.DisplayPNG(img)
	gonbui.Sync() // see Display
	return gonbui.Error()
}

// HTML returns the cell output Display sends for the Interactive and
// Inline modes: a div and a script that loads plotly.js (unless the page
// already has it) and draws the figure.
func HTML(fig types.Fig, o Options) (string, error) {
	figJSON, err := json.Marshal(fig)
	if err != nil {
		return "", fmt.Errorf("gonbplot: encoding figure: %w", err)
	}
	var b strings.Builder
	if o.Mode == Inline && !alreadyInlined() {
		if js, err := plots.FindPlotlyJS(); err == nil {
			tag, err := plots.PlotlyInlineScript(js)
			if err != nil {
				return "", err
			}
			b.WriteString(tag)
			b.WriteString("\n")
		}
	}
	rel := ""
	if js, err := plots.FindPlotlyJS(); err == nil {
		if dir := os.Getenv("GONB_DIR"); dir != "" {
			if r, err := filepath.Rel(dir, js); err == nil {
				rel = filepath.ToSlash(r)
			}
		}
	}
	id := "innplot-" + gonbui.UniqueId()
	enc := func(s string) string { v, _ := json.Marshal(s); return string(v) }
	fmt.Fprintf(&b, "<div id=%s class=\"innlib-plot\"></div>\n<script charset=\"utf-8\">\n", enc(id))
	fmt.Fprintf(&b, loaderJS, figJSON, enc(id), o.Width, o.Height, enc(o.Src), enc(rel), enc(plots.PlotlyCDN))
	b.WriteString("</script>\n")
	return b.String(), nil
}

func alreadyInlined() bool {
	dir := os.Getenv("GONB_TMP_DIR")
	if dir == "" {
		return false
	}
	_, err := os.Stat(filepath.Join(dir, inlinedMarker))
	return err == nil
}

// loaderJS draws the figure once plotly.js is available. Sources, in order:
// Options.Src, the relative path resolved against the notebook's /files/
// URL (or the page itself for exported HTML and file:// pages), the CDN.
// Under RequireJS (classic Jupyter) the library must be loaded through
// require: as a plain <script> its UMD wrapper would register an anonymous
// AMD module and never set window.Plotly. One promise per page is shared by
// all cells, so the library loads once.
const loaderJS = `(function () {
  var fig = %s, id = %s, size = [%d, %d];
  var explicit = %s, rel = %s, cdn = %s;
  fig.layout = fig.layout || {};
  if (size[0] > 0) fig.layout.width = size[0];
  if (size[1] > 0) fig.layout.height = size[1];
  function sources() {
    var out = [];
    if (explicit) out.push(explicit);
    if (rel) {
      var loc = window.location, base = loc.href;
      var m = loc.pathname.match(/^(.*?)\/(notebooks|tree|edit|(?:lab|doc)(?:\/workspaces\/[^\/]+)?\/tree|voila\/render)\/(.*)$/);
      if (m && loc.protocol !== "file:") {
        base = loc.origin + m[1] + "/files/" + m[3].replace(/[^\/]*$/, "");
      }
      try { out.push(new URL(rel, base).href); } catch (e) {}
    }
    out.push(cdn);
    return out;
  }
  function fail(err) {
    var el = document.getElementById(id);
    if (el) el.textContent = "plotly.js could not be loaded (tried " + sources().join(", ") +
      "). Run scripts/setup_notebooks.sh, or use gonbplot.Options{Mode: gonbplot.Inline} or PNG.";
    if (err && window.console) console.error(err);
  }
  function load() {
    if (window.Plotly) return Promise.resolve(window.Plotly);
    if (window.__innlibPlotly) return window.__innlibPlotly;
    var srcs = sources();
    window.__innlibPlotly = new Promise(function (resolve, reject) {
      if (typeof requirejs === "function" && typeof define === "function" && define.amd) {
        requirejs.config({paths: {innlib_plotly: srcs.map(function (s) { return s.replace(/\.js$/, ""); })}});
        require(["innlib_plotly"], function (P) { window.Plotly = window.Plotly || P; resolve(P); }, reject);
        return;
      }
      (function next(i) {
        if (i >= srcs.length) { reject(new Error("no plotly.js source loaded")); return; }
        var s = document.createElement("script");
        s.src = srcs[i];
        s.charset = "utf-8";
        s.onload = function () { window.Plotly ? resolve(window.Plotly) : next(i + 1); };
        s.onerror = function () { s.remove(); next(i + 1); };
        document.head.appendChild(s);
      })(0);
    });
    window.__innlibPlotly.catch(function () { window.__innlibPlotly = null; });
    return window.__innlibPlotly;
  }
  load().then(function (P) {
    return P.newPlot(id, fig.data || [], fig.layout, fig.config || {});
  }).then(function () {
    var el = document.getElementById(id);
    if (el) el.setAttribute("data-plotly", "drawn");
  }, fail);
})();
`
