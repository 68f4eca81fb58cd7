package plots

import (
	"fmt"
	"math"

	grob "github.com/MetalBlueberry/go-plotly/generated/v2.34.0/graph_objects"
	"github.com/MetalBlueberry/go-plotly/pkg/types"
)

// Param is one calibrated parameter: its ELM name, unit and prior box
// [Lo, Hi] (uniform prior), which is also the x range of its panels.
type Param struct {
	Name   string // e.g. "slatop"
	Unit   string // e.g. "m2 gC-1"; empty for dimensionless
	Lo, Hi float64
}

// MethodSamples is one posterior, one row of the grid.
type MethodSamples struct {
	Name    string      // row label, e.g. "INN", "cINN", "MCMC"
	Samples [][]float64 // posterior draws: Samples[k][j] is parameter j of draw k
	MAP     []float64   // optional MAP estimate (blue line); nil for none
}

// JointKind selects how the joint-density panel is drawn.
type JointKind int

const (
	JointContour   JointKind = iota // filled contours of a 2-D Gaussian KDE
	JointHistogram                  // 2-D histogram (plotly histogram2d heatmap)
)

// Joint asks for a last column with the joint density of parameters X and Y
// (indices into MarginalsInput.Params; the paper shows slatop vs flnr).
type Joint struct {
	X, Y int
	Kind JointKind
	// Points per axis of the KDE grid (default 60) or histogram bins (40).
	Resolution int
	// ZoomToSamples spans the panel over the draws of that row instead of
	// the prior box, for posteriors much narrower than the prior.
	ZoomToSamples bool
}

// MarginalsInput feeds PosteriorMarginals.
type MarginalsInput struct {
	Title   string
	Params  []Param
	Methods []MethodSamples // rows, in this order; only the given ones appear
	Truth   []float64       // optional true parameters (red lines); nil for real data
	Joint   *Joint          // optional joint-density panel, right of each method's block
	// Columns is the number of parameter panels per row (default 4): a
	// method's parameters wrap into rows of this many, so the figure fits
	// MaxWidth whatever the number of parameters.
	Columns int
	// GridPoints is the number of KDE evaluation points across each prior
	// box (default 200).
	GridPoints int
	Bandwidth  Bandwidth // KDE bandwidth rule (default Scott, as seaborn)
}

// PosteriorMarginals draws the paper's Fig. 1, 3 and 5: a block of panels
// per method, one panel per parameter, wrapped into rows of Columns (default
// 4: eight parameters make two rows of four), each panel the KDE of that
// parameter's posterior draws over its prior box (x axis = prior range, so
// how much the data narrowed the prior is visible). Densities are shown
// relative to the uniform prior (density × box width, so the prior is 1),
// which keeps every panel's y axis in plain numbers whatever the
// parameter's unit. A red vertical line marks the true value and a dashed
// line in the method's own (darkened) colour its MAP, named "MAP (method)"
// in the legend. With Joint set a panel right of each block, spanning its
// rows, shows the joint density of two parameters (filled KDE contours or a
// 2-D histogram) with truth and MAP as markers. The figure is MaxWidth wide.
//
// Traces, in order, per method: one KDE curve per parameter, then (if
// Truth) one truth line per parameter, then (if MAP) one MAP line per
// parameter, then (if Joint) the density trace, a truth marker and a MAP
// marker when given. Axis pair r*(d+1)+j+1 (r*d+j+1 without Joint) is
// parameter j of method r; the joint panel is j = d.
func PosteriorMarginals(in MarginalsInput) (*Figure, error) {
	const fn = "PosteriorMarginals"
	d := len(in.Params)
	if d == 0 {
		return nil, inputErr(fn, "no parameters")
	}
	if len(in.Methods) == 0 {
		return nil, inputErr(fn, "no methods (rows)")
	}
	names := make([]string, d)
	for j, p := range in.Params {
		if p.Name == "" {
			return nil, inputErr(fn, "parameter %d has no name", j)
		}
		if err := checkRange(fn, fmt.Sprintf("prior of %s", p.Name), p.Lo, p.Hi); err != nil {
			return nil, err
		}
		names[j] = p.Name
	}
	if err := checkOptVec(fn, "Truth", in.Truth, d); err != nil {
		return nil, err
	}
	for _, m := range in.Methods {
		if m.Name == "" {
			return nil, inputErr(fn, "a method has no name")
		}
		if err := checkMat(fn, fmt.Sprintf("samples of %q", m.Name), m.Samples, d, 2, names); err != nil {
			return nil, err
		}
		if err := checkOptVec(fn, fmt.Sprintf("MAP of %q", m.Name), m.MAP, d); err != nil {
			return nil, err
		}
	}
	if j := in.Joint; j != nil {
		if j.X < 0 || j.X >= d || j.Y < 0 || j.Y >= d || j.X == j.Y {
			return nil, inputErr(fn, "joint parameters %d and %d must be two different indices in [0, %d)", j.X, j.Y, d)
		}
	}
	gridN := in.GridPoints
	if gridN <= 0 {
		gridN = 200
	}
	if gridN < 2 {
		gridN = 2
	}

	lay := newMarginalsLayout(d, len(in.Methods), in.Columns, in.Joint != nil)
	fig := NewFigure()
	fig.Layout = baseLayout(in.Title, lay.width, lay.height)
	fig.Layout.Margin.T = types.N(lay.top)
	fig.Layout.Margin.B = types.N(lay.bottom)
	if in.Joint != nil {
		fig.Layout.Margin.R = types.N(80) // the joint panel's y axis is on the right
	}
	fig.Layout.Annotations = append(fig.Layout.Annotations, grob.LayoutAnnotation{
		Text:      types.S("y: posterior density × prior width (the uniform prior is 1)"),
		Showarrow: types.False, X: 1, Y: 1, Yshift: types.N(30), Xref: grob.LayoutAnnotationXrefPaper, Yref: grob.LayoutAnnotationYrefPaper,
		Xanchor: grob.LayoutAnnotationXanchorRight, Yanchor: grob.LayoutAnnotationYanchorBottom,
		Font: &grob.LayoutAnnotationFont{Size: types.N(11), Color: refColor},
	})
	legend := legendOnce{}

	for r, m := range in.Methods {
		c := SeriesColor(r)
		peak := make([]float64, d) // for the height of the truth/MAP lines
		refs := make([][2]string, d)
		for j, p := range in.Params {
			x := &grob.LayoutXaxis{Range: []float64{p.Lo, p.Hi}, Nticks: types.I(3)}
			xd, yd := lay.panel(r, j)
			y := &grob.LayoutYaxis{Rangemode: grob.LayoutYaxisRangemodeTozero, Nticks: types.I(4)}
			if lay.firstColumn(j) {
				y.Title = yTitle("<b>" + m.Name + "</b>")
			}
			xref, yref := fig.place(lay.axis(r, j), xd, yd, x, y)
			plainTicks(x, p.Lo, p.Hi)
			refs[j] = [2]string{xref, yref}
			if r == 0 || lay.wraps() {
				// Name and unit on two lines: at MaxWidth a panel is about 90 px wide.
				title := p.Name
				if p.Unit != "" {
					title += "<br>(" + p.Unit + ")"
				}
				fig.titleAt(xd, yd, title)
			}
			gx := linspace(p.Lo, p.Hi, gridN)
			dens, err := KDE1D(column(m.Samples, j), gx, in.Bandwidth)
			if err != nil {
				return nil, fmt.Errorf("plots.%s: %s, %s: %w", fn, m.Name, p.Name, err)
			}
			// Relative to the uniform prior: 1 means "as likely as the
			// prior", whatever the parameter's unit and scale.
			for i := range dens {
				dens[i] *= p.Hi - p.Lo
				peak[j] = max(peak[j], dens[i])
			}
			tr := lineTrace(m.Name, gx, dens, c, "solid", 1.8, xref, yref)
			tr.Fill, tr.Fillcolor = grob.ScatterFillTozeroy, types.Color(c+"33")
			legend.apply(tr, "method:"+m.Name)
			fig.AddTraces(tr)
		}
		vlines := func(vals []float64, label, color, dash string) {
			for j, v := range vals {
				top := peak[j] * 1.05
				if top <= 0 {
					top = 1
				}
				tr := lineTrace(label, []float64{v, v}, []float64{0, top}, color, dash, 2, refs[j][0], refs[j][1])
				legend.apply(tr, label)
				fig.AddTraces(tr)
			}
		}
		if in.Truth != nil {
			vlines(in.Truth, "truth", TruthColor, "solid")
		}
		if m.MAP != nil {
			vlines(m.MAP, MAPLabel(m.Name), mapColor(c), "dash")
		}
		if in.Joint != nil {
			if err := addJoint(fig, lay, r, d, in, m, legend); err != nil {
				return nil, err
			}
		}
	}
	return fig, nil
}

// plainTicks writes large parameter values in full with thousands
// separators (36,000 rather than 3.6×10⁴), which fit the narrow panels
// without tilting; three ticks leave room for them.
func plainTicks(x *grob.LayoutXaxis, lo, hi float64) {
	if m := max(math.Abs(lo), math.Abs(hi)); m >= 1e4 && m < 1e7 {
		x.Exponentformat, x.Separatethousands, x.Nticks = grob.LayoutXaxisExponentformatNone, types.True, types.I(3)
	}
}

// mapColor is the colour of a method's MAP marks: the method's own colour,
// darkened so that the mark stands out on the method's filled density.
func mapColor(series string) string {
	var r, g, b int
	if _, err := fmt.Sscanf(series, "#%02x%02x%02x", &r, &g, &b); err != nil {
		return series
	}
	const k = 0.7
	return fmt.Sprintf("#%02x%02x%02x", int(float64(r)*k), int(float64(g)*k), int(float64(b)*k))
}

// marginalsLayout places the panels of PosteriorMarginals. Each method is a
// block of ceil(d / cols) panel rows of at most cols parameters, so an
// 8-parameter posterior is two rows of four, not one row of eight; the
// joint panel, when asked for, sits right of the block and spans its rows.
// Sizes are in pixels and converted to paper fractions.
type marginalsLayout struct {
	d, methods, cols, rowsPer int
	joint                     bool
	width, height             float64
	top, bottom               float64 // margins
	plotW, plotH              float64 // the plotting area
	panelW, jointW            float64
}

// Panel sizes and gaps in pixels.
const (
	margPanelH   = 150.0 // height of one marginal panel
	margRowGap   = 66.0  // between panel rows of one method: tick labels and the next row's two-line titles
	margBlockGap = 76.0  // between methods
	margHGap     = 50.0  // between panel columns: room for the edge ticks of both neighbours
	margJointGap = 70.0  // before the joint panel (its neighbours' tick labels)
	margDefCols  = 4     // parameters per row by default
)

func newMarginalsLayout(d, methods, cols int, joint bool) marginalsLayout {
	if cols <= 0 {
		cols = margDefCols
	}
	cols = min(cols, d)
	l := marginalsLayout{d: d, methods: methods, cols: cols, rowsPer: (d + cols - 1) / cols, joint: joint, top: 95, bottom: 110}
	// Left margin 70, right 30 (80 with the joint's right-hand axis).
	side := 100.0
	if joint {
		side = 150
	}
	l.width = MaxWidth
	l.plotW = l.width - side
	avail := l.plotW - margHGap*float64(cols-1)
	if joint {
		// The joint panel is as wide as the block is tall (square), but
		// at most 30% of the row, so the marginals keep room at MaxWidth.
		blockH := margPanelH*float64(l.rowsPer) + margRowGap*float64(l.rowsPer-1)
		l.jointW = min(blockH, 0.3*l.plotW)
		avail -= l.jointW + margJointGap
	}
	l.panelW = avail / float64(cols)
	rows := methods * l.rowsPer
	l.plotH = margPanelH*float64(rows) + margRowGap*float64(methods*(l.rowsPer-1)) + margBlockGap*float64(methods-1)
	l.height = l.plotH + l.top + l.bottom
	return l
}

// wraps says whether a method's parameters take more than one row.
func (l marginalsLayout) wraps() bool { return l.rowsPer > 1 }

func (l marginalsLayout) firstColumn(j int) bool { return j%l.cols == 0 }

// axis is the axis number of parameter j of method r; the joint panel of
// method r is parameter d.
func (l marginalsLayout) axis(r, j int) int {
	per := l.d
	if l.joint {
		per++
	}
	return r*per + j + 1
}

// rowTop is the top of panel row k of method r, in pixels from the top of
// the plotting area.
func (l marginalsLayout) rowTop(r, k int) float64 {
	return float64(r)*(float64(l.rowsPer)*margPanelH+float64(l.rowsPer-1)*margRowGap+margBlockGap) +
		float64(k)*(margPanelH+margRowGap)
}

func (l marginalsLayout) yDomain(topPx, hPx float64) [2]float64 {
	return [2]float64{max(0, 1-(topPx+hPx)/l.plotH), min(1, 1-topPx/l.plotH)}
}

// panel returns the domains of parameter j's panel in method r's block.
func (l marginalsLayout) panel(r, j int) (xd, yd [2]float64) {
	k, c := j/l.cols, j%l.cols
	x0 := float64(c) * (l.panelW + margHGap)
	xd = [2]float64{x0 / l.plotW, min(1, (x0+l.panelW)/l.plotW)}
	return xd, l.yDomain(l.rowTop(r, k), margPanelH)
}

// jointPanel returns the domains of method r's joint panel.
func (l marginalsLayout) jointPanel(r int) (xd, yd [2]float64) {
	h := float64(l.rowsPer)*margPanelH + float64(l.rowsPer-1)*margRowGap
	return [2]float64{1 - l.jointW/l.plotW, 1}, l.yDomain(l.rowTop(r, 0), h)
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// addJoint fills the last column of row r with the joint density.
func addJoint(fig *Figure, lay marginalsLayout, r, d int, in MarginalsInput, m MethodSamples, legend legendOnce) error {
	jt := in.Joint
	px, py := in.Params[jt.X], in.Params[jt.Y]
	xs, ys := column(m.Samples, jt.X), column(m.Samples, jt.Y)
	xlo, xhi, ylo, yhi := px.Lo, px.Hi, py.Lo, py.Hi
	if jt.ZoomToSamples {
		xlo, xhi = sampleRange(xs, px.Lo, px.Hi)
		ylo, yhi = sampleRange(ys, py.Lo, py.Hi)
	}
	x := &grob.LayoutXaxis{Range: []float64{xlo, xhi}, Nticks: types.I(4), Title: xTitle(AxisLabel(px.Name, px.Unit))}
	// Its y axis goes on the right, where no neighbouring panel is in the
	// way of the tick labels and title.
	y := &grob.LayoutYaxis{Range: []float64{ylo, yhi}, Nticks: types.I(4), Title: yTitle(AxisLabel(py.Name, py.Unit))}
	xd, yd := lay.jointPanel(r)
	xref, yref := fig.place(lay.axis(r, d), xd, yd, x, y)
	y.Side = grob.LayoutYaxisSideRight
	if r == 0 {
		fig.titleAt(xd, yd, px.Name+" vs "+py.Name)
	}
	res := jt.Resolution
	switch jt.Kind {
	case JointHistogram:
		if res <= 0 {
			res = 40
		}
		// Binned here rather than by plotly's histogram2d so the page
		// carries res² numbers, not every draw.
		cx, cy, z := hist2D(xs, ys, xlo, xhi, ylo, yhi, res)
		fig.AddTraces(&grob.Heatmap{
			Name: types.S(m.Name + " joint"), X: types.DataArray(cx), Y: types.DataArray(cy),
			Z: types.DataArray(z), Colorscale: densityScale(SeriesColor(r)),
			Showscale: types.False, Xaxis: types.S(xref), Yaxis: types.S(yref),
		})
	default:
		if res <= 0 {
			res = 60
		}
		gx, gy := linspace(xlo, xhi, res), linspace(ylo, yhi, res)
		z, err := KDE2D(xs, ys, gx, gy, in.Bandwidth)
		if err != nil {
			return fmt.Errorf("plots.PosteriorMarginals: %s joint: %w", m.Name, err)
		}
		fig.AddTraces(&grob.Contour{
			Name: types.S(m.Name + " joint"), X: types.DataArray(gx), Y: types.DataArray(gy),
			Z: types.DataArray(z), Ncontours: types.I(10),
			Colorscale: densityScale(SeriesColor(r)),
			Contours:   &grob.ContourContours{Coloring: grob.ContourContoursColoringFill, Showlines: types.False},
			Showscale:  types.False, Xaxis: types.S(xref), Yaxis: types.S(yref),
		})
	}
	point := func(xv, yv float64, label, color, symbol string) {
		tr := markerTrace(label, []float64{xv}, []float64{yv}, color, symbol, 12, 1, xref, yref)
		tr.Marker.Line = &grob.ScatterMarkerLine{Color: types.ArrayOKValue(types.UseColor("#ffffff")), Width: types.ArrayOKValue(types.N(1))}
		legend.apply(tr, label)
		fig.AddTraces(tr)
	}
	if in.Truth != nil {
		point(in.Truth[jt.X], in.Truth[jt.Y], "truth", TruthColor, "x")
	}
	if m.MAP != nil {
		point(m.MAP[jt.X], m.MAP[jt.Y], MAPLabel(m.Name), mapColor(SeriesColor(r)), "star")
	}
	return nil
}

// sampleRange is the draws' range padded by 5%, clipped to the prior box.
func sampleRange(v []float64, lo, hi float64) (float64, float64) {
	a, b := v[0], v[0]
	for _, x := range v {
		a, b = min(a, x), max(b, x)
	}
	pad := 0.05 * (b - a)
	if pad == 0 {
		pad = 0.01 * (hi - lo)
	}
	return max(lo, a-pad), min(hi, b+pad)
}

// densityScale runs from white (zero density) to the row's colour.
func densityScale(color string) *types.ColorScale {
	return &types.ColorScale{Values: []types.ColorScaleReference{
		{NormalizedValue: 0, Color: "#ffffff"}, {NormalizedValue: 1, Color: types.Color(color)},
	}}
}

// hist2D bins the pairs on res × res cells of [xlo, xhi] × [ylo, yhi] and
// returns the cell centres and the density z[j][i] (draws outside are
// dropped but still count in the normalisation, as for a density over the
// whole plane).
func hist2D(xs, ys []float64, xlo, xhi, ylo, yhi float64, res int) (cx, cy []float64, z [][]float64) {
	wx, wy := (xhi-xlo)/float64(res), (yhi-ylo)/float64(res)
	cx, cy = make([]float64, res), make([]float64, res)
	z = make([][]float64, res)
	for i := range res {
		cx[i] = xlo + (float64(i)+0.5)*wx
		cy[i] = ylo + (float64(i)+0.5)*wy
		z[i] = make([]float64, res)
	}
	for k := range xs {
		i, j := int((xs[k]-xlo)/wx), int((ys[k]-ylo)/wy)
		if xs[k] == xhi {
			i = res - 1
		}
		if ys[k] == yhi {
			j = res - 1
		}
		if i >= 0 && i < res && j >= 0 && j < res && xs[k] >= xlo && ys[k] >= ylo {
			z[j][i]++
		}
	}
	norm := 1 / (float64(len(xs)) * wx * wy)
	for j := range z {
		for i := range z[j] {
			z[j][i] *= norm
		}
	}
	return cx, cy, z
}
