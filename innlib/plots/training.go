package plots

import (
	"fmt"
	"math"

	grob "github.com/MetalBlueberry/go-plotly/generated/v2.34.0/graph_objects"
	"github.com/MetalBlueberry/go-plotly/pkg/types"
)

// LossTerm is one loss component across epochs.
type LossTerm struct {
	Name  string    // e.g. "MSE(y)", "MMD(z)", "total"
	Train []float64 // value per epoch on the training set
	Valid []float64 // value per epoch on the validation set; optional
}

// TrainingInput feeds TrainingCurves.
type TrainingInput struct {
	Title  string
	Epochs []float64 // x values; nil means 1, 2, ..., len(Train)
	Terms  []LossTerm
	// BestEpoch is the epoch chosen for the saved model (x value, as in
	// Epochs), marked by a vertical dotted line; 0 means none.
	BestEpoch float64
	YLabel    string // default "loss"
	// LinearY turns the log-scale y axis off, for terms that can be zero
	// or negative (a log axis cannot show them, so they are an error).
	LinearY bool
}

// TrainingCurves plots each loss term per epoch, training solid and
// validation dashed in the term's colour, on a log-scale y axis, with the
// chosen best epoch marked by a vertical dotted line and a label.
//
// Traces, in order: per term the training curve then its validation curve
// (when given). The best-epoch mark is a layout shape plus an annotation.
func TrainingCurves(in TrainingInput) (*Figure, error) {
	const fn = "TrainingCurves"
	if len(in.Terms) == 0 {
		return nil, inputErr(fn, "no loss terms")
	}
	n := len(in.Terms[0].Train)
	if n == 0 {
		return nil, inputErr(fn, "term %q has no training values", in.Terms[0].Name)
	}
	epochs := in.Epochs
	if epochs == nil {
		epochs = make([]float64, n)
		for i := range epochs {
			epochs[i] = float64(i + 1)
		}
	}
	if err := checkVec(fn, "Epochs", epochs, n); err != nil {
		return nil, err
	}
	for _, t := range in.Terms {
		if t.Name == "" {
			return nil, inputErr(fn, "a loss term has no name")
		}
		for _, s := range []struct {
			what string
			v    []float64
			opt  bool
		}{{"train", t.Train, false}, {"validation", t.Valid, true}} {
			what := fmt.Sprintf("%s %s loss", t.Name, s.what)
			var err error
			if s.opt {
				err = checkOptVec(fn, what, s.v, n)
			} else {
				err = checkVec(fn, what, s.v, n)
			}
			if err != nil {
				return nil, err
			}
			if in.LinearY {
				continue
			}
			for i, v := range s.v {
				if v <= 0 {
					return nil, inputErr(fn, "%s at epoch %v is %v, not positive: a log axis cannot show it (set LinearY)", what, epochs[i], v)
				}
			}
		}
	}
	if math.IsNaN(in.BestEpoch) || math.IsInf(in.BestEpoch, 0) {
		return nil, inputErr(fn, "BestEpoch is %s", badValue(in.BestEpoch))
	}
	ylabel := in.YLabel
	if ylabel == "" {
		ylabel = "loss"
	}

	fig := NewFigure()
	fig.Layout = baseLayout(in.Title, 800, 480)
	fig.Layout.Legend = &grob.LayoutLegend{X: types.N(1.02), Y: types.N(1), Xanchor: grob.LayoutLegendXanchorLeft}
	fig.Layout.Margin.R = types.N(160)
	y := &grob.LayoutYaxis{Title: yTitle(ylabel)}
	if !in.LinearY {
		y.Type = grob.LayoutYaxisTypeLog
	}
	xref, yref := fig.subplot(grid{rows: 1, cols: 1}, 0, 0, &grob.LayoutXaxis{Title: xTitle("epoch")}, y)
	for i, t := range in.Terms {
		c := SeriesColor(i)
		tr := lineTrace(t.Name+" (train)", epochs, t.Train, c, "solid", 2, xref, yref)
		tr.Legendgroup = types.S(t.Name)
		fig.AddTraces(tr)
		if t.Valid != nil {
			va := lineTrace(t.Name+" (validation)", epochs, t.Valid, c, "dash", 2, xref, yref)
			va.Legendgroup = types.S(t.Name)
			fig.AddTraces(va)
		}
	}
	if in.BestEpoch != 0 {
		fig.Layout.Shapes = append(fig.Layout.Shapes, grob.LayoutShape{
			Type: grob.LayoutShapeTypeLine, X0: in.BestEpoch, X1: in.BestEpoch, Y0: 0, Y1: 1,
			Xref: grob.LayoutShapeXref(xref), Yref: grob.LayoutShapeYrefPaper,
			Line: &grob.LayoutShapeLine{Color: refColor, Dash: types.S("dot"), Width: types.N(1.5)},
		})
		fig.Layout.Annotations = append(fig.Layout.Annotations, grob.LayoutAnnotation{
			Text: types.S(fmt.Sprintf("best epoch %v", in.BestEpoch)), Showarrow: types.False,
			X: in.BestEpoch, Y: 1, Xref: grob.LayoutAnnotationXref(xref), Yref: grob.LayoutAnnotationYrefPaper,
			Xanchor: grob.LayoutAnnotationXanchorLeft, Yanchor: grob.LayoutAnnotationYanchorBottom,
		})
	}
	return fig, nil
}
