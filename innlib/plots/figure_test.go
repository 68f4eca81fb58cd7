package plots

import (
	"encoding/json"
	"strings"
	"testing"

	grob "github.com/MetalBlueberry/go-plotly/generated/v2.34.0/graph_objects"
	"github.com/MetalBlueberry/go-plotly/pkg/types"
)

// layoutOf decodes a figure's JSON into generic maps for assertions.
func layoutOf(t *testing.T, f *Figure) (data []map[string]any, layout map[string]any) {
	t.Helper()
	raw, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	var top struct {
		Data   []map[string]any `json:"data"`
		Layout map[string]any   `json:"layout"`
	}
	if err := json.Unmarshal(raw, &top); err != nil {
		t.Fatal(err)
	}
	return top.Data, top.Layout
}

func TestFigureJSONHasAxesBeyondSix(t *testing.T) {
	f := NewFigure()
	f.Layout.Title = &grob.LayoutTitle{Text: "t"}
	g := grid{rows: 3, cols: 9}
	for r := range 3 {
		for c := range 9 {
			xref, yref := f.subplot(g, r, c, &grob.LayoutXaxis{Title: xTitle("x")}, nil)
			f.AddTraces(&grob.Scatter{X: types.DataArray([]float64{1}), Y: types.DataArray([]float64{1}), Xaxis: types.S(xref), Yaxis: types.S(yref)})
		}
	}
	data, layout := layoutOf(t, f)
	if len(data) != 27 {
		t.Fatalf("traces = %d, want 27", len(data))
	}
	for _, k := range []string{"xaxis", "yaxis", "xaxis7", "yaxis13", "xaxis27", "yaxis27"} {
		if _, ok := layout[k]; !ok {
			t.Errorf("layout lacks %s", k)
		}
	}
	if _, ok := layout["xaxis28"]; ok {
		t.Error("layout has an axis that was never set")
	}
	if data[26]["xaxis"] != "x27" || data[0]["xaxis"] != "x" {
		t.Errorf("trace axis refs: first %v, last %v", data[0]["xaxis"], data[26]["xaxis"])
	}
	ax := layout["xaxis27"].(map[string]any)
	if ax["anchor"] != "y27" {
		t.Errorf("xaxis27 anchor = %v, want y27", ax["anchor"])
	}
	// Round trip keeps every axis.
	raw, _ := json.Marshal(f)
	var back Figure
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	if len(back.XAxes) != 27 || len(back.YAxes) != 27 || len(back.Data) != 27 {
		t.Fatalf("round trip: %d x axes, %d y axes, %d traces", len(back.XAxes), len(back.YAxes), len(back.Data))
	}
	if got := back.XAxes[27].Title.Text; got != "x" {
		t.Errorf("round trip lost axis title: %q", got)
	}
}

func TestGridDomainsDoNotOverlap(t *testing.T) {
	g := grid{rows: 2, cols: 9, hgap: 0.03, vgap: 0.1, weights: []float64{1, 1, 1, 1, 1, 1, 1, 1, 1.6}}
	prev := -1.0
	for c := range g.cols {
		d := g.xDomain(c)
		if d[0] < prev || d[1] <= d[0] || d[1] > 1+1e-12 {
			t.Fatalf("column %d domain %v after %v", c, d, prev)
		}
		prev = d[1]
	}
	if last := g.xDomain(8); last[1] < 1-1e-9 {
		t.Errorf("grid does not reach the right edge: %v", last)
	}
	if w0, w8 := g.xDomain(0), g.xDomain(8); (w8[1]-w8[0])/(w0[1]-w0[0]) < 1.59 {
		t.Errorf("joint column not wider: %v vs %v", w8, w0)
	}
	top, bottom := g.yDomain(0), g.yDomain(1)
	if !(bottom[1] < top[0]) || top[1] != 1 || bottom[0] < 0 {
		t.Errorf("row domains %v %v", top, bottom)
	}
}

func TestSegmentsUseNullGaps(t *testing.T) {
	x, y := segments([][2][2]float64{{{0, 1}, {1, 1}}, {{2, 3}, {3, 3}}})
	raw, _ := json.Marshal(map[string]any{"x": x, "y": y})
	if !strings.Contains(string(raw), `"x":[0,1,null,2,3]`) {
		t.Errorf("segments JSON = %s", raw)
	}
}
