package plots

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// Checks on the figure specs that keep figures readable in JupyterLab (and
// in exported HTML and PNG, which use the same layout size).

// crowdedFigures are inputs with more panels or series than the Ozark case,
// which the builders must still fit in MaxWidth.
func crowdedFigures(t *testing.T) map[string]*Figure {
	t.Helper()
	figs, err := allFigures()
	if err != nil {
		t.Fatal(err)
	}
	params := append(append([]Param(nil), elmParams...), elmParams[:4]...) // 12 parameters
	var methods []MethodSamples
	for i := range 4 {
		methods = append(methods, MethodSamples{Name: fmt.Sprintf("m%d", i), Samples: posterior(uint64(10+i), 200, params, 0), MAP: midpoints(params, 0.01*float64(i))})
	}
	figs["marginals12"], err = PosteriorMarginals(MarginalsInput{Params: params, Methods: methods, Truth: midpoints(params, 0), Joint: &Joint{X: 1, Y: 2, Resolution: 10}, GridPoints: 30})
	if err != nil {
		t.Fatal(err)
	}
	figs["emulation10"], err = EmulationScatter(EmulationInput{Panels: emulationPanels(10)})
	if err != nil {
		t.Fatal(err)
	}
	years := make([]int, 12)
	base := make([]float64, 12)
	for i := range years {
		years[i], base[i] = 2000+i, 50+float64(i)
	}
	var pm []PredictiveMethod
	for i := range 4 {
		pm = append(pm, PredictiveMethod{Name: fmt.Sprintf("m%d", i), Samples: predictive(uint64(20+i), 100, base), MAP: base})
	}
	figs["predictive12"], err = PosteriorPredictive(PredictiveInput{Years: years, Methods: pm, Observed: base})
	if err != nil {
		t.Fatal(err)
	}
	return figs
}

func sortedNames(figs map[string]*Figure) []string {
	names := make([]string, 0, len(figs))
	for n := range figs {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func TestFiguresFitJupyterLab(t *testing.T) {
	if MaxWidth > 1300 {
		t.Fatalf("MaxWidth %d is wider than JupyterLab's content area in a 1,400-px window", MaxWidth)
	}
	figs := crowdedFigures(t)
	for _, name := range sortedNames(figs) {
		_, layout := layoutOf(t, figs[name])
		w, ok := layout["width"].(float64)
		if !ok || w <= 0 || w > MaxWidth {
			t.Errorf("%s: width %v, want a fixed width in (0, %d]", name, layout["width"], MaxWidth)
		}
		if h, ok := layout["height"].(float64); !ok || h <= 0 {
			t.Errorf("%s: height %v, want a fixed height", name, layout["height"])
		}
		if a, ok := layout["autosize"]; ok && a == true {
			t.Errorf("%s: autosize on; the notebook, HTML and PNG would differ", name)
		}
		for key, ax := range layout {
			if !strings.HasPrefix(key, "xaxis") && !strings.HasPrefix(key, "yaxis") {
				continue
			}
			d, _ := ax.(map[string]any)["domain"].([]any)
			if len(d) == 2 && (d[0].(float64) < 0 || d[1].(float64) > 1 || d[0].(float64) >= d[1].(float64)) {
				t.Errorf("%s %s: domain %v", name, key, d)
			}
		}
	}
}

// Plotly's default tick format ("B", like "SI") writes 0.00015 as "150µ"
// and 600000 as "600k", which read as units.
func TestNoSIPrefixTicks(t *testing.T) {
	figs := crowdedFigures(t)
	for _, name := range sortedNames(figs) {
		_, layout := layoutOf(t, figs[name])
		for key, ax := range layout {
			if !strings.HasPrefix(key, "xaxis") && !strings.HasPrefix(key, "yaxis") {
				continue
			}
			switch f := ax.(map[string]any)["exponentformat"]; f {
			case "power", "e", "E", "none":
			default:
				t.Errorf("%s %s: exponentformat %v, want power, e or none", name, key, f)
			}
		}
	}
}

// mapTraces returns the colour of each "MAP (method)" trace, and how many of
// them show a legend entry.
func mapTraces(t *testing.T, f *Figure) (colors map[string]string, legends map[string]int) {
	data, _ := layoutOf(t, f)
	colors, legends = map[string]string{}, map[string]int{}
	for _, d := range data {
		name, _ := d["name"].(string)
		method, ok := strings.CutPrefix(name, "MAP (")
		if !ok {
			continue
		}
		method = strings.TrimSuffix(method, ")")
		var c string
		if l, ok := d["line"].(map[string]any); ok && d["mode"] == "lines" {
			c, _ = l["color"].(string)
		} else if m, ok := d["marker"].(map[string]any); ok {
			c, _ = m["color"].(string)
		}
		if prev, seen := colors[method]; seen && prev != c {
			t.Errorf("%s MAP marks in two colours, %s and %s", method, prev, c)
		}
		colors[method] = c
		if d["showlegend"] != false {
			legends[method]++
		}
	}
	return colors, legends
}

func TestMAPColoursDiffer(t *testing.T) {
	figs := crowdedFigures(t)
	for _, name := range []string{"marginals", "predictive", "marginals12", "predictive12"} {
		colors, legends := mapTraces(t, figs[name])
		if len(colors) < 3 {
			t.Fatalf("%s: MAP traces for %v, want every method", name, colors)
		}
		byColor := map[string]string{}
		for m, c := range colors {
			if c == "" || strings.EqualFold(c, TruthColor) {
				t.Errorf("%s: MAP of %s has colour %q", name, m, c)
			}
			if other, ok := byColor[c]; ok {
				t.Errorf("%s: MAP lines of %s and %s share colour %s", name, m, other, c)
			}
			byColor[c] = m
			if legends[m] != 1 {
				t.Errorf("%s: %d legend entries for MAP (%s), want 1", name, legends[m], m)
			}
		}
	}
}

// Eight parameters wrap into two rows of four per method, with the joint
// panel beside them spanning both rows.
func TestMarginalsWrapIntoRowsOfFour(t *testing.T) {
	f, err := PosteriorMarginals(marginalsInput())
	if err != nil {
		t.Fatal(err)
	}
	_, layout := layoutOf(t, f)
	dom := func(key string) []float64 {
		d := layout[key].(map[string]any)["domain"].([]any)
		return []float64{d[0].(float64), d[1].(float64)}
	}
	for r := range 2 { // methods
		xs, ys := map[float64]bool{}, map[float64]bool{}
		for j := range 8 {
			i := r*9 + j + 1
			xs[dom(axisKey("x", i))[0]] = true
			ys[dom(axisKey("y", i))[0]] = true
		}
		if len(xs) != 4 || len(ys) != 2 {
			t.Errorf("method %d: %d columns and %d rows of parameters, want 4 and 2", r, len(xs), len(ys))
		}
		first, fifth, joint := dom(axisKey("y", r*9+1)), dom(axisKey("y", r*9+5)), dom(axisKey("y", r*9+9))
		if !(fifth[1] < first[0]) {
			t.Errorf("method %d: parameter 5 (%v) is not below parameter 1 (%v)", r, fifth, first)
		}
		if math.Abs(joint[1]-first[1]) > 1e-9 || math.Abs(joint[0]-fifth[0]) > 1e-9 {
			t.Errorf("method %d: joint panel %v does not span the rows %v and %v", r, joint, first, fifth)
		}
		jx := dom(axisKey("x", r*9+9))
		for j := range 8 {
			if x := dom(axisKey("x", r*9+j+1)); x[1] >= jx[0] {
				t.Errorf("method %d: parameter %d (%v) overlaps the joint panel (%v)", r, j, x, jx)
			}
		}
	}
	// Method blocks do not overlap: the second method's top row is below
	// the first method's bottom row.
	if a, b := dom("yaxis5"), dom("yaxis10"); !(b[1] < a[0]) {
		t.Errorf("second method's first row %v overlaps the first method's last row %v", b, a)
	}
}

// The marginal densities are drawn relative to the uniform prior: the curve
// integrates to the prior width's share of the draws' mass, so its mean
// height over the box is about 1.
func TestMarginalDensityRelativeToPrior(t *testing.T) {
	in := marginalsInput()
	in.Joint, in.Truth = nil, nil
	f, err := PosteriorMarginals(in)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := layoutOf(t, f)
	for j, p := range elmParams {
		x, y := data[j]["x"].([]any), data[j]["y"].([]any)
		area := 0.0
		for i := 1; i < len(x); i++ {
			area += (x[i].(float64) - x[i-1].(float64)) * (y[i].(float64) + y[i-1].(float64)) / 2
		}
		// The draws sit well inside the box (sd 5% of it), so the KDE's
		// mass inside is ~1; the trapezoid rule on 50 points costs < 2%.
		if mean := area / (p.Hi - p.Lo); math.Abs(mean-1) > 0.03 {
			t.Errorf("%s: mean height %v over the box, want 1 (density × width)", p.Name, mean)
		}
	}
}

func TestSBCRankAxesAreLabelled(t *testing.T) {
	figs := crowdedFigures(t)
	_, layout := layoutOf(t, figs["sbc"])
	n := 0
	for key, ax := range layout {
		if !strings.HasPrefix(key, "xaxis") {
			continue
		}
		a := ax.(map[string]any)
		if a["showticklabels"] == false {
			t.Errorf("%s hides its tick labels", key)
		}
		text, _ := a["ticktext"].([]any)
		if strings.Join(strAll(text), " ") != "0 25 50 75 99" {
			t.Errorf("%s tick labels %v, want 0 ... 99", key, text)
		}
		n++
	}
	if n != 8 {
		t.Errorf("%d rank axes, want 8", n)
	}
}

func TestRankTicks(t *testing.T) {
	for _, c := range []struct {
		bins, L int
		text    string
	}{
		{20, 99, "0 25 50 75 99"},
		{20, 999, "0 250 500 750 999"},
		{20, 1000, "0 250 500 750 1000"},
		{3, 2, "0 1 2"}, // one rank per bin
		{1, 0, "0"},
	} {
		vals, text := rankTicks(c.bins, c.L)
		if got := strings.Join(text, " "); got != c.text {
			t.Errorf("rankTicks(%d, %d) labels %q, want %q", c.bins, c.L, got, c.text)
		}
		// Each label sits in the bin that holds its rank (give or take the
		// width of one rank, where a rank straddles two bins' edge).
		slack := float64(c.bins) / float64(c.L+1)
		for i, s := range text {
			r, _ := strconv.Atoi(s)
			b := float64(r * c.bins / (c.L + 1))
			if vals[i] < b-0.5-slack || vals[i] > b+0.5+slack {
				t.Errorf("rankTicks(%d, %d): rank %d at %v, outside its bin %v", c.bins, c.L, r, vals[i], b)
			}
		}
	}
}

func strAll(v []any) []string {
	out := make([]string, len(v))
	for i, x := range v {
		out[i], _ = x.(string)
	}
	return out
}
