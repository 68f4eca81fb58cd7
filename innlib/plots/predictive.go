package plots

import (
	"fmt"
	"sort"

	grob "github.com/MetalBlueberry/go-plotly/generated/v2.34.0/graph_objects"
	"github.com/MetalBlueberry/go-plotly/pkg/types"
)

// PredictiveMethod is one method's posterior-predictive sample.
type PredictiveMethod struct {
	Name string
	// Samples[k][t] is the prediction for year t from posterior draw k.
	Samples [][]float64
	// MAP[t] is the prediction at the method's MAP parameters (optional).
	MAP []float64
}

// PredictiveInput feeds PosteriorPredictive.
type PredictiveInput struct {
	Title   string
	Years   []int // x categories, e.g. 2006..2010
	Methods []PredictiveMethod
	// Observed[t] is the truth (synthetic case) or the observation (real
	// case); optional. ObservedLabel names it in the legend ("truth" when
	// empty).
	Observed      []float64
	ObservedLabel string
	YLabel        string // default "Latent heat (W m-2)"
}

// PosteriorPredictive draws the paper's Fig. 2a, 2b and 6: for each year a
// box per method, side by side (INN beside MCMC), summarising the
// predictions of the posterior draws, with each method's MAP prediction as a
// short dashed line across its box, in the method's own (darker) colour and
// dash pattern, named "MAP (method)" in the legend, and the truth or
// observation as a red dashed line across the year's group.
//
// Boxes are Tukey boxes computed here (quartiles by linear interpolation,
// whiskers at the most extreme draws within 1.5 IQR) and passed to plotly as
// precomputed statistics, so the page stays small for any number of draws;
// outliers beyond the whiskers are not drawn.
//
// Traces, in order: one box trace per method, one MAP trace per method with
// a MAP, one observed trace when Observed is given.
func PosteriorPredictive(in PredictiveInput) (*Figure, error) {
	const fn = "PosteriorPredictive"
	nt := len(in.Years)
	if nt == 0 {
		return nil, inputErr(fn, "no years")
	}
	if len(in.Methods) == 0 {
		return nil, inputErr(fn, "no methods")
	}
	yearNames := make([]string, nt)
	for t, y := range in.Years {
		yearNames[t] = fmt.Sprint(y)
	}
	for _, m := range in.Methods {
		if m.Name == "" {
			return nil, inputErr(fn, "a method has no name")
		}
		if err := checkMat(fn, fmt.Sprintf("samples of %q", m.Name), m.Samples, nt, 1, yearNames); err != nil {
			return nil, err
		}
		if err := checkOptVec(fn, fmt.Sprintf("MAP of %q", m.Name), m.MAP, nt); err != nil {
			return nil, err
		}
	}
	if err := checkOptVec(fn, "Observed", in.Observed, nt); err != nil {
		return nil, err
	}
	ylabel := in.YLabel
	if ylabel == "" {
		ylabel = "Latent heat (W m-2)"
	}
	obsLabel := in.ObservedLabel
	if obsLabel == "" {
		obsLabel = "truth"
	}

	// Numeric x: year t's group is centred on t; method i's box sits at
	// t + offset(i), so MAP marks can be drawn exactly over their box.
	nm := len(in.Methods)
	const group = 0.8 // width of a year's group
	slot := group / float64(nm)
	offset := func(i int) float64 { return -group/2 + slot*(float64(i)+0.5) }

	fig := NewFigure()
	fig.Layout = baseLayout(in.Title, float64(max(600, 130*nt+80*nm)), 480)
	fig.Layout.Boxmode = grob.BoxBoxmodeOverlay
	ticks := make([]float64, nt)
	for t := range ticks {
		ticks[t] = float64(t)
	}
	x := &grob.LayoutXaxis{
		Title: xTitle("Year"), Range: []float64{-0.6, float64(nt) - 0.4},
		Tickmode: grob.LayoutXaxisTickmodeArray, Tickvals: types.DataArray(ticks), Ticktext: types.DataArray(yearNames),
	}
	y := &grob.LayoutYaxis{Title: yTitle(ylabel)}
	g := grid{rows: 1, cols: 1}
	xref, yref := fig.subplot(g, 0, 0, x, y)

	var mapTraces []types.Trace
	for i, m := range in.Methods {
		var pos, q1, med, q3, lo, hi []float64
		for t := range nt {
			s := tukey(column(m.Samples, t))
			pos = append(pos, float64(t)+offset(i))
			q1, med, q3 = append(q1, s.q1), append(med, s.med), append(q3, s.q3)
			lo, hi = append(lo, s.lo), append(hi, s.hi)
		}
		c := SeriesColor(i)
		fig.AddTraces(&grob.Box{
			Name: types.S(m.Name), X: types.DataArray(pos),
			Q1: types.DataArray(q1), Median: types.DataArray(med), Q3: types.DataArray(q3),
			Lowerfence: types.DataArray(lo), Upperfence: types.DataArray(hi),
			Width: types.N(slot * 0.8), Fillcolor: types.Color(c + "55"),
			Line:      &grob.BoxLine{Color: types.Color(c), Width: types.N(1.5)},
			Boxpoints: grob.BoxBoxpointsFalse,
			Xaxis:     types.S(xref), Yaxis: types.S(yref),
		})
		if m.MAP != nil {
			var pieces [][2][2]float64
			for t, v := range m.MAP {
				cx := float64(t) + offset(i)
				pieces = append(pieces, [2][2]float64{{cx - slot/2, v}, {cx + slot/2, v}})
			}
			sx, sy := segments(pieces)
			mapTraces = append(mapTraces, &grob.Scatter{
				Name: types.S(MAPLabel(m.Name)), Mode: grob.ScatterModeLines,
				X: types.DataArray(sx), Y: types.DataArray(sy),
				Line:  &grob.ScatterLine{Color: types.Color(mapColor(c)), Dash: types.S(mapDash[i%len(mapDash)]), Width: types.N(3)},
				Xaxis: types.S(xref), Yaxis: types.S(yref),
			})
		}
	}
	fig.AddTraces(mapTraces...)
	if in.Observed != nil {
		var pieces [][2][2]float64
		for t, v := range in.Observed {
			pieces = append(pieces, [2][2]float64{{float64(t) - group/2 - 0.05, v}, {float64(t) + group/2 + 0.05, v}})
		}
		sx, sy := segments(pieces)
		fig.AddTraces(&grob.Scatter{
			Name: types.S(obsLabel), Mode: grob.ScatterModeLines,
			X: types.DataArray(sx), Y: types.DataArray(sy),
			Line:  &grob.ScatterLine{Color: types.Color(TruthColor), Dash: types.S("dash"), Width: types.N(2)},
			Xaxis: types.S(xref), Yaxis: types.S(yref),
		})
	}
	return fig, nil
}

// MAP marks are in their method's (darkened) colour as in the marginals;
// each method also gets its own dash pattern and sits over its own box.
var mapDash = []string{"dash", "dot", "dashdot", "longdash"}

type boxStats struct{ lo, q1, med, q3, hi float64 }

// tukey returns quartiles (linear interpolation between order statistics,
// numpy's default) and whiskers at the most extreme values within 1.5 IQR of
// the box.
func tukey(v []float64) boxStats {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	q := func(p float64) float64 {
		h := p * float64(len(s)-1)
		i := int(h)
		if i >= len(s)-1 {
			return s[len(s)-1]
		}
		return s[i] + (h-float64(i))*(s[i+1]-s[i])
	}
	b := boxStats{q1: q(0.25), med: q(0.5), q3: q(0.75)}
	iqr := b.q3 - b.q1
	b.lo, b.hi = b.q1, b.q3
	for _, x := range s {
		if x >= b.q1-1.5*iqr {
			b.lo = x
			break
		}
	}
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] <= b.q3+1.5*iqr {
			b.hi = s[i]
			break
		}
	}
	return b
}
