package plots

import (
	"fmt"
	"math"

	grob "github.com/MetalBlueberry/go-plotly/generated/v2.34.0/graph_objects"
	"github.com/MetalBlueberry/go-plotly/pkg/types"
)

// Series is one line or point set of a Panel. A NaN in X or Y breaks the
// line there, so many short paths (the lines of a warped grid) are one
// series.
type Series struct {
	Name   string
	X, Y   []float64
	Points bool    // markers instead of a line
	Color  string  // default: SeriesColor of the series' index in the panel
	Dash   string  // line dash ("dot", "dash"); "" is solid
	Size   float64 // marker size or line width; 0: 3 for points, 2 for lines
}

// Heat is a heat map under a Panel's series: Z[i][j] is the value at
// (X[j], Y[i]).
type Heat struct {
	Name string
	X, Y []float64
	Z    [][]float64
}

// Panel is one subplot of Panels.
type Panel struct {
	Title, XLabel, YLabel string
	Series                []Series
	Heat                  *Heat
	// Square makes one unit on x as long as one on y (scatter plots of 2-D
	// points, warped grids).
	Square bool
	// XRange and YRange fix the axes ([lo, hi]); nil lets plotly choose.
	XRange, YRange []float64
}

// Panels is the small-multiples figure the teaching notebooks draw their own
// pictures with: cols panels per row, each with lines, points and an
// optional heat map. A series name appears once in the legend however many
// panels use it. width and height are the figure's size in pixels (0: 960
// wide, 380 per row).
func Panels(title string, cols, width, height int, panels ...Panel) (*Figure, error) {
	const fn = "Panels"
	if len(panels) == 0 {
		return nil, inputErr(fn, "no panels")
	}
	if cols < 1 {
		return nil, inputErr(fn, "cols is %d, want at least 1", cols)
	}
	cols = min(cols, len(panels))
	rows := (len(panels) + cols - 1) / cols
	for p, pan := range panels {
		for s, se := range pan.Series {
			if len(se.X) != len(se.Y) {
				return nil, inputErr(fn, "panel %d series %d (%q): %d x values, %d y values", p, s, se.Name, len(se.X), len(se.Y))
			}
			for i := range se.X {
				if math.IsInf(se.X[i], 0) || math.IsInf(se.Y[i], 0) {
					return nil, inputErr(fn, "panel %d series %d (%q): point %d is infinite", p, s, se.Name, i)
				}
			}
		}
		if h := pan.Heat; h != nil {
			if len(h.Z) != len(h.Y) {
				return nil, inputErr(fn, "panel %d heat map: %d rows of Z for %d y values", p, len(h.Z), len(h.Y))
			}
			for i, row := range h.Z {
				if len(row) != len(h.X) {
					return nil, inputErr(fn, "panel %d heat map: row %d of Z has %d values for %d x values", p, i, len(row), len(h.X))
				}
				for j, v := range row {
					if math.IsNaN(v) || math.IsInf(v, 0) {
						return nil, inputErr(fn, "panel %d heat map: Z[%d][%d] is %s", p, i, j, badValue(v))
					}
				}
			}
		}
		for _, r := range [][]float64{pan.XRange, pan.YRange} {
			if r != nil && (len(r) != 2 || !(r[0] < r[1])) {
				return nil, inputErr(fn, "panel %d: axis range %v, want [lo, hi] with lo < hi", p, r)
			}
		}
	}
	if width <= 0 {
		width = 960
	}
	if height <= 0 {
		height = 380 * rows
	}
	g := grid{rows: rows, cols: cols, hgap: 0.07, vgap: 0.3 / float64(rows)}
	fig := NewFigure()
	fig.Layout = baseLayout(title, float64(width), float64(height))
	legend := legendOnce{}
	for p, pan := range panels {
		r, c := p/cols, p%cols
		x := &grob.LayoutXaxis{Title: xTitle(pan.XLabel), Range: pan.XRange}
		y := &grob.LayoutYaxis{Title: yTitle(pan.YLabel), Range: pan.YRange}
		xref, yref := fig.subplot(g, r, c, x, y)
		if pan.Square {
			y.Scaleanchor, y.Scaleratio = grob.LayoutYaxisScaleanchor(xref), types.N(1)
		}
		if pan.Title != "" {
			fig.panelTitle(g, r, c, pan.Title)
		}
		if h := pan.Heat; h != nil {
			fig.AddTraces(&grob.Heatmap{
				Name: types.S(h.Name), X: types.DataArray(h.X), Y: types.DataArray(h.Y), Z: types.DataArray(h.Z),
				Colorscale: &types.ColorScale{Name: "Viridis"}, Showscale: types.False,
				Xaxis: types.S(xref), Yaxis: types.S(yref),
			})
		}
		for s, se := range pan.Series {
			color := se.Color
			if color == "" {
				color = SeriesColor(s)
			}
			var tr *grob.Scatter
			if se.Points {
				tr = markerTrace(se.Name, nil, nil, color, "circle", or(se.Size, 3), 0.6, xref, yref)
			} else {
				tr = lineTrace(se.Name, nil, nil, color, se.Dash, or(se.Size, 2), xref, yref)
			}
			tr.X, tr.Y = types.DataArray(withBreaks(se.X)), types.DataArray(withBreaks(se.Y))
			if se.Name == "" {
				tr.Showlegend = types.False
			} else {
				legend.apply(tr, se.Name)
			}
			fig.AddTraces(tr)
		}
	}
	return fig, nil
}

// withBreaks writes NaN as null, plotly's break in a line.
func withBreaks(v []float64) []any {
	out := make([]any, len(v))
	for i, f := range v {
		if !math.IsNaN(f) {
			out[i] = f
		}
	}
	return out
}

func or(v, def float64) float64 {
	if v == 0 {
		return def
	}
	return v
}

// Polylines joins paths (each a list of [x, y] points) into one series' X
// and Y, separated by NaN breaks: a grid's lines as one series.
func Polylines(paths [][][]float64) (x, y []float64) {
	for i, path := range paths {
		if i > 0 {
			x, y = append(x, math.NaN()), append(y, math.NaN())
		}
		for _, p := range path {
			x, y = append(x, p[0]), append(y, p[1])
		}
	}
	return x, y
}

// String names a series for error messages and debugging.
func (s Series) String() string { return fmt.Sprintf("%s (%d points)", s.Name, len(s.X)) }

// StepHistogram is the density histogram of v over [lo, hi] in bins equal
// bins, as the outline of its bars (x, y), ready for a Series. Values
// outside [lo, hi] are left out, so the outline's area is the fraction of v
// inside.
func StepHistogram(v []float64, lo, hi float64, bins int) (x, y []float64) {
	if bins < 1 || !(hi > lo) {
		return nil, nil
	}
	count := make([]float64, bins)
	w := (hi - lo) / float64(bins)
	for _, f := range v {
		if f < lo || f > hi || math.IsNaN(f) {
			continue
		}
		count[min(int((f-lo)/w), bins-1)]++
	}
	norm := 1 / (float64(max(len(v), 1)) * w)
	x, y = []float64{lo}, []float64{0}
	for b, c := range count {
		l, r := lo+float64(b)*w, lo+float64(b+1)*w
		x, y = append(x, l, r), append(y, c*norm, c*norm)
	}
	return append(x, hi), append(y, 0)
}
