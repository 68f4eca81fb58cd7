package plots

import (
	"bytes"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// Browser checks: the figures are really drawn by plotly.js in headless
// Chromium, offline. Skipped without Chromium or the local plotly.js (run
// scripts/setup_notebooks.sh), and under -short (each run takes seconds).

func needBrowser(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("browser tests skipped in -short mode")
	}
	if _, err := FindChromium(); err != nil {
		t.Skipf("%v", err)
	}
	needPlotly(t)
}

func TestBrowserDrawsMarginalsGrid(t *testing.T) {
	needBrowser(t)
	in := marginalsInput()
	f, err := PosteriorMarginals(in)
	if err != nil {
		t.Fatal(err)
	}
	dom, err := RenderDOM(f)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(dom, ReadyAttr) {
		t.Fatalf("Plotly.newPlot did not finish; DOM starts %.300q", dom)
	}
	if n := strings.Count(dom, `class="main-svg"`); n < 2 {
		t.Errorf("%d main-svg elements", n)
	}
	// Every scatter trace of the 18 panels has its SVG group.
	scatters := len(regexp.MustCompile(`class="trace scatter`).FindAllString(dom, -1))
	if scatters != 52 {
		t.Errorf("%d scatter trace groups drawn, want 52", scatters)
	}
	if n := strings.Count(dom, `class="contour`); n < 2 {
		t.Errorf("joint contours not drawn (%d)", n)
	}
	for _, label := range []string{"crit_onset_gdd", "(degree-days)", "MCMC", "MAP (MCMC)", "slatop vs flnr"} {
		if !strings.Contains(dom, label) {
			t.Errorf("drawn figure lacks the text %q", label)
		}
	}
}

func TestBrowserPNGIsNotBlank(t *testing.T) {
	needBrowser(t)
	f, err := PosteriorPredictive(predictiveInput())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "predictive.png")
	if err := WritePNG(f, path, 640, 400); err != nil {
		t.Fatal(err)
	}
	if got := listDir(t, dir); len(got) != 1 {
		t.Errorf("PNG export left %q", got)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	if b.Dx() != 640 || b.Dy() != 400 {
		t.Errorf("PNG is %d × %d, want 640 × 400", b.Dx(), b.Dy())
	}
	// Luminance spread and the share of non-white pixels: a blank capture
	// fails both; a page showing only an error line has under 2% non-white
	// pixels against about 10% for this figure.
	var sum, sum2 float64
	nonWhite := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			l := (0.299*float64(r) + 0.587*float64(g) + 0.114*float64(bl)) / 65535
			sum += l
			sum2 += l * l
			if l < 0.95 {
				nonWhite++
			}
		}
	}
	n := float64(b.Dx() * b.Dy())
	sd := math.Sqrt(sum2/n - (sum/n)*(sum/n))
	t.Logf("luminance sd %.3f, %.1f%% non-white", sd, 100*float64(nonWhite)/n)
	if sd < 0.05 || float64(nonWhite)/n < 0.05 {
		t.Errorf("PNG looks blank: luminance sd %.3f, %.1f%% non-white", sd, 100*float64(nonWhite)/n)
	}
}

// The widest figure, the posterior grid, is drawn at most MaxWidth wide both
// in an HTML page (plotly's SVG) and as a PNG at the figure's own size.
func TestBrowserFigureWidth(t *testing.T) {
	needBrowser(t)
	f, err := PosteriorMarginals(marginalsInput())
	if err != nil {
		t.Fatal(err)
	}
	dom, err := RenderDOM(f)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`<svg class="main-svg"[^>]* width="(\d+)"`).FindStringSubmatch(dom)
	if m == nil {
		t.Fatalf("no plotly SVG in the page")
	}
	if w, _ := strconv.Atoi(m[1]); w > MaxWidth || w < MaxWidth/2 {
		t.Errorf("the page draws the figure %d px wide, want at most %d", w, MaxWidth)
	}
	raw, err := RenderPNG(f, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if w := img.Bounds().Dx(); w > MaxWidth || w < MaxWidth/2 {
		t.Errorf("the PNG is %d px wide, want at most %d", w, MaxWidth)
	}
}
