package report

import (
	"fmt"
	"html"
	"io"
	"strings"
	"unicode/utf8"
)

// Table is a small table of formatted results, shown as HTML in a notebook
// and as aligned plain text elsewhere. Cells are already formatted: the
// builders (ParamTable, ForwardTable, ...) decide the precision, so both
// renderings show the same digits.
type Table struct {
	Caption string     // Shown above the table; may be empty.
	Header  []string   // Column names.
	Rows    [][]string // Each row has len(Header) cells.
	Notes   []string   // Lines shown under the table.
}

// check reports a row whose length differs from the header's.
func (t *Table) check() error {
	for i, r := range t.Rows {
		if len(r) != len(t.Header) {
			return fmt.Errorf("report: table %q: row %d has %d cells, the header %d", t.Caption, i, len(r), len(t.Header))
		}
	}
	return nil
}

// WriteText writes the table as plain text: the caption, the columns padded
// to their widest cell (the first left-aligned, the others right-aligned, as
// they hold numbers) and the notes.
func (t *Table) WriteText(w io.Writer) error {
	if err := t.check(); err != nil {
		return err
	}
	var b strings.Builder
	if t.Caption != "" {
		b.WriteString(t.Caption + "\n")
	}
	if len(t.Header) > 0 {
		width := make([]int, len(t.Header))
		for _, r := range append([][]string{t.Header}, t.Rows...) {
			for j, c := range r {
				width[j] = max(width[j], utf8.RuneCountInString(c))
			}
		}
		for _, r := range append([][]string{t.Header}, t.Rows...) {
			var line strings.Builder
			for j, c := range r {
				pad := strings.Repeat(" ", width[j]-utf8.RuneCountInString(c))
				if j == 0 {
					line.WriteString(c + pad)
				} else {
					line.WriteString("  " + pad + c)
				}
			}
			b.WriteString(strings.TrimRight(line.String(), " ") + "\n")
		}
	}
	for _, n := range t.Notes {
		b.WriteString(n + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Text returns WriteText's output as a string.
func (t *Table) Text() (string, error) {
	var b strings.Builder
	err := t.WriteText(&b)
	return b.String(), err
}

// HTML returns the table as an HTML fragment: the caption, a <table> with a
// header row and one row per Rows entry, and the notes as paragraphs. Every text is escaped. The first column is left-aligned and
// the others right-aligned with tabular digits, so numbers line up.
func (t *Table) HTML() (string, error) {
	if err := t.check(); err != nil {
		return "", err
	}
	const num = ` style="text-align:right;font-variant-numeric:tabular-nums"`
	const first = ` style="text-align:left"`
	esc := html.EscapeString
	var b strings.Builder
	b.WriteString(`<div class="innlib-table">` + "\n")
	// The caption is a block above the table rather than a <caption>,
	// which would wrap at the table's width.
	if t.Caption != "" {
		b.WriteString(`<div class="innlib-caption" style="font-weight:bold;margin:0.5em 0 0.3em">` + esc(t.Caption) + "</div>\n")
	}
	b.WriteString("<table>\n")
	cell := func(tag string, j int, c string) {
		style := num
		if j == 0 {
			style = first
		}
		b.WriteString("<" + tag + style + ">" + esc(c) + "</" + tag + ">")
	}
	if len(t.Header) > 0 {
		b.WriteString("<thead><tr>")
		for j, c := range t.Header {
			cell("th", j, c)
		}
		b.WriteString("</tr></thead>\n")
	}
	b.WriteString("<tbody>\n")
	for _, r := range t.Rows {
		b.WriteString("<tr>")
		for j, c := range r {
			cell("td", j, c)
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</tbody>\n</table>\n")
	for _, n := range t.Notes {
		b.WriteString("<p>" + esc(n) + "</p>\n")
	}
	b.WriteString("</div>\n")
	return b.String(), nil
}
