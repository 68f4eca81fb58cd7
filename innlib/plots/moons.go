package plots

import (
	"fmt"
	"math"

	grob "github.com/MetalBlueberry/go-plotly/generated/v2.34.0/graph_objects"
	"github.com/MetalBlueberry/go-plotly/pkg/types"
)

// FlowInput feeds FlowPicture. Each point set is n × 2 (rows are points).
type FlowInput struct {
	Title     string
	Data      [][]float64 // samples x of the data distribution (two moons)
	Latent    [][]float64 // z = f(x): the data pushed through the flow
	Generated [][]float64 // x = f⁻¹(z) for fresh z ~ N(0, I)
	// Labels, optional, gives each data point's class (moon); the latent
	// panel uses the same colours when it has one point per data point, so
	// the reader can follow each moon through the flow.
	Labels []int
	// Titles of the three panels; defaults explain the direction of f.
	Titles [3]string
}

// FlowPicture is the teaching figure for normalising flows: three square
// panels side by side with the data, their latent image (with the 1σ and 2σ
// circles of the standard normal the flow maps onto) and samples generated
// by the inverse flow.
//
// Traces, in order: data points (one trace per label, or one), latent points
// (likewise), the two reference circles, generated points.
func FlowPicture(in FlowInput) (*Figure, error) {
	const fn = "FlowPicture"
	sets := []struct {
		what string
		m    [][]float64
	}{{"Data", in.Data}, {"Latent", in.Latent}, {"Generated", in.Generated}}
	for _, s := range sets {
		if err := checkMat(fn, s.what, s.m, 2, 1, []string{"x", "y"}); err != nil {
			return nil, err
		}
	}
	if in.Labels != nil && len(in.Labels) != len(in.Data) {
		return nil, inputErr(fn, "Labels has %d values for %d data points", len(in.Labels), len(in.Data))
	}
	titles := in.Titles
	def := [3]string{"data x", "latent z = f(x)", "generated x = f⁻¹(z), z ~ N(0, I)"}
	for i := range titles {
		if titles[i] == "" {
			titles[i] = def[i]
		}
	}
	g := grid{rows: 1, cols: 3, hgap: 0.08}
	fig := NewFigure()
	fig.Layout = baseLayout(in.Title, 1200, 470)
	legend := legendOnce{}

	scatter := func(panel int, m [][]float64, labels []int, xref, yref string) {
		if labels == nil {
			tr := markerTrace(fmt.Sprintf("%s points", titles[panel]), column(m, 0), column(m, 1), SeriesColor(panel), "circle", 3, 0.6, xref, yref)
			tr.Showlegend = types.False
			fig.AddTraces(tr)
			return
		}
		groups := map[int][]int{}
		var order []int
		for k, l := range labels {
			if _, ok := groups[l]; !ok {
				order = append(order, l)
			}
			groups[l] = append(groups[l], k)
		}
		for i, l := range order {
			var x, y []float64
			for _, k := range groups[l] {
				x, y = append(x, m[k][0]), append(y, m[k][1])
			}
			name := fmt.Sprintf("class %d", l)
			tr := markerTrace(name, x, y, SeriesColor(i), "circle", 3, 0.6, xref, yref)
			legend.apply(tr, name)
			fig.AddTraces(tr)
		}
	}
	square := func(c int, m [][]float64, fixed float64) (string, string) {
		lo, hi := -fixed, fixed
		if fixed == 0 {
			lo, hi = boundsOf(m)
		}
		x := &grob.LayoutXaxis{Range: []float64{lo, hi}, Title: xTitle("x₁")}
		y := &grob.LayoutYaxis{Range: []float64{lo, hi}, Title: yTitle("x₂")}
		if c == 1 {
			x.Title, y.Title = xTitle("z₁"), yTitle("z₂")
		}
		xref, yref := fig.subplot(g, 0, c, x, y)
		y.Scaleanchor, y.Scaleratio = grob.LayoutYaxisScaleanchor(xref), types.N(1)
		fig.panelTitle(g, 0, c, titles[c])
		return xref, yref
	}

	xref, yref := square(0, in.Data, 0)
	scatter(0, in.Data, in.Labels, xref, yref)

	zr := 3.5
	lo, hi := boundsOf(in.Latent)
	zr = math.Max(zr, math.Max(-lo, hi))
	xref, yref = square(1, in.Latent, zr)
	var zl []int
	if in.Labels != nil && len(in.Latent) == len(in.Data) {
		zl = in.Labels
	}
	scatter(1, in.Latent, zl, xref, yref)
	for _, r := range []float64{1, 2} {
		var cx, cy []float64
		for _, t := range linspace(0, 2*math.Pi, 121) {
			cx, cy = append(cx, r*math.Cos(t)), append(cy, r*math.Sin(t))
		}
		circ := lineTrace(fmt.Sprintf("%gσ of N(0, I)", r), cx, cy, refColor, "dot", 1, xref, yref)
		legend.apply(circ, "circles")
		circ.Name = "1σ, 2σ of N(0, I)"
		fig.AddTraces(circ)
	}

	// Generated samples share the data panel's range so the two compare.
	dlo, dhi := boundsOf(in.Data)
	x := &grob.LayoutXaxis{Range: []float64{dlo, dhi}, Title: xTitle("x₁")}
	y := &grob.LayoutYaxis{Range: []float64{dlo, dhi}, Title: yTitle("x₂")}
	xref, yref = fig.subplot(g, 0, 2, x, y)
	y.Scaleanchor, y.Scaleratio = grob.LayoutYaxisScaleanchor(xref), types.N(1)
	fig.panelTitle(g, 0, 2, titles[2])
	scatter(2, in.Generated, nil, xref, yref)
	return fig, nil
}

// boundsOf is a square range covering all points with 8% padding.
func boundsOf(m [][]float64) (float64, float64) {
	lo, hi := m[0][0], m[0][0]
	for _, p := range m {
		lo, hi = min(lo, p[0], p[1]), max(hi, p[0], p[1])
	}
	pad := 0.08 * (hi - lo)
	if pad == 0 {
		pad = 1
	}
	return lo - pad, hi + pad
}
