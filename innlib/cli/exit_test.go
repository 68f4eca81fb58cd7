package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ozarkinn/inn/innlib/plots"
)

// -h is a success; any other error is reported with the command's name.
func TestExit(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	help := fs.Parse([]string{"-h"})
	var w strings.Builder
	if c := Exit("x", help, &w); c != 0 || w.Len() != 0 {
		t.Errorf("-h: exit %d, printed %q", c, w.String())
	}
	if c := Exit("x", nil, &w); c != 0 {
		t.Errorf("no error: exit %d", c)
	}
	if c := Exit("x", fmt.Errorf("reading: %w", errors.New("boom")), &w); c != 1 || w.String() != "x: reading: boom\n" {
		t.Errorf("error: exit %d, printed %q", c, w.String())
	}
}

// -png fails before anything runs when plotly.js is missing.
func TestCheckFigures(t *testing.T) {
	t.Setenv(plots.PlotlyEnv, filepath.Join(t.TempDir(), "missing.js"))
	if err := CheckFigures(false); err != nil {
		t.Errorf("no PNG asked: %v", err)
	}
	if err := CheckFigures(true); err == nil || !strings.Contains(err.Error(), "-png: "+plots.PlotlyEnv) {
		t.Errorf("-png without plotly.js: %v", err)
	}
}
