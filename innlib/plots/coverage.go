package plots

import (
	"fmt"
	"math"

	grob "github.com/MetalBlueberry/go-plotly/generated/v2.34.0/graph_objects"
	"github.com/MetalBlueberry/go-plotly/pkg/types"
)

// CoverageCurve is the coverage of one parameter (or one recipe).
type CoverageCurve struct {
	Name      string
	Nominal   []float64 // credible levels in (0, 1), e.g. 0.1 ... 0.9
	Empirical []float64 // fraction of test cases whose truth fell inside
}

// CoverageInput feeds CoverageCurves.
type CoverageInput struct {
	Title  string
	Curves []CoverageCurve
	// Trials, when > 0, is the number of test cases behind each empirical
	// coverage; a grey band then shows the 95% binomial range around the
	// diagonal that a calibrated posterior stays in.
	Trials int
}

// CoverageCurves plots empirical against nominal coverage of central
// credible intervals, one line per curve, with the diagonal (perfect
// calibration) as reference: curves below it mean overconfident posteriors,
// above it underconfident ones.
//
// Traces, in order: the binomial band (if Trials > 0), the diagonal, then
// one line per curve.
func CoverageCurves(in CoverageInput) (*Figure, error) {
	const fn = "CoverageCurves"
	if len(in.Curves) == 0 {
		return nil, inputErr(fn, "no curves")
	}
	for _, c := range in.Curves {
		if c.Name == "" {
			return nil, inputErr(fn, "a curve has no name")
		}
		if err := checkVec(fn, c.Name+" Nominal", c.Nominal, 0); err != nil {
			return nil, err
		}
		if err := checkVec(fn, c.Name+" Empirical", c.Empirical, len(c.Nominal)); err != nil {
			return nil, err
		}
		for i := range c.Nominal {
			if c.Nominal[i] < 0 || c.Nominal[i] > 1 || c.Empirical[i] < 0 || c.Empirical[i] > 1 {
				return nil, inputErr(fn, "%s point %d (%v, %v) is outside [0, 1]", c.Name, i, c.Nominal[i], c.Empirical[i])
			}
		}
	}
	if in.Trials < 0 {
		return nil, inputErr(fn, "Trials is %d", in.Trials)
	}
	fig := NewFigure()
	fig.Layout = baseLayout(in.Title, 560, 560)
	fig.Layout.Legend = &grob.LayoutLegend{X: types.N(0.02), Y: types.N(0.98), Xanchor: grob.LayoutLegendXanchorLeft, Yanchor: grob.LayoutLegendYanchorTop}
	x := &grob.LayoutXaxis{Title: xTitle("nominal coverage"), Range: []float64{0, 1}}
	y := &grob.LayoutYaxis{Title: yTitle("empirical coverage"), Range: []float64{0, 1},
		Scaleanchor: "x", Scaleratio: types.N(1)}
	xref, yref := fig.subplot(grid{rows: 1, cols: 1}, 0, 0, x, y)
	if in.Trials > 0 {
		ps := linspace(0, 1, 101)
		var bx, by []float64
		for _, p := range ps {
			bx, by = append(bx, p), append(by, math.Min(1, p+1.96*math.Sqrt(p*(1-p)/float64(in.Trials))))
		}
		for i := len(ps) - 1; i >= 0; i-- {
			p := ps[i]
			bx, by = append(bx, p), append(by, math.Max(0, p-1.96*math.Sqrt(p*(1-p)/float64(in.Trials))))
		}
		band := lineTrace(fmt.Sprintf("pointwise 95%% band (n=%d)", in.Trials), bx, by, "rgba(0,0,0,0)", "solid", 0, xref, yref)
		band.Fill, band.Fillcolor = grob.ScatterFillToself, "rgba(120,120,120,0.2)"
		fig.AddTraces(band)
	}
	fig.AddTraces(lineTrace("ideal", []float64{0, 1}, []float64{0, 1}, refColor, "dash", 1, xref, yref))
	for i, c := range in.Curves {
		tr := lineTrace(c.Name, c.Nominal, c.Empirical, SeriesColor(i), "solid", 2, xref, yref)
		tr.Mode = grob.ScatterModeLines + "+" + grob.ScatterModeMarkers
		fig.AddTraces(tr)
	}
	return fig, nil
}
