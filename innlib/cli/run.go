package cli

import (
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/ozarkinn/inn/innlib/pipeline"
	"github.com/ozarkinn/inn/innlib/report"
)

// Run runs the experiment (pipeline.Run), prints its summary to stdout and
// writes its figures (HTML, and PNG when png is set) next to results.json.
func Run(in pipeline.Inputs, cfg pipeline.Config, png bool, stdout io.Writer) error {
	res, _, err := pipeline.Run(in, cfg)
	if err != nil {
		return err
	}
	pipeline.PrintSummary(stdout, res)
	t0 := time.Now()
	files, note, err := report.Write(cfg.OutDir, report.WriteOptions{PNG: png})
	if err != nil {
		return err
	}
	if note != "" {
		fmt.Fprintln(stdout, note)
	}
	fmt.Fprintf(stdout, "figures: %d files in %s (%.1f s)\n", len(files), filepath.Join(cfg.OutDir, "figures"), time.Since(t0).Seconds())
	fmt.Fprintf(stdout, "results: %s\n", filepath.Join(cfg.OutDir, "results.json"))
	return nil
}
