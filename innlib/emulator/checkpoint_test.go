package emulator

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/ozarkinn/inn/innlib/internal/ckpt"
)

// maxLoadAlloc bounds what Load may allocate for the small checkpoints of
// these tests (a good one takes well under 1 MiB): a header that made it
// allocate its claimed sizes would take gigabytes.
const maxLoadAlloc = 64 << 20

// savedParts trains a tiny emulator (with a prior box, or without one) and
// returns its decoded header and payload.
func savedParts(tb testing.TB, box bool) (header, []byte) {
	tb.Helper()
	x, y, lo, hi := smoothData(80, 1)
	xv, yv, _, _ := smoothData(20, 2)
	cfg := Config{Width: 8, Epochs: 2, Seed: 1}
	if box {
		cfg.Lo, cfg.Hi = lo, hi
	}
	m, err := Train(x, y, xv, yv, cfg)
	if err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(tb.TempDir(), "mlp.bin")
	if err := m.Save(path); err != nil {
		tb.Fatal(err)
	}
	js, payload, err := ckpt.Read(path, emulatorMagic)
	if err != nil {
		tb.Fatal(err)
	}
	var h header
	if err := json.Unmarshal(js, &h); err != nil {
		tb.Fatal(err)
	}
	return h, payload
}

// loadForged writes header and payload with a valid checksum, loads them and
// returns the error and the bytes Load allocated.
func loadForged(tb testing.TB, path string, js, payload []byte) (*MLP, error, uint64) {
	tb.Helper()
	if err := os.WriteFile(path, ckpt.Encode(emulatorMagic, js, payload), 0o644); err != nil {
		tb.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	m, err := Load(path)
	runtime.ReadMemStats(&after)
	return m, err, after.TotalAlloc - before.TotalAlloc
}

// TestLoadRejectsCraftedCheckpoints: files with a valid checksum but sizes,
// weights or scaling no Save writes give an error that names the file and
// the field, after allocating little.
func TestLoadRejectsCraftedCheckpoints(t *testing.T) {
	boxed, payload := savedParts(t, true)
	plain, plainPayload := savedParts(t, false)
	f32 := func(i int, v float32) []byte {
		p := append([]byte(nil), payload...)
		binary.LittleEndian.PutUint32(p[4*i:], math.Float32bits(v))
		return p
	}
	path := filepath.Join(t.TempDir(), "crafted.bin")
	for _, c := range []struct {
		name    string
		plain   bool // edit the emulator without a box
		edit    func(h *header)
		payload []byte
		want    string
	}{
		{"width 2e9", false, func(h *header) { h.Width = 2_000_000_000 }, nil, "declares a network of"},
		{"1e8 layers", false, func(h *header) { h.Layers = 100_000_000 }, nil, "declares a network of"},
		{"overflowing product", false, func(h *header) { h.Width, h.Layers = 4_000_000_000, 4 }, nil, "too large"},
		{"1e8 sizes listed", false, func(h *header) { h.Sizes = append(h.Sizes, 100_000_000) }, nil, "weight tensors stored"},
		{"negative size", false, func(h *header) { h.Sizes[0], h.Sizes[1] = -8, h.Sizes[1]+h.Sizes[0]+8 }, nil,
			"weight 0 has -8 values"},
		{"truncated payload", false, nil, payload[:len(payload)-8], "but the file holds"},
		{"NaN weight", false, nil, f32(5, float32(math.NaN())), "value 5 (0-based)"},
		{"Inf weight", false, nil, f32(len(payload)/4-1, float32(math.Inf(-1))), "is -Inf"},
		{"1e-300 output scale", false, func(h *header) { h.YStd[1] = 1e-300 }, nil, "y_std[1] = 1e-300"},
		{"huge output mean", false, func(h *header) { h.YMean[0] = 1e300 }, nil, "y_mean[0] = 1e+300"}, // JSON holds no NaN or Inf
		{"box scale edited", false, func(h *header) { h.XDiv[2] *= 2 }, nil, "differ from the prior box"},
		{"zero box width", false, func(h *header) { h.Hi[1] = h.Lo[1] * (1 + 1e-15) }, nil, "want a width above"},
		{"1e-300 input scale", true, func(h *header) { h.XDiv[0] = 1e-300 }, nil, "x_div[0] = 1e-300"},
		{"huge input shift", true, func(h *header) { h.XShift[2] = -1e300 }, nil, "x_shift[2] = -1e+300"},
	} {
		t.Run(c.name, func(t *testing.T) {
			h, p := copyHeader(t, boxed), payload
			if c.plain {
				h, p = copyHeader(t, plain), plainPayload
			}
			if c.edit != nil {
				c.edit(&h)
			}
			if c.payload != nil {
				p = c.payload
			}
			js, err := json.Marshal(h)
			if err != nil {
				t.Fatal(err)
			}
			_, err, alloc := loadForged(t, path, js, p)
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), path) {
				t.Errorf("want an error naming %s and containing %q, got %v", path, c.want, err)
			}
			if alloc > maxLoadAlloc {
				t.Errorf("Load allocated %d MiB", alloc>>20)
			}
		})
	}
	// The unedited parts load, so the errors above come from the edits.
	for _, u := range []struct {
		h header
		p []byte
	}{{boxed, payload}, {plain, plainPayload}} {
		js, _ := json.Marshal(u.h)
		if _, err, alloc := loadForged(t, path, js, u.p); err != nil || alloc > maxLoadAlloc {
			t.Fatalf("unedited checkpoint: %v, %d MiB allocated", err, alloc>>20)
		}
	}
}

// copyHeader deep-copies a header through JSON, so each case edits its own.
func copyHeader(tb testing.TB, h header) header {
	tb.Helper()
	js, err := json.Marshal(h)
	if err != nil {
		tb.Fatal(err)
	}
	var c header
	if err := json.Unmarshal(js, &c); err != nil {
		tb.Fatal(err)
	}
	return c
}

// FuzzLoad: Load never panics and never allocates much on any header and
// payload, given a valid checksum. Seeded with small saved emulators, with
// and without a prior box. Run it with
//
//	go test -run '^$' -fuzz '^FuzzLoad$' -fuzztime 20s ./innlib/emulator/
func FuzzLoad(f *testing.F) {
	for _, box := range []bool{true, false} {
		h, payload := savedParts(f, box)
		js, err := json.Marshal(h)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(js, payload)
	}
	path := filepath.Join(f.TempDir(), "fuzz.bin")
	f.Fuzz(func(t *testing.T, js, payload []byte) {
		_, err, alloc := loadForged(t, path, js, payload)
		if alloc > maxLoadAlloc {
			t.Fatalf("Load allocated %d MiB on a %d-byte header and %d-byte payload (error %v)", alloc>>20, len(js), len(payload), err)
		}
	})
}
