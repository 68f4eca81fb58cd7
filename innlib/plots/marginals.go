package plots

import (
	"fmt"

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
	Joint   *Joint          // optional joint-density column
	// GridPoints is the number of KDE evaluation points across each prior
	// box (default 200).
	GridPoints int
	Bandwidth  Bandwidth // KDE bandwidth rule (default Scott, as seaborn)
}

// PosteriorMarginals draws the paper's Fig. 1, 3 and 5: a grid with one row
// per method and one column per parameter, each panel the KDE of that
// parameter's posterior draws over its prior box (x axis = prior range, so
// how much the data narrowed the prior is visible), with a red vertical line
// at the true value and a blue one at the method's MAP when given. With
// Joint set a last column shows the joint density of two parameters (filled
// KDE contours or a 2-D histogram) with truth and MAP as markers.
//
// Traces, in order, per row: one KDE curve per parameter, then (if Truth)
// one truth line per parameter, then (if MAP) one MAP line per parameter,
// then (if Joint) the density trace, a truth marker and a MAP marker when
// given.
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

	cols := d
	weights := make([]float64, d)
	for i := range weights {
		weights[i] = 1
	}
	if in.Joint != nil {
		cols++
		weights = append(weights, 1.6)
	}
	rows := len(in.Methods)
	g := grid{rows: rows, cols: cols, hgap: 0.3 / float64(cols), vgap: 0.22 / float64(rows), weights: weights}
	fig := NewFigure()
	fig.Layout = baseLayout(in.Title, float64(170*d+280*btoi(in.Joint != nil)+120), float64(230*rows+170))
	if in.Joint != nil {
		fig.Layout.Margin.R = types.N(80) // the joint panel's y axis is on the right
	}
	legend := legendOnce{}

	for r, m := range in.Methods {
		peak := make([]float64, d) // for the height of the truth/MAP lines
		refs := make([][2]string, d)
		for j, p := range in.Params {
			x := &grob.LayoutXaxis{Range: []float64{p.Lo, p.Hi}, Nticks: types.I(4)}
			if r == rows-1 {
				x.Title = xTitle(AxisLabel(p.Name, p.Unit))
			}
			y := &grob.LayoutYaxis{Rangemode: grob.LayoutYaxisRangemodeTozero, Nticks: types.I(4)}
			if j == 0 {
				y.Title = yTitle(m.Name + " density")
			}
			xref, yref := fig.subplot(g, r, j, x, y)
			refs[j] = [2]string{xref, yref}
			if r == 0 {
				fig.panelTitle(g, r, j, p.Name)
			}
			gx := linspace(p.Lo, p.Hi, gridN)
			dens, err := KDE1D(column(m.Samples, j), gx, in.Bandwidth)
			if err != nil {
				return nil, fmt.Errorf("plots.%s: %s, %s: %w", fn, m.Name, p.Name, err)
			}
			for _, v := range dens {
				peak[j] = max(peak[j], v)
			}
			c := SeriesColor(r)
			tr := lineTrace(m.Name, gx, dens, c, "solid", 1.8, xref, yref)
			tr.Fill, tr.Fillcolor = grob.ScatterFillTozeroy, types.Color(c+"33")
			legend.apply(tr, "method:"+m.Name)
			fig.AddTraces(tr)
		}
		vlines := func(vals []float64, label, color string) {
			for j, v := range vals {
				top := peak[j] * 1.05
				if top <= 0 {
					top = 1
				}
				tr := lineTrace(label, []float64{v, v}, []float64{0, top}, color, "solid", 1.5, refs[j][0], refs[j][1])
				legend.apply(tr, label)
				fig.AddTraces(tr)
			}
		}
		if in.Truth != nil {
			vlines(in.Truth, "truth", TruthColor)
		}
		if m.MAP != nil {
			vlines(m.MAP, "MAP", MAPColor)
		}
		if in.Joint != nil {
			if err := addJoint(fig, g, r, d, in, m, legend); err != nil {
				return nil, err
			}
		}
	}
	return fig, nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// addJoint fills the last column of row r with the joint density.
func addJoint(fig *Figure, g grid, r, d int, in MarginalsInput, m MethodSamples, legend legendOnce) error {
	jt := in.Joint
	px, py := in.Params[jt.X], in.Params[jt.Y]
	xs, ys := column(m.Samples, jt.X), column(m.Samples, jt.Y)
	xlo, xhi, ylo, yhi := px.Lo, px.Hi, py.Lo, py.Hi
	if jt.ZoomToSamples {
		xlo, xhi = sampleRange(xs, px.Lo, px.Hi)
		ylo, yhi = sampleRange(ys, py.Lo, py.Hi)
	}
	x := &grob.LayoutXaxis{Range: []float64{xlo, xhi}, Nticks: types.I(4)}
	if r == g.rows-1 {
		x.Title = xTitle(AxisLabel(px.Name, px.Unit))
	}
	// Its y axis goes on the right, where no neighbouring panel is in the
	// way of the tick labels and title.
	y := &grob.LayoutYaxis{Range: []float64{ylo, yhi}, Nticks: types.I(4), Title: yTitle(AxisLabel(py.Name, py.Unit))}
	xref, yref := fig.subplot(g, r, d, x, y)
	y.Side = grob.LayoutYaxisSideRight
	if r == 0 {
		fig.panelTitle(g, r, d, px.Name+" vs "+py.Name)
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
		tr := markerTrace(label, []float64{xv}, []float64{yv}, color, symbol, 11, 1, xref, yref)
		legend.apply(tr, label)
		fig.AddTraces(tr)
	}
	if in.Truth != nil {
		point(in.Truth[jt.X], in.Truth[jt.Y], "truth", TruthColor, "x")
	}
	if m.MAP != nil {
		point(m.MAP[jt.X], m.MAP[jt.Y], "MAP", MAPColor, "star")
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
