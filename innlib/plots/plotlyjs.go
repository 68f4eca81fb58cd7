package plots

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Where plotly.js comes from. The library is never committed: the setup
// script (scripts/setup_notebooks.sh) installs the npm package
// plotly.js-dist-min at PlotlyVersion and copies its minified bundle to
// PlotlyRelPath under the repository root, a git-ignored folder.
const (
	// PlotlyVersion matches the schema go-plotly v0.7.0's grob was
	// generated from.
	PlotlyVersion = "2.34.0"
	// PlotlyCDN is only a fallback, for pages opened where the local copy
	// is missing and the network is reachable.
	PlotlyCDN = "https://cdn.plot.ly/plotly-" + PlotlyVersion + ".min.js"
	// PlotlyEnv names the environment variable that overrides the search
	// with the path of a plotly.min.js file.
	PlotlyEnv = "INNLIB_PLOTLYJS"
	// PlotlyRelPath is where the setup script puts the library, relative to
	// the repository root.
	PlotlyRelPath = "third_party/plotly/plotly.min.js"
	// plotlyFileName is the name of the copy written next to HTML pages;
	// the version in the name keeps pages of different versions apart.
	plotlyFileName = "plotly-" + PlotlyVersion + ".min.js"
)

// ErrNoPlotlyJS is returned when no local plotly.js can be found.
var ErrNoPlotlyJS = errors.New("plotly.js not found locally: run scripts/setup_notebooks.sh or set " + PlotlyEnv)

// FindPlotlyJS returns the path of the local plotly.min.js: $INNLIB_PLOTLYJS
// if set (an error if that file is missing, rather than silently using
// another copy), else the first third_party/plotly/plotly.min.js found
// walking up from the working directory and then from $GONB_DIR (a GoNB
// cell runs in a temporary directory; GONB_DIR is the notebook's folder).
func FindPlotlyJS() (string, error) {
	if p := os.Getenv(PlotlyEnv); p != "" {
		st, err := os.Stat(p)
		if err != nil {
			return "", fmt.Errorf("%s=%s: %w", PlotlyEnv, p, err)
		}
		if st.IsDir() {
			return "", fmt.Errorf("%s=%s is a directory, want the plotly.min.js file", PlotlyEnv, p)
		}
		return filepath.Abs(p)
	}
	var starts []string
	if wd, err := os.Getwd(); err == nil {
		starts = append(starts, wd)
	}
	if d := os.Getenv("GONB_DIR"); d != "" {
		starts = append(starts, d)
	}
	for _, dir := range starts {
		if p, ok := walkUp(dir, PlotlyRelPath); ok {
			return p, nil
		}
	}
	return "", ErrNoPlotlyJS
}

// walkUp looks for rel in dir and each of its parents.
func walkUp(dir, rel string) (string, bool) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", false
	}
	for {
		p := filepath.Join(dir, rel)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}
