package dataset

import (
	"errors"
	"testing"
)

func TestReadCSVGood(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "runs.csv", []byte("\ufeff# produced by a test\n"+
		"run, a ,b,y1,y2\n"+
		"r1,0.1,10,1.5,2\n"+
		"\n"+
		"r2, 2e-1 ,20,\"3.5\",4\n"))
	tab, err := ReadCSV(p)
	if err != nil {
		t.Fatal(err)
	}
	if tab.Len() != 2 || len(tab.Columns) != 5 || tab.Columns[0] != "run" || tab.Columns[1] != "a" {
		t.Fatalf("table %+v", tab)
	}
	// Columns come back in the order asked for; the text column is never parsed.
	v, err := tab.Floats("y2", "a")
	if err != nil {
		t.Fatal(err)
	}
	if v[0][0] != 2 || v[0][1] != 0.1 || v[1][0] != 4 || v[1][1] != 0.2 {
		t.Errorf("values %v", v)
	}
	// Parsing every column fails on the text column, naming it.
	_, err = tab.Floats()
	wantErr(t, err, "runs.csv", "line 3", "row 1", `column 1 ("run")`, `"r1" is not a number`)
}

func TestReadCSVErrors(t *testing.T) {
	cases := []struct {
		name, text string
		cols       []string // nil: stop after ReadCSV
		parts      []string
	}{
		{"empty.csv", "", nil, []string{"empty.csv", "empty file"}},
		{"blank.csv", "\n\n# only a comment\n", nil, []string{"blank.csv", "empty file"}},
		{"headeronly.csv", "a,b\n", nil, []string{"headeronly.csv", "no data rows"}},
		{"ragged.csv", "a,b,c\n1,2,3\n4,5\n", nil,
			[]string{"ragged.csv", "line 3", "row 2", "has 2 fields, the header has 3"}},
		{"toolong.csv", "a,b\n1,2\n3,4\n5,6,7\n", nil, []string{"toolong.csv", "line 4", "row 3", "3 fields"}},
		{"dup.csv", "a,b,a\n1,2,3\n", nil,
			[]string{"dup.csv", "line 1", `column 3 ("a")`, "columns 1 and 3 are both named"}},
		{"noname.csv", "a,,c\n1,2,3\n", nil, []string{"noname.csv", "line 1", "column 2", "empty column name"}},
		{"numhead.csv", "1,2\n3,4\n", nil, []string{"numhead.csv", "line 1", "all numbers", "name the columns"}},
		{"quote.csv", "a,b\n1,\"2\n", nil, []string{"quote.csv", "line 2", "CSV syntax"}},
		{"text.csv", "a,b\n1,2\n3,abc\n", []string{"a", "b"},
			[]string{"text.csv", "line 3", "row 2", `column 2 ("b")`, `"abc" is not a number`}},
		{"nan.csv", "a,b\n1,NaN\n", []string{"a", "b"},
			[]string{"nan.csv", "line 2", "row 1", `column 2 ("b")`, "not finite"}},
		{"inf.csv", "a,b\n-inf,1\n", []string{"b", "a"}, []string{"inf.csv", `column 1 ("a")`, "not finite"}},
		{"range.csv", "a\n1e999\n", []string{"a"}, []string{"range.csv", "out of float64 range"}},
		{"emptycell.csv", "a,b\n1, \n", []string{"a", "b"}, []string{"emptycell.csv", `column 2 ("b")`, "empty cell"}},
		{"missing.csv", "a,b\n1,2\n", []string{"a", "c"}, []string{"missing.csv", `column "c"`, `no such column`, `"a", "b"`}},
	}
	dir := t.TempDir()
	for _, c := range cases {
		tab, err := ReadCSV(writeFile(t, dir, c.name, []byte(c.text)))
		if c.cols != nil {
			if err != nil {
				t.Errorf("%s: ReadCSV: %v", c.name, err)
				continue
			}
			_, err = tab.Floats(c.cols...)
		}
		wantErr(t, err, c.parts...)
	}
	var de *DataError
	_, err := ReadCSV(writeFile(t, dir, "r.csv", []byte("a,b\n1\n")))
	if !errors.As(err, &de) || de.Line != 2 || de.Row != 1 {
		t.Errorf("ragged row: got %#v", err)
	}
}
