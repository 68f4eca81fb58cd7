package plots

import (
	"fmt"
	"math"

	grob "github.com/MetalBlueberry/go-plotly/generated/v2.34.0/graph_objects"
	"github.com/MetalBlueberry/go-plotly/pkg/types"
)

// EmulationPanel is one year of the forward-emulation check.
type EmulationPanel struct {
	Label    string    // panel title, e.g. "2006"
	Model    []float64 // ELM output of each run (x axis)
	Emulator []float64 // emulator output for the same runs (y axis)
	// R2 is the coefficient of determination of Emulator against Model,
	// computed by the caller (this package does no statistics beyond KDEs).
	R2 float64
	// Validation, optional, marks held-out runs (drawn in a second colour);
	// nil draws every run alike.
	Validation []bool
}

// EmulationInput feeds EmulationScatter.
type EmulationInput struct {
	Title  string
	Panels []EmulationPanel
	// Range of both axes; zero means the paper's 30-90 W m-2.
	Min, Max float64
	XLabel   string // default "ELM LH (W m-2)"
	YLabel   string // default "INN LH (W m-2)"
	Columns  int    // panels per row (default: as many as fit MaxWidth at 200 px, 5)
}

// EmulationScatter draws the paper's Fig. 4: one panel per year with the
// emulator's output against the model's for each run, the 1:1 line, square
// axes over the same range (default 30-90 W m-2) and R² in the panel title.
// With Validation set, training and validation runs get different colours.
//
// Traces, in order, per panel: the points (training then validation when
// split), then the 1:1 line.
func EmulationScatter(in EmulationInput) (*Figure, error) {
	const fn = "EmulationScatter"
	if len(in.Panels) == 0 {
		return nil, inputErr(fn, "no panels")
	}
	lo, hi := in.Min, in.Max
	if lo == 0 && hi == 0 {
		lo, hi = 30, 90
	}
	if err := checkRange(fn, "axis", lo, hi); err != nil {
		return nil, err
	}
	for p, pan := range in.Panels {
		what := fmt.Sprintf("panel %d (%s)", p, pan.Label)
		if err := checkVec(fn, what+" Model", pan.Model, 0); err != nil {
			return nil, err
		}
		if err := checkVec(fn, what+" Emulator", pan.Emulator, len(pan.Model)); err != nil {
			return nil, err
		}
		if math.IsNaN(pan.R2) || math.IsInf(pan.R2, 0) {
			return nil, inputErr(fn, "%s R2 is %s", what, badValue(pan.R2))
		}
		if pan.Validation != nil && len(pan.Validation) != len(pan.Model) {
			return nil, inputErr(fn, "%s Validation has %d flags for %d runs", what, len(pan.Validation), len(pan.Model))
		}
	}
	xl, yl := in.XLabel, in.YLabel
	if xl == "" {
		xl = "ELM LH (W m-2)"
	}
	if yl == "" {
		yl = "INN LH (W m-2)"
	}
	n := len(in.Panels)
	// Square panels of 260 px, narrowed to fit MaxWidth; more panels than
	// fit at 200 px wrap into further rows.
	const side, minSide, frame = 260.0, 200.0, 100.0
	cols := in.Columns
	if cols <= 0 {
		cols = min(n, int(math.Floor((MaxWidth-frame)/minSide)))
	}
	cols = min(cols, n)
	rows := (n + cols - 1) / cols
	panel := min(side, (MaxWidth-frame)/float64(cols))
	// Between rows: the x tick labels and axis title of one row and the
	// panel titles of the next, in pixels, so they never overlap.
	const rowGap, margins = 90.0, 170.0
	plotH := panel*float64(rows) + rowGap*float64(rows-1)
	g := grid{rows: rows, cols: cols, hgap: 0.25 / float64(cols), vgap: rowGap / plotH}
	fig := NewFigure()
	fig.Layout = baseLayout(in.Title, panel*float64(cols)+frame, plotH+margins)
	legend := legendOnce{}
	for p, pan := range in.Panels {
		r, c := p/cols, p%cols
		x := &grob.LayoutXaxis{Range: []float64{lo, hi}, Title: xTitle(xl), Nticks: types.I(4)}
		y := &grob.LayoutYaxis{Range: []float64{lo, hi}, Nticks: types.I(4)}
		if c == 0 {
			y.Title = yTitle(yl)
		}
		xref, yref := fig.subplot(g, r, c, x, y)
		fig.panelTitle(g, r, c, fmt.Sprintf("%s  R² = %.3f", pan.Label, pan.R2))
		if pan.Validation == nil {
			tr := markerTrace("runs", pan.Model, pan.Emulator, SeriesColor(0), "circle", 4, 0.6, xref, yref)
			legend.apply(tr, "runs")
			fig.AddTraces(tr)
		} else {
			var tx, ty, vx, vy []float64
			for k, v := range pan.Validation {
				if v {
					vx, vy = append(vx, pan.Model[k]), append(vy, pan.Emulator[k])
				} else {
					tx, ty = append(tx, pan.Model[k]), append(ty, pan.Emulator[k])
				}
			}
			tr := markerTrace("training", tx, ty, SeriesColor(0), "circle", 4, 0.5, xref, yref)
			legend.apply(tr, "training")
			va := markerTrace("validation", vx, vy, SeriesColor(1), "circle", 4, 0.8, xref, yref)
			legend.apply(va, "validation")
			fig.AddTraces(tr, va)
		}
		one := lineTrace("1:1", []float64{lo, hi}, []float64{lo, hi}, refColor, "dash", 1, xref, yref)
		legend.apply(one, "1:1")
		fig.AddTraces(one)
	}
	return fig, nil
}
