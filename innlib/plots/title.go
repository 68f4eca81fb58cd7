package plots

import (
	"strings"

	grob "github.com/MetalBlueberry/go-plotly/generated/v2.34.0/graph_objects"
	"github.com/MetalBlueberry/go-plotly/pkg/types"
)

// SetTitle sets (or, with "", removes) the figure's title, e.g. to show
// what an interactive redraw took.
func (f *Figure) SetTitle(text string) {
	if f.Layout == nil {
		f.Layout = &grob.Layout{}
	}
	if text == "" {
		f.Layout.Title = nil
		return
	}
	f.Layout.Title = &grob.LayoutTitle{Text: types.S(text), X: types.N(0.5)}
	// A title of several lines ("<br>") gets the room it needs above the
	// panels' own titles: the top margin grows by a line's height per line
	// (and does not shrink back, so a redraw keeps the layout still).
	if n := strings.Count(text, "<br>"); n > 0 && f.Layout.Margin != nil {
		if t := f.Layout.Margin.T; t == nil || *t < titleMarginTop+titleLineHeight*float64(n) {
			f.Layout.Margin.T = types.N(titleMarginTop + titleLineHeight*float64(n))
		}
	}
}

// The top margin baseLayout gives a one-line title, and one more line's height.
const (
	titleMarginTop  = 70.0
	titleLineHeight = 22.0
)
