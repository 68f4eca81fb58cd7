package plots

import (
	"errors"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// wantInputErr checks that err is an input error whose message names all of
// the given fragments.
func wantInputErr(t *testing.T, err error, fragments ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want one naming %q", fragments)
	}
	if !errors.Is(err, ErrInput) {
		t.Errorf("error %q does not wrap ErrInput", err)
	}
	for _, f := range fragments {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("error %q does not mention %q", err, f)
		}
	}
}

func traceTypes(data []map[string]any) map[string]int {
	out := map[string]int{}
	for _, d := range data {
		out[d["type"].(string)]++
	}
	return out
}

func annotationTexts(layout map[string]any) []string {
	var out []string
	anns, _ := layout["annotations"].([]any)
	for _, a := range anns {
		out = append(out, a.(map[string]any)["text"].(string))
	}
	return out
}

func axisTitle(layout map[string]any, key string) string {
	ax, _ := layout[key].(map[string]any)
	title, _ := ax["title"].(map[string]any)
	s, _ := title["text"].(string)
	return s
}

func axisRange(layout map[string]any, key string) []float64 {
	ax, _ := layout[key].(map[string]any)
	r, _ := ax["range"].([]any)
	var out []float64
	for _, v := range r {
		out = append(out, v.(float64))
	}
	return out
}

func marginalsInput() MarginalsInput {
	return MarginalsInput{
		Params: elmParams, Truth: midpoints(elmParams, 0.02),
		Methods: []MethodSamples{
			{Name: "INN", Samples: posterior(1, 400, elmParams, 0), MAP: midpoints(elmParams, 0.01)},
			{Name: "MCMC", Samples: posterior(2, 400, elmParams, 0.01), MAP: midpoints(elmParams, 0.015)},
		},
		Joint:      &Joint{X: 1, Y: 2, Resolution: 20},
		GridPoints: 50,
	}
}

func TestPosteriorMarginalsLayout(t *testing.T) {
	f, err := PosteriorMarginals(marginalsInput())
	if err != nil {
		t.Fatal(err)
	}
	data, layout := layoutOf(t, f)
	// Per row: 8 KDEs + 8 truth + 8 MAP + contour + truth and MAP markers.
	if len(data) != 2*27 {
		t.Fatalf("traces = %d, want 54", len(data))
	}
	if tt := traceTypes(data); tt["contour"] != 2 || tt["scatter"] != 52 {
		t.Errorf("trace types %v", tt)
	}
	if len(f.XAxes) != 18 || len(f.YAxes) != 18 {
		t.Errorf("axes: %d x, %d y, want 18 (2 rows × 9 columns)", len(f.XAxes), len(f.YAxes))
	}
	// Panel (second method, slatop) spans the prior box.
	slatop := axisKey("x", 9+2)
	if r := axisRange(layout, slatop); len(r) != 2 || r[0] != 0.01 || r[1] != 0.05 {
		t.Errorf("%s range = %v, want the prior [0.01 0.05]", slatop, r)
	}
	// Each method's first panel of a row names the method.
	for key, want := range map[string]string{"yaxis": "INN", "yaxis5": "INN", "yaxis10": "MCMC", "yaxis14": "MCMC", "yaxis2": ""} {
		if got := axisTitle(layout, key); !strings.Contains(got, want) || (want == "" && got != "") {
			t.Errorf("%s title %q, want %q", key, got, want)
		}
	}
	if got := axisTitle(layout, "yaxis18"); got != "flnr (gN gN-1)" {
		t.Errorf("joint y title %q", got)
	}
	anns := strings.Join(annotationTexts(layout), "|")
	for _, want := range []string{"rootb_par<br>(m-1)", "crit_onset_gdd<br>(degree-days)", "slatop vs flnr"} {
		if !strings.Contains(anns, want) {
			t.Errorf("panel titles %q lack %q", anns, want)
		}
	}
	// Truth lines: red, vertical at the truth, one legend entry in all.
	truth := midpoints(elmParams, 0.02)
	legends := 0
	for i, d := range data[8:16] {
		x := d["x"].([]any)
		if x[0].(float64) != truth[i] || x[1].(float64) != truth[i] {
			t.Errorf("truth line %d at %v, want %v", i, x, truth[i])
		}
		if d["line"].(map[string]any)["color"] != TruthColor {
			t.Errorf("truth line colour %v", d["line"])
		}
	}
	for _, d := range data {
		if d["name"] == "truth" && d["showlegend"] == true {
			legends++
		}
	}
	if legends != 1 {
		t.Errorf("%d legend entries for truth, want 1", legends)
	}
	if c := data[16]["line"].(map[string]any)["color"]; c != mapColor(SeriesColor(0)) || data[16]["name"] != "MAP (INN)" {
		t.Errorf("MAP line %v colour %v, want the INN colour darkened", data[16]["name"], c)
	}
	// The KDE curve peaks near the centre of the box (the draws' mean).
	y := data[0]["y"].([]any)
	x := data[0]["x"].([]any)
	best := 0
	for i := range y {
		if y[i].(float64) > y[best].(float64) {
			best = i
		}
	}
	if p := x[best].(float64); math.Abs(p-2.5) > 0.25 {
		t.Errorf("rootb_par KDE peaks at %v, want near 2.5", p)
	}
}

func TestPosteriorMarginalsRowsAndJointKinds(t *testing.T) {
	in := marginalsInput()
	in.Truth = nil
	in.Methods = append(in.Methods, MethodSamples{Name: "cINN", Samples: posterior(3, 300, elmParams, 0)})
	in.Methods[0].MAP, in.Methods[1].MAP = nil, nil
	in.Joint.Kind = JointHistogram
	f, err := PosteriorMarginals(in)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := layoutOf(t, f)
	if len(data) != 3*9 {
		t.Errorf("traces = %d, want 27 (3 rows × (8 KDE + heatmap))", len(data))
	}
	if tt := traceTypes(data); tt["heatmap"] != 3 {
		t.Errorf("trace types %v, want 3 heatmaps", tt)
	}
	in.Joint = nil
	f, err = PosteriorMarginals(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Data) != 24 || len(f.XAxes) != 24 {
		t.Errorf("no joint: %d traces, %d axes, want 24 and 24", len(f.Data), len(f.XAxes))
	}
}

func TestHist2DIsADensity(t *testing.T) {
	s := posterior(4, 1000, elmParams, 0)
	xs, ys := column(s, 1), column(s, 2)
	_, _, z := hist2D(xs, ys, 0.01, 0.05, 0.05, 0.25, 20)
	total := 0.0
	for _, row := range z {
		for _, v := range row {
			total += v * (0.04 / 20) * (0.2 / 20)
		}
	}
	if math.Abs(total-1) > 1e-9 {
		t.Errorf("histogram integrates to %v, want 1 (all draws inside)", total)
	}
}

func TestPosteriorMarginalsBadInput(t *testing.T) {
	in := marginalsInput()
	in.Methods[1].Samples[7][2] = math.NaN()
	_, err := PosteriorMarginals(in)
	wantInputErr(t, err, "MCMC", "row 7", "flnr", "NaN")

	in = marginalsInput()
	in.Methods[0].Samples[3] = in.Methods[0].Samples[3][:5]
	_, err = PosteriorMarginals(in)
	wantInputErr(t, err, "INN", "row 3", "5 values", "want 8")

	in = marginalsInput()
	in.Methods[0].Samples = nil
	_, err = PosteriorMarginals(in)
	wantInputErr(t, err, "INN", "empty")

	in = marginalsInput()
	in.Truth = in.Truth[:7]
	_, err = PosteriorMarginals(in)
	wantInputErr(t, err, "Truth", "7 values", "want 8")

	in = marginalsInput()
	in.Methods[0].MAP[0] = math.Inf(1)
	_, err = PosteriorMarginals(in)
	wantInputErr(t, err, "MAP", "INN", "+Inf")

	in = marginalsInput()
	in.Params = append([]Param(nil), elmParams...)
	in.Params[3].Lo = in.Params[3].Hi
	_, err = PosteriorMarginals(in)
	wantInputErr(t, err, "frootcn", "lo < hi")

	in = marginalsInput()
	in.Joint.Y = 1
	_, err = PosteriorMarginals(in)
	wantInputErr(t, err, "joint")

	_, err = PosteriorMarginals(MarginalsInput{Params: elmParams})
	wantInputErr(t, err, "no methods")
}

func predictiveInput() PredictiveInput {
	base := []float64{55, 60, 52, 58, 61}
	return PredictiveInput{
		Years: []int{2006, 2007, 2008, 2009, 2010}, Observed: []float64{56, 59, 53, 57, 62},
		ObservedLabel: "observation",
		Methods: []PredictiveMethod{
			{Name: "INN", Samples: predictive(5, 300, base), MAP: base},
			{Name: "MCMC", Samples: predictive(6, 300, base), MAP: []float64{54, 61, 52, 58, 60}},
		},
	}
}

func TestPosteriorPredictiveLayout(t *testing.T) {
	in := predictiveInput()
	f, err := PosteriorPredictive(in)
	if err != nil {
		t.Fatal(err)
	}
	data, layout := layoutOf(t, f)
	if tt := traceTypes(data); len(data) != 5 || tt["box"] != 2 || tt["scatter"] != 3 {
		t.Fatalf("traces %v, want 2 boxes + 2 MAP + 1 observation", tt)
	}
	if got := axisTitle(layout, "yaxis"); got != "Latent heat (W m-2)" {
		t.Errorf("y title %q", got)
	}
	ticks := layout["xaxis"].(map[string]any)["ticktext"].([]any)
	if len(ticks) != 5 || ticks[0] != "2006" || ticks[4] != "2010" {
		t.Errorf("year ticks %v", ticks)
	}
	// INN's boxes sit left of MCMC's within each year.
	inn, mcmc := data[0]["x"].([]any), data[1]["x"].([]any)
	for t2 := range 5 {
		a, b := inn[t2].(float64), mcmc[t2].(float64)
		if !(a < b && math.Abs((a+b)/2-float64(t2)) < 1e-9) {
			t.Errorf("year %d: INN at %v, MCMC at %v", t2, a, b)
		}
	}
	// Box statistics match the draws.
	s := tukey(column(in.Methods[0].Samples, 2))
	if got := data[0]["median"].([]any)[2].(float64); got != s.med {
		t.Errorf("median %v, want %v", got, s.med)
	}
	for _, k := range []string{"lowerfence", "q1", "median", "q3", "upperfence"} {
		if len(data[1][k].([]any)) != 5 {
			t.Errorf("%s has %d values", k, len(data[1][k].([]any)))
		}
	}
	// MAP marks: dashed, over the method's own box; observation red dashed.
	mapX := data[2]["x"].([]any)
	if mid := (mapX[0].(float64) + mapX[1].(float64)) / 2; math.Abs(mid-inn[0].(float64)) > 1e-9 {
		t.Errorf("INN MAP mark centred at %v, box at %v", mid, inn[0])
	}
	if data[2]["y"].([]any)[0].(float64) != 55 || data[2]["line"].(map[string]any)["dash"] != "dash" {
		t.Errorf("INN MAP trace %v", data[2])
	}
	if data[4]["name"] != "observation" || data[4]["line"].(map[string]any)["color"] != TruthColor {
		t.Errorf("observation trace %v", data[4]["name"])
	}
}

func TestTukey(t *testing.T) {
	s := tukey([]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 100})
	if s.q1 != 3.25 || s.med != 5.5 || s.q3 != 7.75 {
		t.Errorf("quartiles %+v", s)
	}
	if s.lo != 1 || s.hi != 9 { // 100 is beyond q3 + 1.5 IQR = 14.5
		t.Errorf("whiskers %v %v, want 1 and 9", s.lo, s.hi)
	}
}

func TestPosteriorPredictiveBadInput(t *testing.T) {
	in := predictiveInput()
	in.Methods[1].Samples[4] = []float64{1, 2, 3}
	_, err := PosteriorPredictive(in)
	wantInputErr(t, err, "MCMC", "row 4", "3 values", "want 5")

	in = predictiveInput()
	in.Observed[3] = math.NaN()
	_, err = PosteriorPredictive(in)
	wantInputErr(t, err, "Observed[3]", "NaN")

	in = predictiveInput()
	in.Methods[0].Samples[0][1] = math.NaN()
	_, err = PosteriorPredictive(in)
	wantInputErr(t, err, "INN", "2007", "NaN")

	in = predictiveInput()
	in.Methods = nil
	_, err = PosteriorPredictive(in)
	wantInputErr(t, err, "no methods")
}

func TestEmulationScatterLayout(t *testing.T) {
	f, err := EmulationScatter(EmulationInput{Panels: emulationPanels(50)})
	if err != nil {
		t.Fatal(err)
	}
	data, layout := layoutOf(t, f)
	if len(data) != 5*3 {
		t.Fatalf("traces = %d, want 15 (training, validation, 1:1 per year)", len(data))
	}
	for i := 1; i <= 5; i++ {
		for _, k := range []string{axisKey("x", i), axisKey("y", i)} {
			if r := axisRange(layout, k); len(r) != 2 || r[0] != 30 || r[1] != 90 {
				t.Errorf("%s range %v, want [30 90]", k, r)
			}
		}
	}
	if got := axisTitle(layout, "xaxis3"); got != "ELM LH (W m-2)" {
		t.Errorf("x title %q", got)
	}
	anns := annotationTexts(layout)
	if len(anns) != 5 || anns[0] != "2006  R² = 0.970" || anns[4] != "2010  R² = 0.970" {
		t.Errorf("panel titles %q", anns)
	}
	// 50 runs, every fifth held out: 40 training and 10 validation points.
	if n := len(data[0]["x"].([]any)); n != 40 {
		t.Errorf("training points %d", n)
	}
	if n := len(data[1]["x"].([]any)); n != 10 {
		t.Errorf("validation points %d", n)
	}
	one := data[2]
	if one["name"] != "1:1" || one["x"].([]any)[1].(float64) != 90 {
		t.Errorf("1:1 line %v", one)
	}

	ps := emulationPanels(20)
	for i := range ps {
		ps[i].Validation = nil
	}
	f, err = EmulationScatter(EmulationInput{Panels: ps, Min: 0, Max: 120, Columns: 3})
	if err != nil {
		t.Fatal(err)
	}
	data, layout = layoutOf(t, f)
	if len(data) != 10 {
		t.Errorf("unsplit traces = %d, want 10", len(data))
	}
	if r := axisRange(layout, "xaxis5"); r[0] != 0 || r[1] != 120 {
		t.Errorf("configured range %v", r)
	}
	if f.XAxes[4].Domain.([]float64)[0] != f.XAxes[1].Domain.([]float64)[0] {
		t.Errorf("panel 4 should start a second row under panel 1")
	}
}

func TestEmulationScatterBadInput(t *testing.T) {
	ps := emulationPanels(10)
	ps[2].Emulator = ps[2].Emulator[:9]
	_, err := EmulationScatter(EmulationInput{Panels: ps})
	wantInputErr(t, err, "2008", "Emulator", "9 values", "want 10")

	ps = emulationPanels(10)
	ps[0].R2 = math.NaN()
	_, err = EmulationScatter(EmulationInput{Panels: ps})
	wantInputErr(t, err, "2006", "R2", "NaN")

	ps = emulationPanels(10)
	ps[1].Validation = ps[1].Validation[:3]
	_, err = EmulationScatter(EmulationInput{Panels: ps})
	wantInputErr(t, err, "2007", "Validation")

	_, err = EmulationScatter(EmulationInput{Panels: emulationPanels(10), Min: 90, Max: 30})
	wantInputErr(t, err, "range")
}

func trainingInput() TrainingInput {
	tr, va := []float64{3, 2, 1.5, 1.2, 1.1}, []float64{3.2, 2.3, 1.8, 1.6, 1.7}
	return TrainingInput{BestEpoch: 4, Terms: []LossTerm{
		{Name: "MSE(y)", Train: tr, Valid: va}, {Name: "MMD(z)", Train: []float64{0.5, 0.3, 0.2, 0.15, 0.12}},
	}}
}

func TestTrainingCurvesLayout(t *testing.T) {
	f, err := TrainingCurves(trainingInput())
	if err != nil {
		t.Fatal(err)
	}
	data, layout := layoutOf(t, f)
	if len(data) != 3 {
		t.Fatalf("traces = %d, want 3 (MSE train+valid, MMD train)", len(data))
	}
	if data[0]["line"].(map[string]any)["dash"] != "solid" || data[1]["line"].(map[string]any)["dash"] != "dash" {
		t.Errorf("train should be solid, validation dashed")
	}
	if data[0]["line"].(map[string]any)["color"] != data[1]["line"].(map[string]any)["color"] {
		t.Errorf("a term's train and validation curves should share a colour")
	}
	if x := data[0]["x"].([]any); x[0].(float64) != 1 || x[4].(float64) != 5 {
		t.Errorf("default epochs %v", x)
	}
	if layout["yaxis"].(map[string]any)["type"] != "log" {
		t.Errorf("y axis not log")
	}
	shapes := layout["shapes"].([]any)
	if len(shapes) != 1 || shapes[0].(map[string]any)["x0"].(float64) != 4 {
		t.Errorf("best epoch shape %v", shapes)
	}
	if a := annotationTexts(layout); len(a) != 1 || a[0] != "best epoch 4" {
		t.Errorf("annotation %q", a)
	}
}

func TestTrainingCurvesBadInput(t *testing.T) {
	in := trainingInput()
	in.Terms[1].Train[2] = -0.1
	_, err := TrainingCurves(in)
	wantInputErr(t, err, "MMD(z) train", "epoch 3", "LinearY")
	in.LinearY = true
	f, err := TrainingCurves(in)
	if err != nil {
		t.Fatalf("LinearY should accept negative losses: %v", err)
	}
	if f.YAxes[1].Type != "" {
		t.Errorf("LinearY axis type %q", f.YAxes[1].Type)
	}

	in = trainingInput()
	in.Terms[0].Valid = in.Terms[0].Valid[:4]
	_, err = TrainingCurves(in)
	wantInputErr(t, err, "MSE(y) validation", "4 values", "want 5")

	in = trainingInput()
	in.Epochs = []float64{1, 2, 3}
	_, err = TrainingCurves(in)
	wantInputErr(t, err, "Epochs", "3 values")

	in = trainingInput()
	in.Terms[0].Train[0] = math.NaN()
	_, err = TrainingCurves(in)
	wantInputErr(t, err, "MSE(y) train", "NaN")
}

func TestCoverageCurvesLayout(t *testing.T) {
	lv := []float64{0.2, 0.5, 0.8}
	f, err := CoverageCurves(CoverageInput{Trials: 100, Curves: []CoverageCurve{
		{Name: "slatop", Nominal: lv, Empirical: []float64{0.1, 0.4, 0.7}},
		{Name: "flnr", Nominal: lv, Empirical: lv},
	}})
	if err != nil {
		t.Fatal(err)
	}
	data, layout := layoutOf(t, f)
	if len(data) != 4 || data[1]["name"] != "ideal" || data[2]["name"] != "slatop" {
		t.Fatalf("traces %d: want band, ideal, slatop, flnr", len(data))
	}
	if data[0]["fill"] != "toself" {
		t.Errorf("band not filled")
	}
	for _, k := range []string{"xaxis", "yaxis"} {
		if r := axisRange(layout, k); r[0] != 0 || r[1] != 1 {
			t.Errorf("%s range %v", k, r)
		}
	}
	if axisTitle(layout, "xaxis") != "nominal coverage" || axisTitle(layout, "yaxis") != "empirical coverage" {
		t.Errorf("axis titles")
	}
	f, _ = CoverageCurves(CoverageInput{Curves: []CoverageCurve{{Name: "a", Nominal: lv, Empirical: lv}}})
	if len(f.Data) != 2 {
		t.Errorf("without Trials: %d traces, want 2", len(f.Data))
	}
	_, err = CoverageCurves(CoverageInput{Curves: []CoverageCurve{{Name: "a", Nominal: lv, Empirical: []float64{0.1, 1.2, 0.5}}}})
	wantInputErr(t, err, "a point 1", "outside [0, 1]")
	_, err = CoverageCurves(CoverageInput{Curves: []CoverageCurve{{Name: "a", Nominal: lv, Empirical: lv[:2]}}})
	wantInputErr(t, err, "a Empirical", "2 values")
}

func TestSBCHistograms(t *testing.T) {
	ranks := [][]int{}
	for s := range 200 {
		ranks = append(ranks, []int{s % 100, (s * 7) % 100, 0})
	}
	f, err := SBCHistograms(SBCInput{Params: []string{"a", "b", "c"}, Ranks: ranks, L: 99, Bins: 10, Columns: 2})
	if err != nil {
		t.Fatal(err)
	}
	data, layout := layoutOf(t, f)
	if len(data) != 6 {
		t.Fatalf("traces = %d, want 2 per parameter", len(data))
	}
	if len(layout["shapes"].([]any)) != 3 {
		t.Errorf("want one band shape per panel")
	}
	bars := data[1]
	if bars["type"] != "bar" {
		t.Fatalf("second trace %v", bars["type"])
	}
	total := 0.0
	for _, v := range bars["y"].([]any) {
		total += v.(float64)
		if v.(float64) != 20 { // ranks 0..99 twice over 10 bins: 20 each
			t.Errorf("uniform ranks give bin count %v, want 20", v)
		}
	}
	if total != 200 {
		t.Errorf("counts sum to %v", total)
	}
	if c := data[5]["y"].([]any); c[0].(float64) != 200 {
		t.Errorf("all-zero ranks should fill bin 0: %v", c)
	}
	// Expected count 20; the 99% band must contain it.
	if y := data[0]["y"].([]any); y[0].(float64) != 20 {
		t.Errorf("expected count %v", y[0])
	}
	if got := len(f.XAxes); got != 3 {
		t.Errorf("%d panels", got)
	}
	_, err = SBCHistograms(SBCInput{Params: []string{"a"}, Ranks: [][]int{{5}, {120}}, L: 99})
	wantInputErr(t, err, "simulation 1", "120", "0..99")
	_, err = SBCHistograms(SBCInput{Params: []string{"a", "b"}, Ranks: [][]int{{5}}, L: 99})
	wantInputErr(t, err, "row 0", "2 parameters")
}

func TestSBCBand(t *testing.T) {
	d := distuv.Binomial{N: 200, P: 0.1}
	lo, hi := binomQuantile(d, 200, 0.005), binomQuantile(d, 200, 0.995)
	// Normal approximation: 20 ± 2.58·√18 ≈ [9, 31].
	if !(lo >= 8 && lo <= 11 && hi >= 30 && hi <= 33) {
		t.Errorf("99%% band of Binomial(200, 0.1) = [%v, %v]", lo, hi)
	}
	f, err := SBCHistograms(SBCInput{Params: []string{"a"}, Ranks: [][]int{{1}}, L: 9})
	if err != nil {
		t.Fatal(err)
	}
	path := string(f.Layout.Shapes[0].Path)
	if !strings.HasPrefix(path, "M") || !strings.HasSuffix(path, "Z") || f.Layout.Shapes[0].Layer != "below" {
		t.Errorf("band shape %q layer %q", path, f.Layout.Shapes[0].Layer)
	}
}

func TestFlowPicture(t *testing.T) {
	data2, labels := moons(100)
	f, err := FlowPicture(FlowInput{Data: data2, Labels: labels, Latent: gaussian2(1, 100), Generated: gaussian2(2, 80)})
	if err != nil {
		t.Fatal(err)
	}
	data, layout := layoutOf(t, f)
	// 2 data classes, 2 latent classes, 2 circles, generated.
	if len(data) != 7 {
		t.Fatalf("traces = %d, want 7", len(data))
	}
	if len(data[6]["x"].([]any)) != 80 {
		t.Errorf("generated points %d", len(data[6]["x"].([]any)))
	}
	if axisTitle(layout, "xaxis2") != "z₁" || axisTitle(layout, "xaxis3") != "x₁" {
		t.Errorf("axis titles %q %q", axisTitle(layout, "xaxis2"), axisTitle(layout, "xaxis3"))
	}
	if a := annotationTexts(layout); len(a) != 3 || !strings.Contains(a[1], "latent") {
		t.Errorf("panel titles %q", a)
	}
	if f.YAxes[2].Scaleanchor != "x2" {
		t.Errorf("latent panel not square: %v", f.YAxes[2].Scaleanchor)
	}
	_, err = FlowPicture(FlowInput{Data: data2, Latent: [][]float64{{1, 2, 3}}, Generated: data2})
	wantInputErr(t, err, "Latent", "row 0", "3 values")
	_, err = FlowPicture(FlowInput{Data: data2, Labels: labels[:5], Latent: data2, Generated: data2})
	wantInputErr(t, err, "Labels")
}
