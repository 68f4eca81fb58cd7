package plots

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
)

func TestPanels(t *testing.T) {
	gx, gy := Polylines([][][]float64{{{0, 0}, {1, 0}}, {{0, 1}, {1, 1}}})
	fig, err := Panels("warp", 2, 0, 0,
		Panel{Title: "a", Square: true, Series: []Series{{Name: "grid", X: gx, Y: gy}, {Name: "pts", X: []float64{1}, Y: []float64{2}, Points: true}}},
		Panel{Title: "b", Heat: &Heat{X: []float64{0, 1}, Y: []float64{0, 1, 2}, Z: [][]float64{{1, 2}, {3, 4}, {5, 6}}},
			Series: []Series{{Name: "grid", X: []float64{0, 1}, Y: []float64{1, 0}}}},
		Panel{Title: "c", XRange: []float64{0, 1}},
	)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(fig)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Data []struct {
			Type       string `json:"type"`
			X          []any  `json:"x"`
			Showlegend *bool  `json:"showlegend"`
			Xaxis      string `json:"xaxis"`
		} `json:"data"`
		Layout map[string]json.RawMessage `json:"layout"`
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Data) != 4 {
		t.Fatalf("%d traces, want 4 (grid, points, heat map, grid)", len(got.Data))
	}
	// The break between the two grid lines is a null.
	if x := got.Data[0].X; len(x) != 5 || x[2] != nil || x[3] != 0.0 {
		t.Errorf("grid x = %v, want [0 1 null 0 1]", x)
	}
	if got.Data[2].Type != "heatmap" || got.Data[2].Xaxis != "x2" {
		t.Errorf("third trace %+v, want the heat map on x2", got.Data[2])
	}
	if s := got.Data[3].Showlegend; s == nil || *s {
		t.Error("the second panel's grid has its own legend entry")
	}
	// Three panels in two columns: two rows, the third panel on axis 3.
	if _, ok := got.Layout["xaxis3"]; !ok {
		t.Error("no xaxis3 for the third panel")
	}
	if !strings.Contains(string(got.Layout["yaxis"]), `"scaleanchor":"x"`) {
		t.Errorf("square panel's y axis: %s", got.Layout["yaxis"])
	}
}

func TestPanelsBadInput(t *testing.T) {
	for name, c := range map[string]struct {
		cols   int
		panels []Panel
		want   string
	}{
		"none":     {1, nil, "no panels"},
		"cols":     {0, []Panel{{}}, "cols"},
		"lengths":  {1, []Panel{{Series: []Series{{Name: "s", X: []float64{1, 2}, Y: []float64{1}}}}}, `("s"): 2 x values, 1 y values`},
		"inf":      {1, []Panel{{Series: []Series{{X: []float64{math.Inf(1)}, Y: []float64{1}}}}}, "infinite"},
		"heat":     {1, []Panel{{Heat: &Heat{X: []float64{1}, Y: []float64{1}, Z: [][]float64{{1, 2}}}}}, "row 0 of Z has 2 values"},
		"heat NaN": {1, []Panel{{Heat: &Heat{X: []float64{1}, Y: []float64{1}, Z: [][]float64{{math.NaN()}}}}}, "Z[0][0]"},
		"range":    {1, []Panel{{XRange: []float64{2, 1}}}, "axis range"},
	} {
		_, err := Panels("", c.cols, 0, 0, c.panels...)
		if err == nil || !errors.Is(err, ErrInput) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one naming %q", name, err, c.want)
		}
	}
}

func TestStepHistogram(t *testing.T) {
	v := []float64{0.1, 0.2, 0.6, 0.9, 1.5, -1} // two outside [0, 1]
	x, y := StepHistogram(v, 0, 1, 2)
	if len(x) != 6 || len(y) != 6 {
		t.Fatalf("outline of %d points, want 6", len(x))
	}
	// Bars of width 0.5: two values in each, density 2/(6·0.5).
	for i, want := range []float64{0, 2.0 / 3, 2.0 / 3, 2.0 / 3, 2.0 / 3, 0} {
		if math.Abs(y[i]-want) > 1e-12 {
			t.Errorf("y[%d] = %v, want %v", i, y[i], want)
		}
	}
	area := 0.0
	for i := 1; i < len(x); i++ {
		area += (x[i] - x[i-1]) * y[i]
	}
	if math.Abs(area-4.0/6) > 1e-12 {
		t.Errorf("area %v, want the fraction inside, 4/6", area)
	}
	if x, _ := StepHistogram(v, 1, 0, 3); x != nil {
		t.Error("an empty range gave an outline")
	}
}

func TestSetTitle(t *testing.T) {
	f := NewFigure()
	f.SetTitle("update: 42 ms")
	raw, _ := json.Marshal(f)
	if !strings.Contains(string(raw), `"title":{"text":"update: 42 ms"`) {
		t.Errorf("figure JSON %s has no title", raw)
	}
	f.SetTitle("")
	raw, _ = json.Marshal(f)
	if strings.Contains(string(raw), "42 ms") {
		t.Errorf("title not removed: %s", raw)
	}
}

// TestSetTitleMakesRoom: a two-line title pushes the panels down by a line,
// so it does not run into the panels' own titles, and a redraw with one line
// keeps the layout still.
func TestSetTitleMakesRoom(t *testing.T) {
	f, err := Panels("", 2, 600, 400, Panel{Title: "a"}, Panel{Title: "b"})
	if err != nil {
		t.Fatal(err)
	}
	top := func() float64 { return *f.Layout.Margin.T }
	one := top()
	f.SetTitle("update 22 ms<br>MCMC: not run")
	if two := top(); two < one+15 {
		t.Errorf("top margin %g with a two-line title, %g with one: want a line more", two, one)
	}
	f.SetTitle("update 21 ms")
	if got := top(); got < one+15 {
		t.Errorf("top margin shrank back to %g on a one-line redraw", got)
	}
}
