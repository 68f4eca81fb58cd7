package ckpt

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.json")
	if err := WriteFileAtomic(path, []byte("first")); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", fi.Mode().Perm())
	}
	// A failing writer leaves the old file and no temporary file behind.
	boom := errors.New("boom")
	err = WriteAtomic(path, func(w io.Writer) error {
		if _, err := w.Write([]byte("half")); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("error %v, want boom", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "first" {
		t.Errorf("file holds %q after a failed write, want %q", b, "first")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d entries in the folder after a failed write, want 1", len(entries))
	}
}

func TestFloats(t *testing.T) {
	var buf bytes.Buffer
	PutFloats(&buf, []float64{1.5, -2, 3}, 4)
	payload := buf.Bytes()
	vals, rest, err := Floats(payload, 2, 4)
	if err != nil || len(vals) != 2 || vals[0] != 1.5 || vals[1] != -2 || len(rest) != 4 {
		t.Fatalf("Floats: %v %d bytes left, %v", vals, len(rest), err)
	}
	for _, c := range []struct {
		name    string
		payload []byte
		n, size int
		want    string
	}{
		{"too many", payload, 4, 4, "truncated"},
		{"negative", payload, -1, 4, "truncated"},
		{"overflowing", payload, math.MaxInt/4 + 2, 4, "truncated"}, // n·4 wraps to a small number
		{"huge", payload, 1 << 60, 8, "truncated"},
		{"bad size", payload, 1, 2, "want 4 or 8"},
		{"NaN float32", floats(4, 0, math.NaN()), 2, 4, "value 1 (0-based) of 2 is NaN"},
		{"Inf float64", floats(8, math.Inf(-1)), 1, 8, "is -Inf"},
	} {
		if _, _, err := Floats(c.payload, c.n, c.size); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: want an error containing %q, got %v", c.name, c.want, err)
		}
	}
}

func floats(size int, vals ...float64) []byte {
	var buf bytes.Buffer
	PutFloats(&buf, vals, size)
	return buf.Bytes()
}

func TestReadRejects(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c")
	if err := Write(path, "MAGIC\n", map[string]int{"a": 1}, []byte{1, 2, 3}); err != nil {
		t.Fatal(err)
	}
	good, _ := os.ReadFile(path)
	h, p, err := Read(path, "MAGIC\n")
	if err != nil || string(h) != `{"a":1}` || !bytes.Equal(p, []byte{1, 2, 3}) {
		t.Fatalf("Read: %q %v %v", h, p, err)
	}
	huge := append([]byte(nil), good...)
	binary.LittleEndian.PutUint64(huge[len("MAGIC\n"):], math.MaxUint64) // header length past the file
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"truncated", good[:len(good)-1], "checksum"},
		{"header length past the end", huge, "truncated"},
		{"other kind", []byte("OTHER\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"), "not a checkpoint"},
		{"magic only", []byte("MAG"), "truncated"},
	} {
		if err := os.WriteFile(path, c.data, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, _, err := Read(path, "MAGIC\n"); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: want an error containing %q, got %v", c.name, c.want, err)
		}
	}
}

// FuzzDecode: Decode never panics on any bytes, and what it accepts
// re-encodes to the same bytes.
func FuzzDecode(f *testing.F) {
	f.Add(Encode("MAGIC\n", []byte(`{"a":1}`), []byte{1, 2, 3, 4}))
	f.Add([]byte("MAGIC\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		h, payload, err := Decode(data, "MAGIC\n")
		if err == nil && !bytes.Equal(Encode("MAGIC\n", h, payload), data) {
			t.Fatalf("header %d and payload %d bytes do not re-encode to the %d bytes decoded", len(h), len(payload), len(data))
		}
	})
}
