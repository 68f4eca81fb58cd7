package dataset

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"os"

	"github.com/sbinet/npyio"
)

// ReadNPY reads a 2-D NumPy array of float64 or float32 (either byte order,
// C or Fortran layout) from a .npy file and returns it as rows. If wantCols
// is positive the array must have exactly that many columns.
//
// A 1-D array is an error rather than a guess: it could be one row or one
// column. Reshape it in NumPy (x.reshape(-1, 1) or x.reshape(1, -1)) first.
// NaN and ±Inf are rejected with a *DataError naming the 1-based row and
// column. Errors never panic, whatever the bytes.
func ReadNPY(path string, wantCols int) ([][]float64, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("dataset: %w", err)
	}
	return decodeNPY(path, b, wantCols)
}

var npyMagic = []byte("\x93NUMPY")

func decodeNPY(name string, b []byte, wantCols int) (rows [][]float64, err error) {
	// Check the preamble ourselves: npyio trusts the header length and slices
	// the header text without bounds checks.
	if len(b) < 10 || !bytes.Equal(b[:6], npyMagic) {
		return nil, dataErrorf(name, "not a .npy file (no \\x93NUMPY magic at the start)")
	}
	var off int
	switch b[6] {
	case 1:
		off = 10 + int(binary.LittleEndian.Uint16(b[8:10]))
	case 2:
		if len(b) < 12 {
			return nil, dataErrorf(name, "truncated .npy header")
		}
		off = 12 + int(binary.LittleEndian.Uint32(b[8:12]))
	default:
		return nil, dataErrorf(name, ".npy format version %d.%d is not supported (want 1.0 or 2.0)", b[6], b[7])
	}
	if off > len(b) {
		return nil, dataErrorf(name, ".npy header of %d bytes runs past the end of the %d-byte file", off, len(b))
	}
	defer func() {
		if r := recover(); r != nil {
			rows, err = nil, dataErrorf(name, "malformed .npy header: %v", r)
		}
	}()
	rd, err := npyio.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, dataErrorf(name, "reading .npy header: %v", err)
	}
	descr := rd.Header.Descr

	var size int
	switch descr.Type {
	case "<f8", ">f8", "|f8", "f8":
		size = 8
	case "<f4", ">f4", "|f4", "f4":
		size = 4
	default:
		return nil, dataErrorf(name, "dtype %q is not supported; want float64 or float32", descr.Type)
	}
	shape := descr.Shape
	switch {
	case len(shape) == 1:
		return nil, dataErrorf(name, "array is 1-D, shape (%d,); want a 2-D (rows, columns) array: reshape with x.reshape(-1, 1) for a column or x.reshape(1, -1) for a row", shape[0])
	case len(shape) != 2:
		return nil, dataErrorf(name, "array has %d dimensions, shape %v; want 2 (rows, columns)", len(shape), shape)
	}
	nr, nc := shape[0], shape[1]
	if nr < 1 || nc < 1 {
		return nil, dataErrorf(name, "array has shape (%d, %d); want at least one row and one column", nr, nc)
	}
	if wantCols > 0 && nc != wantCols {
		return nil, dataErrorf(name, "array has %d columns, shape (%d, %d); want %d columns", nc, nr, nc, wantCols)
	}
	data := len(b) - off
	// Compare by division first so a huge shape cannot overflow nr*nc*size.
	if nr > data/size/nc || nr*nc*size != data {
		need := "more than 2^63"
		if nr <= math.MaxInt64/nc/size {
			need = fmt.Sprint(nr * nc * size)
		}
		return nil, dataErrorf(name, "data section has %d bytes but shape (%d, %d) of %s needs %s (file truncated or padded)",
			data, nr, nc, descr.Type, need)
	}

	flat := make([]float64, nr*nc)
	if size == 8 {
		if err := rd.Read(&flat); err != nil {
			return nil, dataErrorf(name, "reading .npy data: %v", err)
		}
	} else {
		f32 := make([]float32, nr*nc)
		if err := rd.Read(&f32); err != nil {
			return nil, dataErrorf(name, "reading .npy data: %v", err)
		}
		for i, v := range f32 {
			flat[i] = float64(v)
		}
	}

	rows = make([][]float64, nr)
	for i := range rows {
		if descr.Fortran {
			rows[i] = make([]float64, nc)
			for j := range nc {
				rows[i][j] = flat[j*nr+i]
			}
		} else {
			rows[i] = flat[i*nc : (i+1)*nc : (i+1)*nc]
		}
	}
	if err := checkFinite(name, rows, nil); err != nil {
		return nil, err
	}
	return rows, nil
}

// checkFinite returns a *DataError for the first NaN or ±Inf, naming its
// 1-based row and column (and the column's name when names is given).
func checkFinite(source string, rows [][]float64, names []string) error {
	for i, r := range rows {
		for j, v := range r {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				e := &DataError{File: source, Row: i + 1, Col: j + 1, Msg: fmt.Sprintf("value %v is not finite", v)}
				if j < len(names) {
					e.Column = names[j]
				}
				return e
			}
		}
	}
	return nil
}
