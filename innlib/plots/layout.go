package plots

import (
	grob "github.com/MetalBlueberry/go-plotly/generated/v2.34.0/graph_objects"
	"github.com/MetalBlueberry/go-plotly/pkg/types"
)

// Shared look and subplot placement for all builders.

// MaxWidth is the widest any builder draws a figure, in pixels. JupyterLab's
// output area in a 1,400-px window, with its file browser open beside the
// notebook (the default), is about 1,000 px wide; figures have a
// fixed width (not autosize) so that the notebook, an exported HTML page and
// a PNG show the same picture. Builders with many panels wrap or narrow
// their panels to stay within it, and baseLayout clamps whatever asks for
// more.
const MaxWidth = 960

// Colours: truth red as in the paper's figures. Series colours (ColorBrewer
// Dark2, reordered so that the first three, the methods, are far from the
// truth's red) also mark each method's MAP, so MAP lines of different
// methods differ in colour, not only in dash style.
const (
	TruthColor = "#d62728"
	// MAPColor is the MAP's colour where a figure shows one method only.
	MAPColor = "#1f55c8"
	refColor = "#444444"
)

var palette = []string{"#1b9e77", "#7570b3", "#a6761d", "#e6ab02", "#66a61e", "#d95f02", "#e7298a", "#666666"}

// SeriesColor is the colour of the i-th series (method, loss term, ...).
func SeriesColor(i int) string { return palette[i%len(palette)] }

// MAPLabel is the legend entry of a method's MAP lines.
func MAPLabel(method string) string { return "MAP (" + method + ")" }

// AxisLabel joins a quantity and its unit: "flnr (g N g-1 C)"; no unit, no
// parentheses.
func AxisLabel(name, unit string) string {
	if unit == "" {
		return name
	}
	return name + " (" + unit + ")"
}

// baseLayout is the white, compact style every builder starts from.
func baseLayout(title string, width, height float64) *grob.Layout {
	l := &grob.Layout{
		PaperBgcolor: "white",
		PlotBgcolor:  "white",
		Font:         &grob.LayoutFont{Size: types.N(12)},
		Width:        types.N(min(width, MaxWidth)),
		Height:       types.N(height),
		Margin:       &grob.LayoutMargin{L: types.N(70), R: types.N(30), T: types.N(titleMarginTop), B: types.N(100)},
		Showlegend:   types.True,
		// A horizontal legend along the bottom edge of the whole figure,
		// below the axis titles (which the bottom margin leaves room for).
		Legend: &grob.LayoutLegend{
			Orientation: grob.LayoutLegendOrientationH,
			X:           types.N(0), Y: types.N(0.01),
			Xanchor: grob.LayoutLegendXanchorLeft, Yanchor: grob.LayoutLegendYanchorBottom,
			Yref: grob.LayoutLegendYrefContainer,
		},
	}
	if title != "" {
		l.Title = &grob.LayoutTitle{Text: types.S(title), X: types.N(0.5)}
	}
	return l
}

// grid places rows × cols subplots on the paper. Subplot (r, c), r = 0 at the
// top, uses axis number r*cols+c+1. weights, when set, gives relative column
// widths (the joint-density column is wider).
type grid struct {
	rows, cols int
	hgap, vgap float64 // paper fraction between neighbouring panels
	weights    []float64
}

func (g grid) index(r, c int) int { return r*g.cols + c + 1 }

func (g grid) xDomain(c int) [2]float64 {
	w := g.weights
	if len(w) != g.cols {
		w = make([]float64, g.cols)
		for i := range w {
			w[i] = 1
		}
	}
	total := 0.0
	for _, v := range w {
		total += v
	}
	usable := 1 - g.hgap*float64(g.cols-1)
	x := 0.0
	for i := 0; i < c; i++ {
		x += usable*w[i]/total + g.hgap
	}
	return [2]float64{x, min(1, x+usable*w[c]/total)}
}

func (g grid) yDomain(r int) [2]float64 {
	h := (1 - g.vgap*float64(g.rows-1)) / float64(g.rows)
	top := 1 - float64(r)*(h+g.vgap)
	return [2]float64{max(0, top-h), top}
}

// subplot registers the axes of panel (r, c) with their domains and returns
// the trace references ("x7", "y7"). x and y may carry titles and ranges.
func (f *Figure) subplot(g grid, r, c int, x *grob.LayoutXaxis, y *grob.LayoutYaxis) (xref, yref string) {
	i := g.index(r, c)
	return f.place(i, g.xDomain(c), g.yDomain(r), x, y)
}

// place registers axis pair i with the given paper domains, styled, and
// returns the trace references.
func (f *Figure) place(i int, xd, yd [2]float64, x *grob.LayoutXaxis, y *grob.LayoutYaxis) (xref, yref string) {
	xref, yref = axisRef("x", i), axisRef("y", i)
	if x == nil {
		x = &grob.LayoutXaxis{}
	}
	if y == nil {
		y = &grob.LayoutYaxis{}
	}
	x.Domain = []float64{xd[0], xd[1]}
	x.Anchor = grob.LayoutXaxisAnchor(yref)
	y.Domain = []float64{yd[0], yd[1]}
	y.Anchor = grob.LayoutYaxisAnchor(xref)
	styleX(x)
	styleY(y)
	f.XAxes[i], f.YAxes[i] = x, y
	return xref, yref
}

// Tick labels use powers of ten (4×10⁴), never plotly's default SI-like
// prefixes ("40k", "150µ"), which read as units.
func styleX(x *grob.LayoutXaxis) {
	x.Exponentformat = grob.LayoutXaxisExponentformatPower
	x.Showline, x.Mirror, x.Ticks = types.True, grob.LayoutXaxisMirrorTrue, grob.LayoutXaxisTicksOutside
	x.Linecolor, x.Zeroline, x.Gridcolor = "#888", types.False, "#eee"
	x.Automargin = grob.LayoutXaxisAutomarginTrue
}

func styleY(y *grob.LayoutYaxis) {
	y.Exponentformat = grob.LayoutYaxisExponentformatPower
	y.Showline, y.Mirror, y.Ticks = types.True, grob.LayoutYaxisMirrorTrue, grob.LayoutYaxisTicksOutside
	y.Linecolor, y.Zeroline, y.Gridcolor = "#888", types.False, "#eee"
	y.Automargin = grob.LayoutYaxisAutomarginTrue
}

func xTitle(text string) *grob.LayoutXaxisTitle {
	if text == "" {
		return nil
	}
	return &grob.LayoutXaxisTitle{Text: types.S(text)}
}

func yTitle(text string) *grob.LayoutYaxisTitle {
	if text == "" {
		return nil
	}
	return &grob.LayoutYaxisTitle{Text: types.S(text)}
}

// panelTitle puts a centred title above subplot (r, c).
func (f *Figure) panelTitle(g grid, r, c int, text string) {
	f.titleAt(g.xDomain(c), g.yDomain(r), text)
}

// titleAt puts a centred title above the panel with the given domains.
func (f *Figure) titleAt(xd, yd [2]float64, text string) {
	f.Layout.Annotations = append(f.Layout.Annotations, grob.LayoutAnnotation{
		Text: types.S(text), Showarrow: types.False,
		X: (xd[0] + xd[1]) / 2, Y: yd[1],
		Xref: grob.LayoutAnnotationXrefPaper, Yref: grob.LayoutAnnotationYrefPaper,
		Xanchor: grob.LayoutAnnotationXanchorCenter, Yanchor: grob.LayoutAnnotationYanchorBottom,
		Yshift: types.N(4), Font: &grob.LayoutAnnotationFont{Size: types.N(12)},
	})
}

// lineTrace is a plain line on the given axes.
func lineTrace(name string, x, y []float64, color, dash string, width float64, xref, yref string) *grob.Scatter {
	return &grob.Scatter{
		Name: types.S(name), Mode: grob.ScatterModeLines,
		X: types.DataArray(x), Y: types.DataArray(y),
		Line:  &grob.ScatterLine{Color: types.Color(color), Dash: types.S(dash), Width: types.N(width)},
		Xaxis: types.S(xref), Yaxis: types.S(yref),
	}
}

// markerTrace is a scatter of points on the given axes.
func markerTrace(name string, x, y []float64, color, symbol string, size, opacity float64, xref, yref string) *grob.Scatter {
	m := &grob.ScatterMarker{
		Color:   types.ArrayOKValue(types.UseColor(types.Color(color))),
		Size:    types.ArrayOKValue(types.N(size)),
		Opacity: types.ArrayOKValue(types.N(opacity)),
	}
	if symbol != "" {
		m.Symbol = types.ArrayOKValue(grob.ScatterMarkerSymbol(symbol))
	}
	return &grob.Scatter{
		Name: types.S(name), Mode: grob.ScatterModeMarkers,
		X: types.DataArray(x), Y: types.DataArray(y), Marker: m,
		Xaxis: types.S(xref), Yaxis: types.S(yref),
	}
}

// legendOnce shows a legend entry for the first trace of a group only, so a
// 24-panel grid has one "truth" entry, not 24.
type legendOnce map[string]bool

func (seen legendOnce) apply(s *grob.Scatter, group string) {
	s.Legendgroup = types.S(group)
	if seen[group] {
		s.Showlegend = types.False
	} else {
		s.Showlegend = types.True
	}
	seen[group] = true
}

// segments builds one polyline with gaps (null) between pieces, so many short
// lines (e.g. a MAP mark per year) are one trace.
func segments(pieces [][2][2]float64) (x, y []any) {
	for i, p := range pieces {
		if i > 0 {
			x, y = append(x, nil), append(y, nil)
		}
		x = append(x, p[0][0], p[1][0])
		y = append(y, p[0][1], p[1][1])
	}
	return x, y
}

// linspace returns n evenly spaced points from lo to hi inclusive.
func linspace(lo, hi float64, n int) []float64 {
	out := make([]float64, n)
	if n == 1 {
		out[0] = lo
		return out
	}
	step := (hi - lo) / float64(n-1)
	for i := range out {
		out[i] = lo + float64(i)*step
	}
	out[n-1] = hi
	return out
}
