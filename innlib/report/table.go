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

// numeric reports, per column, whether it holds numbers: every cell of the
// body starts with a digit, a sign or a point, or is "-" (no value). Such
// columns are right-aligned, the others (and the first) left-aligned.
func (t *Table) numeric() []bool {
	num := make([]bool, len(t.Header))
	for j := 1; j < len(num); j++ {
		num[j] = len(t.Rows) > 0
		for _, r := range t.Rows {
			c := r[j]
			if c != "-" && (c == "" || !strings.ContainsRune("0123456789+-.", rune(c[0]))) {
				num[j] = false
				break
			}
		}
	}
	return num
}

// WriteText writes the table as plain text: the caption, the columns padded
// to their widest cell (numbers right-aligned, text left-aligned) and the
// notes.
func (t *Table) WriteText(w io.Writer) error {
	if err := t.check(); err != nil {
		return err
	}
	var b strings.Builder
	if t.Caption != "" {
		b.WriteString(t.Caption + "\n")
	}
	if len(t.Header) > 0 {
		num := t.numeric()
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
				if j > 0 {
					line.WriteString("  ")
				}
				if num[j] {
					line.WriteString(pad + c)
				} else {
					line.WriteString(c + pad)
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
// header row and one row per Rows entry, and the notes as paragraphs.
// Every text is escaped. Columns of numbers are right-aligned with tabular
// digits, so numbers line up; text is left-aligned.
func (t *Table) HTML() (string, error) {
	if err := t.check(); err != nil {
		return "", err
	}
	const num = ` style="text-align:right;font-variant-numeric:tabular-nums"`
	const text = ` style="text-align:left"`
	esc := html.EscapeString
	var b strings.Builder
	b.WriteString(`<div class="innlib-table">` + "\n")
	// The caption is a block above the table rather than a <caption>,
	// which would wrap at the table's width.
	if t.Caption != "" {
		b.WriteString(`<div class="innlib-caption" style="font-weight:bold;margin:0.5em 0 0.3em">` + esc(t.Caption) + "</div>\n")
	}
	b.WriteString("<table>\n")
	numeric := t.numeric()
	cell := func(tag string, j int, c string) {
		style := text
		if numeric[j] {
			style = num
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
