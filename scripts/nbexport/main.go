// Command nbexport turns executed notebooks into static Markdown pages with
// PNG figures, so that someone browsing the repository sees the results
// without running anything (GitHub does not draw the notebooks' Plotly
// outputs). scripts/export_notebooks.sh executes the notebooks and runs it.
//
//	go run ./scripts/nbexport [-out docs/notebooks] EXECUTED.ipynb...
//	go run ./scripts/nbexport -check [-out docs/notebooks] EXECUTED.ipynb...
//	go run ./scripts/nbexport -sources [-out docs/notebooks] notebooks/*.ipynb
//
// For each notebook NAME.ipynb it writes OUT/NAME.md (markdown cells as
// they are, code cells as Go blocks, text outputs as text blocks, tables as
// their HTML, figures as PNG files under OUT/NAME/) and records in
// OUT/manifest.json a hash of the notebook's cells (sources only) and the
// structure of its outputs (per code cell: text, tables with their header
// and row count, figures).
//
// Freshness, checked in CI without comparing pictures byte for byte:
//   - -sources compares the hashes of the given notebooks (unexecuted) with
//     the manifest: a notebook changed or added since the last export, or a
//     page left for a deleted one, fails. It runs in a second.
//   - -check compares executed notebooks (e.g. from scripts/test_notebooks.sh)
//     with the manifest, hashes and output structure alike, so an export
//     whose tables or figures no longer match what the notebooks produce
//     fails too. Numbers are not compared: the tables hold wall times.
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

func main() {
	out := flag.String("out", "docs/notebooks", "folder of the exported pages")
	check := flag.Bool("check", false, "check the exported pages against executed notebooks instead of writing them")
	sources := flag.Bool("sources", false, "check only that the exported pages match the notebooks' sources")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: nbexport [-out DIR] [-check | -sources] NOTEBOOK.ipynb...")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	var err error
	switch {
	case *sources:
		err = checkSources(*out, flag.Args())
	case *check:
		err = checkExecuted(*out, flag.Args())
	default:
		err = export(*out, flag.Args())
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "nbexport:", err)
		os.Exit(1)
	}
}

// notebook is the part of the .ipynb format the export reads.
type notebook struct {
	Cells []cell `json:"cells"`
}

type cell struct {
	Type    string   `json:"cell_type"`
	Source  lines    `json:"source"`
	Outputs []output `json:"outputs"`
}

type output struct {
	Type  string                     `json:"output_type"`
	Name  string                     `json:"name"` // stream: stdout or stderr
	Text  lines                      `json:"text"`
	Data  map[string]json.RawMessage `json:"data"`
	EName string                     `json:"ename"`
	EVal  string                     `json:"evalue"`
}

// lines is a multi-line string, stored either whole or as a list of lines.
type lines string

func (l *lines) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*l = lines(s)
		return nil
	}
	var parts []string
	if err := json.Unmarshal(b, &parts); err != nil {
		return err
	}
	*l = lines(strings.Join(parts, ""))
	return nil
}

// data returns a MIME entry of an output as a string ("" when absent).
func (o output) data(mime string) string {
	raw, ok := o.Data[mime]
	if !ok {
		return ""
	}
	var l lines
	if err := json.Unmarshal(raw, &l); err != nil {
		return ""
	}
	return string(l)
}

func read(path string) (*notebook, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var nb notebook
	if err := json.Unmarshal(raw, &nb); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &nb, nil
}

// Manifest records what each exported page was made from.
type Manifest struct {
	Note      string           `json:"note"`
	Notebooks map[string]Entry `json:"notebooks"` // by notebook name (file stem)
}

// Entry is one notebook's record.
type Entry struct {
	Title   string       `json:"title"`         // the first "# " heading
	Source  string       `json:"source_sha256"` // hash of the cells' types and sources
	Outputs []CellOutput `json:"outputs"`       // code cells with outputs
}

// CellOutput is the structure of one code cell's outputs.
type CellOutput struct {
	Cell  int      `json:"cell"`
	Items []string `json:"items"` // "text", "table: header | ... (N rows)", "figure", "error"
}

func name(path string) string { return strings.TrimSuffix(filepath.Base(path), ".ipynb") }

// sourceHash hashes cell types and sources: what an export depends on
// besides the results, and what stays the same between an executed
// notebook and its unexecuted original.
func sourceHash(nb *notebook) string {
	h := sha256.New()
	for _, c := range nb.Cells {
		fmt.Fprintf(h, "%s\x00%s\x00", c.Type, c.Source)
	}
	return hex.EncodeToString(h.Sum(nil))
}

var (
	headerCell = regexp.MustCompile(`(?s)<th(?:\s[^>]*)?>(.*?)</th>`)
	bodyRow    = regexp.MustCompile(`(?s)<tbody>.*?</tbody>`)
	ansi       = regexp.MustCompile("\x1b\\[[0-9;]*[A-Za-z]")
)

// structure describes one output for the manifest ("" for none worth
// recording).
func structure(o output) string {
	switch o.Type {
	case "error":
		return "error"
	case "stream":
		return "text"
	}
	if o.data("image/png") != "" {
		return "figure"
	}
	h := o.data("text/html")
	if strings.Contains(h, "<table") {
		var head []string
		for _, m := range headerCell.FindAllStringSubmatch(h, -1) {
			head = append(head, m[1])
		}
		rows := strings.Count(bodyRow.FindString(h), "<tr")
		return fmt.Sprintf("table: %s (%d rows)", strings.Join(head, " | "), rows)
	}
	if strings.Contains(strings.ToLower(h), "plotly") {
		return "figure"
	}
	if h != "" || o.data("text/plain") != "" {
		return "text"
	}
	return ""
}

func entry(nb *notebook) Entry {
	e := Entry{Source: sourceHash(nb), Outputs: []CellOutput{}}
	for _, c := range nb.Cells {
		for _, l := range strings.Split(string(c.Source), "\n") {
			if t, ok := strings.CutPrefix(l, "# "); ok && c.Type == "markdown" && e.Title == "" {
				e.Title = strings.TrimSpace(t)
			}
		}
	}
	for i, c := range nb.Cells {
		if c.Type != "code" {
			continue
		}
		co := CellOutput{Cell: i}
		for _, o := range c.Outputs {
			if s := structure(o); s != "" && !(s == "text" && len(co.Items) > 0 && co.Items[len(co.Items)-1] == "text") {
				co.Items = append(co.Items, s) // consecutive text outputs count once
			}
		}
		if len(co.Items) > 0 {
			e.Outputs = append(e.Outputs, co)
		}
	}
	return e
}

func readManifest(out string) (*Manifest, error) {
	raw, err := os.ReadFile(filepath.Join(out, "manifest.json"))
	if err != nil {
		return nil, fmt.Errorf("no export to check (%w); run scripts/export_notebooks.sh", err)
	}
	var m Manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	return &m, nil
}

// export writes the pages and figures of the given executed notebooks and
// updates their manifest entries (entries of other notebooks are kept, so
// one notebook can be re-exported alone).
func export(out string, paths []string) error {
	m, err := readManifest(out)
	if err != nil {
		m = &Manifest{}
	}
	m.Note = "Written by scripts/export_notebooks.sh (go run ./scripts/nbexport); checked by scripts/check_notebook_docs.sh."
	if m.Notebooks == nil {
		m.Notebooks = map[string]Entry{}
	}
	for _, p := range paths {
		nb, err := read(p)
		if err != nil {
			return err
		}
		n := name(p)
		e := entry(nb)
		for _, co := range e.Outputs {
			for _, it := range co.Items {
				if it == "error" {
					return fmt.Errorf("%s: cell %d has an error output; fix the notebook before exporting", p, co.Cell)
				}
			}
		}
		if err := writePage(out, n, nb); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		m.Notebooks[n] = e
		fmt.Printf("exported %s -> %s\n", p, filepath.Join(out, n+".md"))
	}
	raw, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "manifest.json"), append(raw, '\n'), 0o644); err != nil {
		return err
	}
	return writeIndex(out, m)
}

// writeIndex lists the exported pages in OUT/README.md.
func writeIndex(out string, m *Manifest) error {
	names := make([]string, 0, len(m.Notebooks))
	for n := range m.Notebooks {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("<!-- Generated by scripts/export_notebooks.sh: do not edit. -->\n\n# The notebooks, executed\n\n")
	b.WriteString("Static copies of the notebooks in [`notebooks/`](../../notebooks) with their outputs and figures (as PNG pictures), " +
		"to read without running anything. The Ozark notebooks show the main job's results (`go run ./scripts/ozark`). " +
		"`scripts/export_notebooks.sh` regenerates these pages; `scripts/check_notebook_docs.sh` checks that they match the notebooks.\n\n")
	for _, n := range names {
		title := m.Notebooks[n].Title
		if title == "" {
			title = n
		}
		fmt.Fprintf(&b, "- [%s](%s.md)\n", title, n)
	}
	return os.WriteFile(filepath.Join(out, "README.md"), []byte(b.String()), 0o644)
}

// writePage writes OUT/NAME.md and the figures in OUT/NAME/ (replacing the
// folder, so figures of removed cells do not linger).
func writePage(out, n string, nb *notebook) error {
	figDir := filepath.Join(out, n)
	if err := os.RemoveAll(figDir); err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "<!-- Generated from notebooks/%s.ipynb by scripts/export_notebooks.sh: do not edit. -->\n\n", n)
	fmt.Fprintf(&b, "*A static copy of the executed notebook [`notebooks/%s.ipynb`](../../notebooks/%s.ipynb), "+
		"with its figures as pictures; run the notebook for the interactive figures.*\n\n", n, n)
	for i, c := range nb.Cells {
		src := strings.TrimRight(string(c.Source), "\n")
		switch c.Type {
		case "markdown":
			b.WriteString(src + "\n\n")
			continue
		case "code":
		default:
			continue
		}
		if src != "" {
			b.WriteString("```go\n" + src + "\n```\n\n")
		}
		figs := 0
		var text strings.Builder
		flush := func() {
			if t := strings.TrimRight(text.String(), "\n"); t != "" {
				b.WriteString("```text\n" + t + "\n```\n\n")
			}
			text.Reset()
		}
		for _, o := range c.Outputs {
			switch {
			case o.Type == "stream":
				text.WriteString(ansi.ReplaceAllString(string(o.Text), ""))
			case o.Type == "error":
				text.WriteString(o.EName + ": " + o.EVal + "\n")
			case o.data("image/png") != "":
				flush()
				figs++
				file := fmt.Sprintf("cell%02d-%d.png", i, figs)
				if err := writePNG(filepath.Join(figDir, file), o.data("image/png")); err != nil {
					return fmt.Errorf("cell %d: %w", i, err)
				}
				fmt.Fprintf(&b, "![Figure of cell %d](%s/%s)\n\n", i, n, file)
			case strings.Contains(o.data("text/html"), "<table"):
				flush()
				b.WriteString(strings.TrimSpace(o.data("text/html")) + "\n\n")
			case strings.Contains(strings.ToLower(o.data("text/html")), "plotly"):
				flush()
				b.WriteString("*(An interactive figure without a picture: export with scripts/export_notebooks.sh, which asks the notebooks for PNGs.)*\n\n")
			case o.data("text/plain") != "":
				text.WriteString(o.data("text/plain") + "\n")
			}
		}
		flush()
	}
	return os.WriteFile(filepath.Join(out, n+".md"), []byte(b.String()), 0o644)
}

// writePNG decodes a base64 PNG and writes it re-encoded at the best
// compression (plotly pictures have few colours and shrink well).
func writePNG(path, b64 string) error {
	raw, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(b64, "\n", ""))
	if err != nil {
		return err
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, img); err != nil {
		return err
	}
	if buf.Len() > len(raw) {
		buf.Reset()
		buf.Write(raw)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

// checkSources fails when the manifest does not list exactly the given
// notebooks with their current sources.
func checkSources(out string, paths []string) error {
	m, err := readManifest(out)
	if err != nil {
		return err
	}
	var problems []string
	seen := map[string]bool{}
	for _, p := range paths {
		nb, err := read(p)
		if err != nil {
			return err
		}
		n := name(p)
		seen[n] = true
		e, ok := m.Notebooks[n]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("%s has no exported page", p))
		case e.Source != sourceHash(nb):
			problems = append(problems, fmt.Sprintf("%s changed since its page was exported", p))
		}
		if _, err := os.Stat(filepath.Join(out, n+".md")); ok && err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", p, err))
		}
	}
	for n := range m.Notebooks {
		if !seen[n] {
			problems = append(problems, fmt.Sprintf("%s/%s.md is the page of a notebook that is gone", out, n))
		}
	}
	return verdict(problems, len(paths))
}

// checkExecuted compares executed notebooks with the manifest: sources and
// output structure.
func checkExecuted(out string, paths []string) error {
	m, err := readManifest(out)
	if err != nil {
		return err
	}
	var problems []string
	for _, p := range paths {
		nb, err := read(p)
		if err != nil {
			return err
		}
		n := name(p)
		want, ok := m.Notebooks[n]
		if !ok {
			problems = append(problems, fmt.Sprintf("%s has no exported page", p))
			continue
		}
		got := entry(nb)
		if got.Source != want.Source {
			problems = append(problems, fmt.Sprintf("%s changed since its page was exported", p))
			continue
		}
		problems = append(problems, diffOutputs(p, want.Outputs, got.Outputs)...)
		for _, co := range want.Outputs {
			figs := 0
			for _, it := range co.Items {
				if it == "figure" {
					figs++
					file := filepath.Join(out, n, fmt.Sprintf("cell%02d-%d.png", co.Cell, figs))
					if _, err := os.Stat(file); err != nil {
						problems = append(problems, fmt.Sprintf("%s: cell %d: figure %s missing", p, co.Cell, file))
					}
				}
			}
		}
	}
	return verdict(problems, len(paths))
}

// diffOutputs lists the cells whose output structure differs. An executed
// notebook without PNGs (a plain test run) shows its figures as HTML, which
// the structure also records as "figure".
func diffOutputs(p string, want, got []CellOutput) []string {
	index := func(cs []CellOutput) map[int][]string {
		m := map[int][]string{}
		for _, c := range cs {
			m[c.Cell] = c.Items
		}
		return m
	}
	w, g := index(want), index(got)
	cells := map[int]bool{}
	for c := range w {
		cells[c] = true
	}
	for c := range g {
		cells[c] = true
	}
	keys := make([]int, 0, len(cells))
	for c := range cells {
		keys = append(keys, c)
	}
	sort.Ints(keys)
	var out []string
	for _, c := range keys {
		if a, b := strings.Join(w[c], "; "), strings.Join(g[c], "; "); a != b {
			out = append(out, fmt.Sprintf("%s: cell %d outputs [%s], the exported page has [%s]", p, c, b, a))
		}
	}
	return out
}

func verdict(problems []string, n int) error {
	if len(problems) > 0 {
		return fmt.Errorf("the exported notebook pages are stale; run scripts/export_notebooks.sh:\n  %s", strings.Join(problems, "\n  "))
	}
	fmt.Printf("ok: the exported pages of %d notebooks are fresh\n", n)
	return nil
}
