package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/ozarkinn/inn/innlib/pipeline"
	"github.com/ozarkinn/inn/innlib/plots"
	"github.com/ozarkinn/inn/innlib/report"
)

// Run runs the experiment (pipeline.Run), prints its summary to stdout and
// writes its figures (HTML, and PNG when png is set) next to results.json.
// The figures are drawn in the run's staging folder, so that they are part
// of the results that replace the previous ones in one step.
func Run(in pipeline.Inputs, cfg pipeline.Config, png bool, stdout io.Writer) error {
	if err := CheckFigures(png); err != nil {
		return err
	}
	var (
		files []string
		note  string
		secs  float64
	)
	cfg.Finish = func(dir string) (err error) {
		t0 := time.Now()
		files, note, err = report.Write(dir, report.WriteOptions{PNG: png})
		secs = time.Since(t0).Seconds()
		return err
	}
	stop := onInterrupt(cfg.OutDir, os.Stderr, os.Exit)
	res, _, err := pipeline.Run(in, cfg)
	stop()
	if err != nil {
		return err
	}
	pipeline.PrintSummary(stdout, res)
	if note != "" {
		fmt.Fprintln(stdout, note)
	}
	fmt.Fprintf(stdout, "figures: %d files in %s (%.1f s)\n", len(files), filepath.Join(cfg.OutDir, "figures"), secs)
	fmt.Fprintf(stdout, "results: %s\n", filepath.Join(cfg.OutDir, "results.json"))
	return nil
}

// CheckFigures checks, before anything runs, that PNG figures can be made
// when asked for: they need the local plotly.js (scripts/setup_notebooks.sh)
// and headless Chromium.
func CheckFigures(png bool) error {
	if !png {
		return nil
	}
	if _, err := plots.FindPlotlyJS(); err != nil {
		return fmt.Errorf("-png: %w", err)
	}
	if _, err := plots.FindChromium(); err != nil {
		return fmt.Errorf("-png: %w", err)
	}
	return nil
}
