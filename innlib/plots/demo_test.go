package plots

import (
	"os"
	"path/filepath"
	"testing"
)

// TestWriteDemo writes every figure as HTML and PNG into $INNLIB_PLOTS_DEMO
// for eyeballing; skipped unless that variable is set.
func TestWriteDemo(t *testing.T) {
	dir := os.Getenv("INNLIB_PLOTS_DEMO")
	if dir == "" {
		t.Skip("set INNLIB_PLOTS_DEMO=<dir> to write the demo figures")
	}
	figs, err := allFigures()
	if err != nil {
		t.Fatal(err)
	}
	for name, f := range figs {
		if err := WriteHTML(f, filepath.Join(dir, name+".html"), HTMLOptions{Title: name}); err != nil {
			t.Fatal(err)
		}
		if err := WritePNG(f, filepath.Join(dir, name+".png"), 0, 0); err != nil {
			t.Fatal(err)
		}
	}
}
