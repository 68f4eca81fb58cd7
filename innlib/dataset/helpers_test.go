package dataset

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// npyBytes builds a version 1.0 .npy file by hand, so tests control every
// header field and can make broken files.
func npyBytes(descr string, fortran bool, shape string, data []byte) []byte {
	order := "False"
	if fortran {
		order = "True"
	}
	hdr := fmt.Sprintf("{'descr': '%s', 'fortran_order': %s, 'shape': %s, }", descr, order, shape)
	// Pad so that magic+version+len+header is a multiple of 64, ending in '\n'.
	for (10+len(hdr)+1)%64 != 0 {
		hdr += " "
	}
	hdr += "\n"
	b := append([]byte("\x93NUMPY\x01\x00"), byte(len(hdr)), byte(len(hdr)>>8))
	b = append(b, hdr...)
	return append(b, data...)
}

func f64(order binary.ByteOrder, v ...float64) []byte {
	b := make([]byte, 8*len(v))
	for i, x := range v {
		order.PutUint64(b[8*i:], math.Float64bits(x))
	}
	return b
}

func f32(order binary.ByteOrder, v ...float32) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		order.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return b
}

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// wantErr fails unless err is non-nil and its text contains every part.
func wantErr(t *testing.T, err error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want one containing %q", parts)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q does not contain %q", err, p)
		}
	}
}

// tinyEnsemble is a 3-run, 2-parameter, 1-output ensemble in .npy form with
// a manifest that describes it.
func tinyEnsemble(t *testing.T) (m *Manifest, files map[string][]byte) {
	t.Helper()
	le := binary.LittleEndian
	files = map[string][]byte{
		"x.npy": npyBytes("<f8", false, "(3, 2)", f64(le, 0.1, 10, 0.2, 20, 0.3, 30)),
		"y.npy": npyBytes("<f8", false, "(3, 1)", f64(le, 1, 2, 3)),
	}
	m = &Manifest{
		Name:   "tiny",
		Origin: Origin{Commit: "abc", URL: "https://example.invalid/{commit}/{file}"},
		Files: []File{
			{Name: "x.npy", Role: RoleParameters, SHA256: sha(files["x.npy"]), Size: int64(len(files["x.npy"])), DType: "float64", Shape: []int{3, 2}},
			{Name: "y.npy", Role: RoleOutputs, SHA256: sha(files["y.npy"]), Size: int64(len(files["y.npy"])), DType: "float64", Shape: []int{3, 1}},
		},
		Parameters: []Parameter{{Name: "a", Lo: 0, Hi: 1}, {Name: "b", Lo: 0, Hi: 100}},
		Outputs:    []Output{{Name: "y", Units: "u"}},
		Split:      Split{Train: 2, Validation: 1},
	}
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	return m, files
}

// sharedMirror returns a mirror folder holding the real US-MOz files:
// $INNLIB_DATA_MIRROR if it has them, else ../shared/datasets beside the
// module root. It skips the test when neither exists.
func sharedMirror(t *testing.T) string {
	t.Helper()
	has := func(dir string) bool {
		_, err := os.Stat(filepath.Join(dir, "elm-usmoz", "InputPara.npy"))
		return err == nil
	}
	if m, err := MirrorFromEnv(); err == nil && m != "" && has(m) {
		return m
	}
	wd, _ := os.Getwd()
	if root := moduleRoot(wd); root != "" {
		if p := filepath.Join(root, "..", "shared", "datasets"); has(p) {
			return p
		}
	}
	t.Skip("no mirror with the US-MOz data (set INNLIB_DATA_MIRROR)")
	return ""
}

// listDir returns the names in dir (none if it does not exist).
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}
