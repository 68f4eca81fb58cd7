package plots

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	grob "github.com/MetalBlueberry/go-plotly/generated/v2.34.0/graph_objects"
	"github.com/MetalBlueberry/go-plotly/pkg/types"
	"gonum.org/v1/gonum/stat/distuv"
)

// SBCInput feeds SBCHistograms.
type SBCInput struct {
	Title  string
	Params []string // panel titles, one per parameter
	// Ranks[s][j] is the rank of the true parameter j of simulation s among
	// its L posterior draws, in 0..L (the layout metrics.Ranks returns).
	Ranks   [][]int
	L       int
	Bins    int     // histogram bins (default 20, at most L+1)
	Columns int     // panels per row (default 4)
	Level   float64 // coverage of the uniform band (default 0.99)
}

// SBCHistograms draws simulation-based-calibration rank histograms, one
// small panel per parameter, over the band a uniform rank distribution
// (calibrated posterior) keeps each bin's count in with probability Level:
// the Binomial(S, p_b) quantiles for S simulations, p_b being the share of
// the L+1 possible ranks that fall in bin b (so unequal bins are handled).
// A U shape means overconfident posteriors, a hump underconfident ones.
//
// Traces, in order, per panel: the expected count line, the histogram bars.
// The bands are layout shapes (one per panel), explained by an annotation.
func SBCHistograms(in SBCInput) (*Figure, error) {
	const fn = "SBCHistograms"
	d := len(in.Params)
	if d == 0 {
		return nil, inputErr(fn, "no parameters")
	}
	if in.L < 1 {
		return nil, inputErr(fn, "L = %d, need at least 1 posterior draw", in.L)
	}
	s := len(in.Ranks)
	if s == 0 {
		return nil, inputErr(fn, "no ranks")
	}
	for i, row := range in.Ranks {
		if len(row) != d {
			return nil, inputErr(fn, "ranks row %d has %d values for %d parameters", i, len(row), d)
		}
		for j, r := range row {
			if r < 0 || r > in.L {
				return nil, inputErr(fn, "rank of %s in simulation %d is %d, outside 0..%d", in.Params[j], i, r, in.L)
			}
		}
	}
	bins := in.Bins
	if bins <= 0 {
		bins = 20
	}
	bins = min(bins, in.L+1)
	level := in.Level
	if level <= 0 || level >= 1 {
		level = 0.99
	}
	cols := in.Columns
	if cols <= 0 {
		cols = 4
	}
	cols = min(cols, d)
	rows := (d + cols - 1) / cols

	// Rank r goes to bin r*bins/(L+1); p[b] is that bin's share of ranks.
	binOf := func(r int) int { return r * bins / (in.L + 1) }
	p := make([]float64, bins)
	for r := 0; r <= in.L; r++ {
		p[binOf(r)]++
	}
	centers := make([]float64, bins)
	var meanX, meanY []float64
	lo, hi := make([]float64, bins), make([]float64, bins)
	for b := range p {
		p[b] /= float64(in.L + 1)
		centers[b] = float64(b)
		dist := distuv.Binomial{N: float64(s), P: p[b]}
		lo[b], hi[b] = binomQuantile(dist, s, (1-level)/2), binomQuantile(dist, s, (1+level)/2)
		meanX, meanY = append(meanX, float64(b)-0.5, float64(b)+0.5), append(meanY, float64(s)*p[b], float64(s)*p[b])
	}
	// The band is a closed SVG path in data coordinates (upper edge left to
	// right, lower edge back), drawn as a shape below the traces: plotly
	// always draws scatter fills above bars, which would hide them.
	var path strings.Builder
	for b := range bins {
		cmd := "L"
		if b == 0 {
			cmd = "M"
		}
		fmt.Fprintf(&path, "%s%g,%g L%g,%g ", cmd, float64(b)-0.5, hi[b], float64(b)+0.5, hi[b])
	}
	for b := bins - 1; b >= 0; b-- {
		fmt.Fprintf(&path, "L%g,%g L%g,%g ", float64(b)+0.5, lo[b], float64(b)-0.5, lo[b])
	}
	path.WriteString("Z")

	g := grid{rows: rows, cols: cols, hgap: 0.25 / float64(cols), vgap: 0.35 / float64(rows)}
	fig := NewFigure()
	fig.Layout = baseLayout(in.Title, float64(230*cols+80), float64(210*rows+120))
	fig.Layout.Bargap = types.N(0.05)
	legend := legendOnce{}
	tickVals, tickText := rankTicks(bins, in.L)
	for j, name := range in.Params {
		r, c := j/cols, j%cols
		x := &grob.LayoutXaxis{Range: []float64{-0.5, float64(bins) - 0.5},
			Tickmode: grob.LayoutXaxisTickmodeArray, Tickvals: types.DataArray(tickVals), Ticktext: types.DataArray(tickText)}
		if r == rows-1 || j+cols >= d {
			x.Title = xTitle(fmt.Sprintf("rank of truth (0-%d)", in.L))
		}
		y := &grob.LayoutYaxis{Rangemode: grob.LayoutYaxisRangemodeTozero}
		if c == 0 {
			y.Title = yTitle("count")
		}
		xref, yref := fig.subplot(g, r, c, x, y)
		fig.panelTitle(g, r, c, name)
		counts := make([]float64, bins)
		for _, row := range in.Ranks {
			counts[binOf(row[j])]++
		}
		fig.Layout.Shapes = append(fig.Layout.Shapes, grob.LayoutShape{
			Type: grob.LayoutShapeTypePath, Path: types.S(path.String()),
			Xref: grob.LayoutShapeXref(xref), Yref: grob.LayoutShapeYref(yref),
			Fillcolor: "rgba(120,120,120,0.25)", Line: &grob.LayoutShapeLine{Width: types.N(0)},
			Layer: grob.LayoutShapeLayerBelow,
		})
		mean := lineTrace("expected count", meanX, meanY, refColor, "dot", 1, xref, yref)
		legend.apply(mean, "expected")
		fig.AddTraces(mean, &grob.Bar{
			Name: types.S(name), X: types.DataArray(centers), Y: types.DataArray(counts),
			Marker:     &grob.BarMarker{Color: types.ArrayOKValue(types.UseColor(types.Color(SeriesColor(0))))},
			Showlegend: types.False, Xaxis: types.S(xref), Yaxis: types.S(yref),
		})
	}
	fig.Layout.Annotations = append(fig.Layout.Annotations, grob.LayoutAnnotation{
		Text: types.S(fmt.Sprintf("grey: %g%% range of each bin's count for uniform ranks (%d simulations, L = %d)", 100*level, s, in.L)),
		// In the legend's row, right of it, clear of a long title.
		Showarrow: types.False, X: 1, Y: 0, Yshift: types.N(-78), Xref: grob.LayoutAnnotationXrefPaper, Yref: grob.LayoutAnnotationYrefPaper,
		Xanchor: grob.LayoutAnnotationXanchorRight, Yanchor: grob.LayoutAnnotationYanchorTop,
		Font: &grob.LayoutAnnotationFont{Size: types.N(11), Color: refColor},
	})
	return fig, nil
}

// rankTicks labels the rank axis with round ranks (0, 250, 500, ... for
// L = 1000; 0, 25, 50, 75 for L = 99) and L itself, each placed at the
// middle of that rank's share of its bin (bin b holds ranks r with
// r·bins/(L+1) in [b, b+1) and is drawn over [b − 0.5, b + 0.5]).
func rankTicks(bins, L int) (vals []float64, text []string) {
	step := niceStep(float64(L) / 4)
	at := func(r int) float64 { return (float64(r)+0.5)*float64(bins)/float64(L+1) - 0.5 }
	for r := 0; float64(r) < float64(L)-step/2; r = int(math.Round(float64(r) + step)) {
		vals, text = append(vals, at(r)), append(text, strconv.Itoa(r))
	}
	return append(vals, at(L)), append(text, strconv.Itoa(L))
}

// niceStep is the smallest of 1, 2, 2.5, 5 × 10^k that is at least x (and
// at least 1).
func niceStep(x float64) float64 {
	if x <= 1 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= x-1e-9 {
			return m * p
		}
	}
	return 10 * p
}

// binomQuantile is the smallest k with CDF(k) >= q.
func binomQuantile(d distuv.Binomial, n int, q float64) float64 {
	for k := 0; k <= n; k++ {
		if d.CDF(float64(k)) >= q {
			return float64(k)
		}
	}
	return float64(n)
}
