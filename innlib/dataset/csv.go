package dataset

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
)

// Table is a CSV file with a header row of column names. Cells are kept as
// text and parsed only when selected, so columns a caller does not use (a run
// id, a comment) may hold anything.
type Table struct {
	File    string   // Name used in error messages.
	Columns []string // Header names, trimmed of surrounding space.

	cells [][]string
	lines []int // 1-based file line of each data row.
}

// ReadCSV reads a comma-separated file whose first non-comment line names
// the columns. Lines starting with '#' are comments and blank lines are
// skipped. Every data row must have as many fields as the header; a ragged
// row, an empty file, a header without data rows, an empty or duplicate
// column name, and a numeric header row (np.savetxt writes its header as a
// '#' comment, which is skipped) are errors that name the file and line.
func ReadCSV(path string) (*Table, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("dataset: %w", err)
	}
	defer fh.Close()
	return ParseCSV(fh, path)
}

// ParseCSV is ReadCSV on a reader; name is used in error messages.
func ParseCSV(r io.Reader, name string) (*Table, error) {
	// Drop a UTF-8 byte-order mark (spreadsheet exports add one) before the
	// CSV reader sees it, so that a leading comment line is still a comment.
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && string(b) == "\ufeff" {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.Comment = '#'
	cr.FieldsPerRecord = -1 // Ragged rows are reported below with better messages.
	cr.TrimLeadingSpace = true
	cr.ReuseRecord = false

	t := &Table{File: name}
	header, err := cr.Read()
	if err == io.EOF {
		return nil, dataErrorf(name, "empty file: no header row naming the columns")
	}
	if err != nil {
		return nil, csvError(name, err)
	}
	headerLine, _ := cr.FieldPos(0)
	numeric := true
	where := map[string]int{}
	for j, h := range header {
		h = strings.TrimSpace(h)
		header[j] = h
		if h == "" {
			return nil, &DataError{File: name, Line: headerLine, Col: j + 1, Msg: "empty column name in header"}
		}
		if k, dup := where[h]; dup {
			return nil, &DataError{File: name, Line: headerLine, Col: j + 1, Column: h,
				Msg: fmt.Sprintf("duplicate column name: columns %d and %d are both named %q", k+1, j+1, h)}
		}
		where[h] = j
		if _, err := strconv.ParseFloat(h, 64); err != nil {
			numeric = false
		}
	}
	if numeric {
		return nil, &DataError{File: name, Line: headerLine,
			Msg: "first row is all numbers; it must name the columns (a '#'-prefixed header, as np.savetxt writes, is a comment)"}
	}
	t.Columns = header

	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(name, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(header) {
			return nil, &DataError{File: name, Line: line, Row: len(t.cells) + 1,
				Msg: fmt.Sprintf("has %d fields, the header has %d", len(rec), len(header))}
		}
		t.cells = append(t.cells, rec)
		t.lines = append(t.lines, line)
	}
	if len(t.cells) == 0 {
		return nil, dataErrorf(name, "header but no data rows")
	}
	return t, nil
}

func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &DataError{File: name, Line: pe.Line, Msg: fmt.Sprintf("CSV syntax at character %d: %v", pe.Column, pe.Err)}
	}
	return fmt.Errorf("dataset: %s: %w", name, err)
}

// Len returns the number of data rows.
func (t *Table) Len() int { return len(t.cells) }

// Index returns the 0-based index of the named column, or -1.
func (t *Table) Index(name string) int {
	for j, c := range t.Columns {
		if c == name {
			return j
		}
	}
	return -1
}

// Floats parses the named columns, in the order given, as finite numbers.
// With no names it parses every column. A missing column, an empty or
// non-numeric cell, NaN, ±Inf or a value out of float64 range is a
// *DataError naming the file, line, data row and column.
func (t *Table) Floats(names ...string) ([][]float64, error) {
	if len(names) == 0 {
		names = t.Columns
	}
	idx := make([]int, len(names))
	for k, n := range names {
		idx[k] = t.Index(n)
		if idx[k] < 0 {
			return nil, &DataError{File: t.File, Column: n,
				Msg: fmt.Sprintf("no such column; the header has %s", quoteList(t.Columns))}
		}
	}
	out := make([][]float64, len(t.cells))
	for i, rec := range t.cells {
		row := make([]float64, len(idx))
		for k, j := range idx {
			v, msg := parseCell(rec[j])
			if msg != "" {
				return nil, &DataError{File: t.File, Line: t.lines[i], Row: i + 1, Col: j + 1, Column: t.Columns[j], Msg: msg}
			}
			row[k] = v
		}
		out[i] = row
	}
	return out, nil
}

// Strings returns the named column's cells as text, trimmed of surrounding
// space, e.g. a column of run or case names.
func (t *Table) Strings(name string) ([]string, error) {
	j := t.Index(name)
	if j < 0 {
		return nil, &DataError{File: t.File, Column: name, Msg: fmt.Sprintf("no such column; the header has %s", quoteList(t.Columns))}
	}
	out := make([]string, len(t.cells))
	for i, rec := range t.cells {
		out[i] = strings.TrimSpace(rec[j])
	}
	return out, nil
}

// parseCell returns the value of a numeric cell, or a message saying why it
// is not one.
func parseCell(s string) (float64, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, "empty cell; want a number"
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		if errors.Is(err, strconv.ErrRange) {
			return 0, fmt.Sprintf("%q is out of float64 range", s)
		}
		return 0, fmt.Sprintf("%q is not a number", s)
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Sprintf("%q is not finite; NaN and Inf are not allowed", s)
	}
	return v, ""
}

func quoteList(s []string) string {
	q := make([]string, len(s))
	for i, v := range s {
		q[i] = strconv.Quote(v)
	}
	return strings.Join(q, ", ")
}
