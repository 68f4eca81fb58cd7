package plots

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"

	"github.com/MetalBlueberry/go-plotly/pkg/types"
)

// Default PNG size when neither the call nor the figure's layout gives one.
const (
	defaultPNGWidth  = 1200
	defaultPNGHeight = 800
)

// WritePNG renders fig with headless Chromium and writes a width × height
// PNG to path, atomically. A zero width or height takes the figure's layout
// size (else 1200 × 800). It needs the local plotly.js (FindPlotlyJS) and a
// Chromium binary (FindChromium); without them it returns ErrNoPlotlyJS or
// ErrNoChromium rather than a blank picture.
func WritePNG(fig types.Fig, path string, width, height int) error {
	img, err := RenderPNG(fig, width, height)
	if err != nil {
		return err
	}
	return writeAtomic(path, img)
}

// RenderPNG is WritePNG returning the PNG bytes (for notebooks). A capture
// with a single colour everywhere is an error: plotly did not draw.
func RenderPNG(fig types.Fig, width, height int) ([]byte, error) {
	w, h, err := figureSize(fig, width, height)
	if err != nil {
		return nil, err
	}
	dir, page, err := tempPage(fig, w, h, true)
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	shot := filepath.Join(dir, "shot.png")
	if _, err := runChromium(page, fmt.Sprintf("--window-size=%d,%d", w, h), "--screenshot="+shot); err != nil {
		return nil, err
	}
	data, err := os.ReadFile(shot)
	if err != nil {
		return nil, fmt.Errorf("plots: chromium wrote no screenshot: %w", err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("plots: chromium screenshot: %w", err)
	}
	if uniform(img) {
		return nil, fmt.Errorf("plots: the rendered PNG is blank (plotly.js did not draw)")
	}
	return data, nil
}

// figureSize picks the capture size: the arguments, else the layout's
// width/height, else the default.
func figureSize(fig types.Fig, width, height int) (int, int, error) {
	if width < 0 || height < 0 {
		return 0, 0, fmt.Errorf("plots: PNG size %d × %d: %w", width, height, ErrInput)
	}
	if width > 0 && height > 0 {
		return width, height, nil
	}
	raw, err := json.Marshal(fig)
	if err != nil {
		return 0, 0, fmt.Errorf("plots: encoding figure: %w", err)
	}
	var f struct {
		Layout struct {
			Width  float64 `json:"width"`
			Height float64 `json:"height"`
		} `json:"layout"`
	}
	_ = json.Unmarshal(raw, &f) // a figure without a layout keeps the defaults
	if width == 0 {
		width = int(f.Layout.Width)
		if width <= 0 {
			width = defaultPNGWidth
		}
	}
	if height == 0 {
		height = int(f.Layout.Height)
		if height <= 0 {
			height = defaultPNGHeight
		}
	}
	return width, height, nil
}

// tempPage writes fig's page into a new temporary folder with plotly.js
// beside it (a symlink, or a copy where links fail) and returns both paths.
func tempPage(fig types.Fig, w, h int, static bool) (dir, page string, err error) {
	js, err := FindPlotlyJS()
	if err != nil {
		return "", "", err
	}
	dir, err = os.MkdirTemp("", "innlib-plot-")
	if err != nil {
		return "", "", err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(dir)
		}
	}()
	if err = os.Symlink(js, filepath.Join(dir, plotlyFileName)); err != nil {
		if err = copyFileAtomic(js, filepath.Join(dir, plotlyFileName)); err != nil {
			return "", "", err
		}
	}
	page = filepath.Join(dir, "figure.html")
	err = WriteHTML(fig, page, HTMLOptions{Source: PlotlySibling, PlotlyJS: js, Width: w, Height: h, RequireLocal: true, Static: static})
	return dir, page, err
}

// uniform reports whether every pixel of img has the same colour.
func uniform(img image.Image) bool {
	b := img.Bounds()
	if b.Empty() {
		return true
	}
	r0, g0, b0, a0 := img.At(b.Min.X, b.Min.Y).RGBA()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, a := img.At(x, y).RGBA()
			if r != r0 || g != g0 || bl != b0 || a != a0 {
				return false
			}
		}
	}
	return true
}
