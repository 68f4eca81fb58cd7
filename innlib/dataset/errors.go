package dataset

import (
	"fmt"
	"strings"
)

// DataError reports a bad value, shape or cell in a data file or an
// in-memory Ensemble. Positions are 1-based, as a user counts them: Row 1 is
// the first data row (a CSV header is not a data row), Col 1 the first
// column. Line is the 1-based line of a text file, header included. Zero
// means "not applicable". The message also gives the 0-based Go index of the
// row, since that is what code indexes with.
type DataError struct {
	File   string // File name, or a description of an in-memory source; may be empty.
	Line   int    // 1-based line in a text file; 0 if not applicable.
	Row    int    // 1-based data row; 0 if not applicable.
	Col    int    // 1-based column; 0 if not applicable.
	Column string // Column name, when known.
	Msg    string // What is wrong.
}

func (e *DataError) Error() string {
	var b strings.Builder
	b.WriteString("dataset: ")
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(": ")
	}
	var pos []string
	if e.Line > 0 {
		pos = append(pos, fmt.Sprintf("line %d", e.Line))
	}
	if e.Row > 0 {
		pos = append(pos, fmt.Sprintf("row %d (0-based index %d)", e.Row, e.Row-1))
	}
	switch {
	case e.Col > 0 && e.Column != "":
		pos = append(pos, fmt.Sprintf("column %d (%q)", e.Col, e.Column))
	case e.Col > 0:
		pos = append(pos, fmt.Sprintf("column %d", e.Col))
	case e.Column != "":
		pos = append(pos, fmt.Sprintf("column %q", e.Column))
	}
	if len(pos) > 0 {
		b.WriteString(strings.Join(pos, ", "))
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// dataErrorf builds a *DataError for a file-level problem without position.
func dataErrorf(file, format string, args ...any) *DataError {
	return &DataError{File: file, Msg: fmt.Sprintf(format, args...)}
}
