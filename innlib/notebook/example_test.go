package notebook_test

import (
	"github.com/ozarkinn/inn/innlib/notebook"
	"github.com/ozarkinn/inn/innlib/plots"
	"github.com/ozarkinn/inn/innlib/report"
)

// Outside a notebook Show prints the plain-text table; in a GoNB cell it
// displays the HTML table.
func ExampleShow() {
	t := &report.Table{
		Header: []string{"parameter", "truth", "INN"},
		Rows:   [][]string{{"rootb_par", "1.59", "1.612 [1.25, 1.93]"}, {"flnr", "0.151", "0.142 [0.0912, 0.195]"}},
	}
	notebook.Show(t, nil)
	// Output:
	// parameter  truth                    INN
	// rootb_par   1.59     1.612 [1.25, 1.93]
	// flnr       0.151  0.142 [0.0912, 0.195]
}

// Outside a notebook Plot prints a note instead of the figure; in a GoNB
// cell it draws it (gonbplot.Display).
func ExamplePlot() {
	notebook.Plot(plots.NewFigure(), nil)
	// Output:
	// (figure not shown: not running in a GoNB notebook; report.Write saves the figures as HTML)
}
