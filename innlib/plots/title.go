package plots

import (
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
}
