package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func tinyPNG(t *testing.T) string {
	img := image.NewRGBA(image.Rect(0, 0, 40, 20))
	for x := range 40 {
		img.Set(x, 10, color.RGBA{200, 0, 0, 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(b.Bytes())
}

// executed writes an executed notebook with one output of each kind.
func executed(t *testing.T, dir, stem, header string) string {
	t.Helper()
	nb := map[string]any{
		"cells": []any{
			map[string]any{"cell_type": "markdown", "source": []string{"# Title\n", "Some text."}},
			map[string]any{"cell_type": "code", "source": "notebook.Experiment()", "outputs": []any{
				map[string]any{"output_type": "stream", "name": "stdout", "text": []string{"800 training runs\n"}},
			}},
			map[string]any{"cell_type": "code", "source": "notebook.Show(t)", "outputs": []any{
				map[string]any{"output_type": "display_data", "data": map[string]any{
					"text/html":  "<div><table>\n<thead><tr><th>" + header + "</th><th>mean</th></tr></thead>\n<tbody>\n<tr><td>a</td><td>1</td></tr>\n<tr><td>b</td><td>2</td></tr>\n</tbody>\n</table></div>",
					"text/plain": "parameter mean"}},
			}},
			map[string]any{"cell_type": "code", "source": "notebook.Plot(f)", "outputs": []any{
				map[string]any{"output_type": "display_data", "data": map[string]any{
					"text/html": "<div id=x></div><script>Plotly.newPlot()</script>", "image/png": tinyPNG(t)}},
			}},
		},
	}
	raw, err := json.Marshal(nb)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, stem+".ipynb")
	if err := os.WriteFile(p, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestExportAndCheck(t *testing.T) {
	src, out := t.TempDir(), t.TempDir()
	p := executed(t, src, "02_demo", "parameter")
	if err := export(out, []string{p}); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(out, "02_demo.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"# Title\nSome text.\n\n", "```go\nnotebook.Experiment()\n```", "```text\n800 training runs\n```",
		"<th>parameter</th>", "![Figure of cell 3](02_demo/cell03-1.png)", "notebooks/02_demo.ipynb"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("page lacks %q:\n%s", want, page)
		}
	}
	f, err := os.Open(filepath.Join(out, "02_demo", "cell03-1.png"))
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(f)
	f.Close()
	if r, g, _, _ := img.At(5, 10).RGBA(); err != nil || img.Bounds().Dx() != 40 || r>>8 != 200 || g != 0 {
		t.Errorf("figure not written faithfully: %v", err)
	}
	m, err := readManifest(out)
	if err != nil {
		t.Fatal(err)
	}
	if index, err := os.ReadFile(filepath.Join(out, "README.md")); err != nil || !strings.Contains(string(index), "- [Title](02_demo.md)") {
		t.Errorf("index: %v\n%s", err, index)
	}
	got, _ := json.Marshal(m.Notebooks["02_demo"].Outputs)
	if want := `[{"cell":1,"items":["text"]},{"cell":2,"items":["table: parameter | mean (2 rows)"]},{"cell":3,"items":["figure"]}]`; string(got) != want {
		t.Errorf("manifest outputs %s, want %s", got, want)
	}

	// Fresh: the same notebook passes both checks.
	if err := checkSources(out, []string{p}); err != nil {
		t.Errorf("fresh export: %v", err)
	}
	if err := checkExecuted(out, []string{p}); err != nil {
		t.Errorf("fresh export: %v", err)
	}
	// A new notebook without a page fails the source check.
	other := executed(t, src, "06_new", "parameter")
	if err := checkSources(out, []string{p, other}); err == nil || !strings.Contains(err.Error(), "06_new") {
		t.Errorf("a notebook without a page: %v", err)
	}
	// A page whose notebook is gone fails it too.
	if err := checkSources(out, []string{other}); err == nil || !strings.Contains(err.Error(), "gone") {
		t.Errorf("a page without a notebook: %v", err)
	}
	// An edited cell fails it.
	raw, _ := os.ReadFile(p)
	edited := filepath.Join(t.TempDir(), "02_demo.ipynb")
	os.WriteFile(edited, bytes.Replace(raw, []byte("Some text."), []byte("Other text."), 1), 0o644)
	if err := checkSources(out, []string{edited}); err == nil || !strings.Contains(err.Error(), "changed") {
		t.Errorf("an edited notebook: %v", err)
	}
	// Same sources, but a table with other columns: the executed check fails.
	changed := executed(t, t.TempDir(), "02_demo", "name")
	if err := checkExecuted(out, []string{changed}); err == nil || !strings.Contains(err.Error(), "cell 2") {
		t.Errorf("a changed table: %v", err)
	}
	// A missing figure file fails the executed check.
	os.Remove(filepath.Join(out, "02_demo", "cell03-1.png"))
	if err := checkExecuted(out, []string{p}); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("a missing figure: %v", err)
	}
}

// A figure shown as interactive HTML only (a plain test run, no PNGs) has
// the same structure as the exported picture.
func TestStructureOfFigures(t *testing.T) {
	html := output{Type: "display_data", Data: map[string]json.RawMessage{"text/html": json.RawMessage(`"<script>Plotly.newPlot()</script>"`)}}
	if s := structure(html); s != "figure" {
		t.Errorf("interactive figure: %q", s)
	}
	if s := structure(output{Type: "error"}); s != "error" {
		t.Errorf("error: %q", s)
	}
}

func TestExportRefusesErrors(t *testing.T) {
	dir := t.TempDir()
	nb := `{"cells":[{"cell_type":"code","source":"panic(1)","outputs":[{"output_type":"error","ename":"panic","evalue":"1"}]}]}`
	p := filepath.Join(dir, "x.ipynb")
	os.WriteFile(p, []byte(nb), 0o644)
	if err := export(t.TempDir(), []string{p}); err == nil || !strings.Contains(err.Error(), "error output") {
		t.Errorf("export of a failed notebook: %v", err)
	}
}
