package dataset

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"testing"
)

func TestReadNPYLayouts(t *testing.T) {
	le, be := binary.LittleEndian, binary.BigEndian
	want := [][]float64{{1, 2, 3}, {4, 5, 6}}
	cases := map[string][]byte{
		"c-f8.npy":       npyBytes("<f8", false, "(2, 3)", f64(le, 1, 2, 3, 4, 5, 6)),
		"big-f8.npy":     npyBytes(">f8", false, "(2, 3)", f64(be, 1, 2, 3, 4, 5, 6)),
		"fortran-f8.npy": npyBytes("<f8", true, "(2, 3)", f64(le, 1, 4, 2, 5, 3, 6)),
		"c-f4.npy":       npyBytes("<f4", false, "(2, 3)", f32(le, 1, 2, 3, 4, 5, 6)),
	}
	dir := t.TempDir()
	for name, b := range cases {
		got, err := ReadNPY(writeFile(t, dir, name, b), 3)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		for i := range want {
			for j := range want[i] {
				if got[i][j] != want[i][j] {
					t.Errorf("%s: [%d][%d] = %g, want %g", name, i, j, got[i][j], want[i][j])
				}
			}
		}
	}
	// wantCols <= 0 accepts any width.
	if _, err := ReadNPY(writeFile(t, dir, "any.npy", cases["c-f8.npy"]), 0); err != nil {
		t.Error(err)
	}
}

func TestReadNPYErrors(t *testing.T) {
	le := binary.LittleEndian
	nan, inf := math.NaN(), math.Inf(-1)
	cases := []struct {
		name  string
		data  []byte
		cols  int
		parts []string
	}{
		{"nan.npy", npyBytes("<f8", false, "(2, 3)", f64(le, 1, 2, 3, 4, nan, 6)), 3,
			[]string{"nan.npy", "row 2 (0-based index 1)", "column 2", "NaN", "not finite"}},
		{"inf32.npy", npyBytes("<f4", false, "(2, 2)", f32(le, 1, float32(inf), 3, 4)), 2,
			[]string{"inf32.npy", "row 1", "column 2", "-Inf"}},
		{"cols.npy", npyBytes("<f8", false, "(2, 3)", f64(le, 1, 2, 3, 4, 5, 6)), 8,
			[]string{"cols.npy", "3 columns", "want 8"}},
		{"oned.npy", npyBytes("<f8", false, "(3,)", f64(le, 1, 2, 3)), 0,
			[]string{"oned.npy", "1-D", "reshape"}},
		{"threed.npy", npyBytes("<f8", false, "(1, 1, 2)", f64(le, 1, 2)), 0,
			[]string{"threed.npy", "3 dimensions"}},
		{"empty.npy", npyBytes("<f8", false, "(0, 3)", nil), 0,
			[]string{"empty.npy", "at least one row"}},
		{"int.npy", npyBytes("<i8", false, "(1, 1)", make([]byte, 8)), 0,
			[]string{"int.npy", `dtype "<i8"`, "float64 or float32"}},
		{"short.npy", npyBytes("<f8", false, "(2, 3)", f64(le, 1, 2, 3, 4, 5)), 3,
			[]string{"short.npy", "40 bytes", "needs 48", "truncated"}},
		{"long.npy", npyBytes("<f8", false, "(1, 1)", f64(le, 1, 2)), 0,
			[]string{"long.npy", "16 bytes", "needs 8"}},
		{"huge.npy", npyBytes("<f8", false, "(4611686018427387904, 4)", f64(le, 1)), 0,
			[]string{"huge.npy", "needs more than 2^63"}},
		{"text.npy", []byte("a,b\n1,2\n"), 0, []string{"text.npy", "not a .npy file"}},
		{"tiny.npy", []byte("\x93NUM"), 0, []string{"tiny.npy", "not a .npy file"}},
		{"version.npy", []byte("\x93NUMPY\x09\x00\x10\x00{}"), 0, []string{"version.npy", "version 9.0"}},
		{"hdrlen.npy", []byte("\x93NUMPY\x01\x00\xff\xff{'descr'"), 0, []string{"hdrlen.npy", "runs past the end"}},
		{"nonl.npy", []byte("\x93NUMPY\x01\x00\x04\x00abcd"), 0, []string{"nonl.npy", "malformed .npy header"}},
	}
	dir := t.TempDir()
	for _, c := range cases {
		_, err := ReadNPY(writeFile(t, dir, c.name, c.data), c.cols)
		wantErr(t, err, c.parts...)
	}
	_, err := ReadNPY(dir+"/absent.npy", 0)
	wantErr(t, err, "absent.npy")
}

// Random corruption of a valid file must give an error or data, never a panic.
func TestReadNPYNoPanic(t *testing.T) {
	good := npyBytes("<f8", false, "(2, 3)", f64(binary.LittleEndian, 1, 2, 3, 4, 5, 6))
	rng := rand.New(rand.NewPCG(1, 2))
	for range 3000 {
		b := append([]byte(nil), good...)
		for range 1 + rng.IntN(4) {
			b[rng.IntN(len(b))] = byte(rng.IntN(256))
		}
		b = b[:rng.IntN(len(b)+1)]
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("panic on %q: %v", b, r)
				}
			}()
			decodeNPY("fuzz.npy", b, 0)
		}()
	}
}
