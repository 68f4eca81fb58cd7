package notebook

import (
	"fmt"
	"io"
	"os"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/protocol"
	"github.com/ozarkinn/inn/innlib/plots"
	"github.com/ozarkinn/inn/innlib/plots/gonbplot"
	"github.com/ozarkinn/inn/innlib/report"
)

// Show displays a table in the cell: as HTML, with the plain text beside it
// for front ends that show no HTML. Outside a notebook it prints the text
// to standard output. It panics on err (the builder's) or a failed display,
// so a cell can write notebook.Show(o.ParamTable("synthetic-1")).
func Show(t *report.Table, err error) {
	if err != nil {
		panic(err)
	}
	if !gonbui.IsNotebook {
		if err := t.WriteText(os.Stdout); err != nil {
			panic(err)
		}
		return
	}
	d, err := displayData(t)
	if err != nil {
		panic(err)
	}
	gonbui.SendData(d)
	// GoNB stops reading the display pipe when the cell's program exits;
	// Sync returns once it has handled everything sent before.
	gonbui.Sync()
	if err := gonbui.Error(); err != nil {
		panic(err)
	}
}

// displayData is the MIME bundle Show sends: the table as HTML and as text.
func displayData(t *report.Table) (*protocol.DisplayData, error) {
	h, err := t.HTML()
	if err != nil {
		return nil, err
	}
	txt, err := t.Text()
	if err != nil {
		return nil, err
	}
	return &protocol.DisplayData{Data: map[protocol.MIMEType]any{protocol.MIMETextHTML: h, protocol.MIMETextPlain: txt}}, nil
}

// PNGEnv names the environment variable that makes Plot also attach a
// static PNG to each figure's output ("1"); scripts/export_notebooks.sh
// sets it so that the exported pages show pictures.
const PNGEnv = "INNLIB_NOTEBOOK_PNG"

// Plot displays a figure in the cell (gonbplot.Display, plotly.js served
// locally), with a PNG of it in the same output when $INNLIB_NOTEBOOK_PNG
// is 1. Outside a notebook it prints a note instead. It panics on err
// (the builder's) or a failed display, so a cell can write
// notebook.Plot(o.Marginals("synthetic-1")).
func Plot(fig *plots.Figure, err error) {
	if err != nil {
		panic(err)
	}
	if !gonbui.IsNotebook {
		notShown(os.Stdout)
		return
	}
	if err := gonbplot.Display(fig, gonbplot.Options{WithPNG: os.Getenv(PNGEnv) == "1"}); err != nil {
		panic(err)
	}
}

func notShown(w io.Writer) {
	fmt.Fprintln(w, "(figure not shown: not running in a GoNB notebook; report.Write saves the figures as HTML)")
}
