package report

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/ozarkinn/inn/innlib/plots"
)

// WriteOptions controls Write.
type WriteOptions struct {
	PNG bool // Also screenshot each figure to PNG with headless Chromium.
}

// Write builds the figures of the output folder dir and writes each as
// standalone HTML (plotly.js copied next to the pages, so they render
// offline) and, when asked and Chromium is installed, as PNG, under
// dir/figures. It returns the files written and a note when PNGs were skipped.
func Write(dir string, opts WriteOptions) (files []string, note string, err error) {
	if dir == "" {
		return nil, "", fmt.Errorf("report: no output folder given")
	}
	figs, err := Figures(dir)
	if err != nil {
		return nil, "", err
	}
	out := filepath.Join(dir, "figures")
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, "", err
	}
	png := opts.PNG
	if png {
		if _, err := plots.FindChromium(); err != nil {
			png, note = false, "PNG figures skipped: "+err.Error()
		}
	}
	for _, f := range figs {
		html := filepath.Join(out, f.Name+".html")
		if err := plots.WriteHTML(f.Fig, html, plots.HTMLOptions{Title: f.Title}); err != nil {
			if errors.Is(err, plots.ErrNoPlotlyJS) {
				// Without the local copy the page loads plotly.js from the CDN.
				if err := plots.WriteHTML(f.Fig, html, plots.HTMLOptions{Title: f.Title, Source: plots.PlotlyCDNOnly}); err != nil {
					return files, note, fmt.Errorf("report: %s: %w", f.Name, err)
				}
				note = "plotly.js not installed (scripts/setup_notebooks.sh): the HTML figures load it from the CDN"
				png = false
			} else {
				return files, note, fmt.Errorf("report: %s: %w", f.Name, err)
			}
		}
		files = append(files, html)
		if png {
			p := filepath.Join(out, f.Name+".png")
			if err := plots.WritePNG(f.Fig, p, 0, 0); err != nil {
				return files, note, fmt.Errorf("report: %s: %w", f.Name, err)
			}
			files = append(files, p)
		}
	}
	return files, note, nil
}

func sortedKeys(m map[string][]float64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
