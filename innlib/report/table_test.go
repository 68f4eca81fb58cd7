package report

import (
	"encoding/xml"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// parsedTable is the structure HTML must have; encoding/xml parses the
// fragment strictly, so an unescaped "<" or "&" in a cell fails the parse.
type parsedTable struct {
	Caption string `xml:"div"`
	Table   struct {
		Head []string `xml:"thead>tr>th"`
		Rows []struct {
			Cells []string `xml:"td"`
		} `xml:"tbody>tr"`
	} `xml:"table"`
	Notes []string `xml:"p"`
}

func parseHTML(t *testing.T, tab *Table) parsedTable {
	t.Helper()
	h, err := tab.HTML()
	if err != nil {
		t.Fatal(err)
	}
	var p parsedTable
	if err := xml.Unmarshal([]byte(h), &p); err != nil {
		t.Fatalf("HTML does not parse: %v\n%s", err, h)
	}
	return p
}

func TestTableHTMLEscapes(t *testing.T) {
	hostile := `<script>alert("x")</script> & 'q'`
	tab := &Table{Caption: "a < b", Header: []string{"name", "R² & <i>"}, Rows: [][]string{{hostile, "1 < 2"}}, Notes: []string{"x > y & z"}}
	h, err := tab.HTML()
	if err != nil {
		t.Fatal(err)
	}
	for _, raw := range []string{"<script>", "<i>", "1 < 2", "a < b", "& z"} {
		if strings.Contains(h, raw) {
			t.Errorf("HTML contains unescaped %q:\n%s", raw, h)
		}
	}
	// The parsed text is the original: escaped, not mangled.
	p := parseHTML(t, tab)
	if p.Caption != "a < b" || p.Table.Head[1] != "R² & <i>" || p.Table.Rows[0].Cells[0] != hostile ||
		p.Table.Rows[0].Cells[1] != "1 < 2" || p.Notes[0] != "x > y & z" {
		t.Errorf("parsed back %+v", p)
	}
}

func TestTableHTMLShape(t *testing.T) {
	tab := &Table{Header: []string{"a", "b", "c"}, Rows: [][]string{{"1", "2", "3"}, {"4", "5", "6"}, {"7", "8", "9"}, {"x", "", "z"}}}
	p := parseHTML(t, tab)
	if len(p.Table.Head) != 3 || len(p.Table.Rows) != 4 {
		t.Fatalf("%d header cells and %d rows, want 3 and 4", len(p.Table.Head), len(p.Table.Rows))
	}
	for i, r := range p.Table.Rows {
		if len(r.Cells) != 3 {
			t.Errorf("row %d has %d cells", i, len(r.Cells))
		}
		for j, c := range r.Cells {
			if c != tab.Rows[i][j] {
				t.Errorf("cell %d,%d = %q, want %q", i, j, c, tab.Rows[i][j])
			}
		}
	}
	if p.Caption != "" || len(p.Notes) != 0 {
		t.Errorf("caption %q, notes %q from a table with neither", p.Caption, p.Notes)
	}
}

func TestTableText(t *testing.T) {
	tab := &Table{Caption: "cap", Header: []string{"parameter", "τ", "R²"}, Rows: [][]string{{"a", "1", "0.5"}, {"longer name", "1000", "0.25"}}, Notes: []string{"note"}}
	txt, err := tab.Text()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(txt, "\n"), "\n")
	if len(lines) != 5 || lines[0] != "cap" || lines[4] != "note" {
		t.Fatalf("lines %q", lines)
	}
	// Columns: the first left-aligned, the others right-aligned, so every
	// row has the same width (counted in runes: τ and ² are one column) and
	// each number ends where its header ends.
	w := utf8.RuneCountInString(lines[1])
	for _, l := range lines[1:4] {
		if utf8.RuneCountInString(l) != w {
			t.Errorf("line %q has width %d, header %d", l, utf8.RuneCountInString(l), w)
		}
	}
	if !strings.HasPrefix(lines[2], "a ") || !strings.HasSuffix(lines[2], " 0.5") || !strings.HasPrefix(lines[3], "longer name  1000") {
		t.Errorf("alignment:\n%s", txt)
	}
	col := func(l, s string) int {
		return utf8.RuneCountInString(l[:strings.Index(l, s)]) + utf8.RuneCountInString(s)
	}
	if col(lines[1], "τ") != col(lines[2], "1") || col(lines[2], "1 ") != col(lines[3], "1000")+1 {
		t.Errorf("the τ column is not right-aligned:\n%s", txt)
	}
}

func TestTableRaggedRows(t *testing.T) {
	tab := &Table{Caption: "bad", Header: []string{"a", "b"}, Rows: [][]string{{"1", "2"}, {"3"}}}
	if _, err := tab.HTML(); err == nil || !strings.Contains(err.Error(), "row 1 has 1 cells") {
		t.Errorf("HTML: err = %v", err)
	}
	if _, err := tab.Text(); err == nil {
		t.Error("Text accepted a ragged table")
	}
}

// Columns of numbers (or "-") are right-aligned, text columns left-aligned,
// in the text and in the HTML.
func TestTableAlignment(t *testing.T) {
	tab := &Table{Header: []string{"case", "method", "C2ST", "interval", "truth"},
		Rows: [][]string{{"synthetic-1", "INN", "0.661", "-0.5 [-1, 0.2]", "-"}, {"observed", "cINN", "0.7", "12 [3, 40]", "3.5"}}}
	if got, want := fmt.Sprint(tab.numeric()), "[false false true true true]"; got != want {
		t.Errorf("numeric columns %s, want %s", got, want)
	}
	txt, err := tab.Text()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(txt, "\n")
	// "method" is text: INN starts where the header starts. C2ST is numeric:
	// 0.7 ends where 0.661 ends.
	if strings.Index(lines[1], "INN") != strings.Index(lines[0], "method") || strings.Index(lines[2], "cINN") != strings.Index(lines[0], "method") {
		t.Errorf("text column not left-aligned:\n%s", txt)
	}
	if strings.Index(lines[1], "0.661")+5 != strings.Index(lines[2], "0.7")+3 {
		t.Errorf("number column not right-aligned:\n%s", txt)
	}
	h, err := tab.HTML()
	if err != nil {
		t.Fatal(err)
	}
	right, left := strings.Count(h, `<td style="text-align:right`), strings.Count(h, `<td style="text-align:left`)
	if right != 6 || left != 4 {
		t.Errorf("%d right-aligned and %d left-aligned cells, want 6 and 4:\n%s", right, left, h)
	}
}
