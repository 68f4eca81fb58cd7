package inn

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
// these tests (a good one takes a few MiB): a header that made it allocate
// its claimed sizes would take gigabytes.
const maxLoadAlloc = 64 << 20

// savedParts trains a tiny model with a prior box and observation noise
// (so that every part of the header is present), saves it and returns its
// decoded header and its payload.
func savedParts(tb testing.TB, recipe Recipe) (checkpointHeader, []byte) {
	tb.Helper()
	x, y, lo, hi := boxData(200)
	cfg := tinyConfig(recipe)
	cfg.Train.Epochs = 1
	cfg.Lo, cfg.Hi = lo, hi
	cfg.ObsNoise = []float64{0.5}
	m, err := Train(x, y, cfg)
	if err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(tb.TempDir(), "model.inn")
	if err := m.Save(path); err != nil {
		tb.Fatal(err)
	}
	header, payload, err := ckpt.Read(path, checkpointMagic)
	if err != nil {
		tb.Fatal(err)
	}
	var hdr checkpointHeader
	if err := json.Unmarshal(header, &hdr); err != nil {
		tb.Fatal(err)
	}
	return hdr, payload
}

// writeCheckpoint writes header and payload as a checkpoint with a valid
// checksum, as a forger would.
func writeCheckpoint(tb testing.TB, path string, header, payload []byte) {
	tb.Helper()
	if err := os.WriteFile(path, ckpt.Encode(checkpointMagic, header, payload), 0o644); err != nil {
		tb.Fatal(err)
	}
}

// loadMeasured loads path and returns the error and the bytes Load allocated.
func loadMeasured(path string) (*Model, error, uint64) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	m, err := Load(path)
	runtime.ReadMemStats(&after)
	return m, err, after.TotalAlloc - before.TotalAlloc
}

// TestLoadRejectsCraftedCheckpoints: files with a valid checksum but sizes,
// weights or scales no Save writes give an error that names the file and
// the field, after allocating little.
func TestLoadRejectsCraftedCheckpoints(t *testing.T) {
	good, payload := savedParts(t, Bidirectional)
	f32 := func(i int, v float32) []byte { // payload with value i replaced
		p := append([]byte(nil), payload...)
		binary.LittleEndian.PutUint32(p[4*i:], math.Float32bits(v))
		return p
	}
	path := filepath.Join(t.TempDir(), "crafted.inn")
	for _, c := range []struct {
		name    string
		edit    func(h *checkpointHeader)
		payload []byte // nil: the original
		want    string
	}{
		{"1e8 blocks", func(h *checkpointHeader) { h.Config.Flow.Blocks = 100_000_000 }, nil,
			"declares a flow of"},
		{"flow width 2e9", func(h *checkpointHeader) { h.Config.Width, h.Layout.D = 2_000_000_000, 2_000_000_000 }, nil,
			"declares a flow of"},
		{"subnet width 2e9", func(h *checkpointHeader) { h.Config.Flow.Subnet.Width = 2_000_000_000 }, nil,
			"declares a flow of"},
		{"overflowing product", func(h *checkpointHeader) {
			h.Config.Flow.Subnet.Width, h.Config.Flow.Blocks = 4_000_000_000, 1_000_000
		}, nil, "too large"},
		{"1e18 layers", func(h *checkpointHeader) { h.Config.Flow.Subnet.Layers = 1_000_000_000_000_000_000 }, nil,
			"too large"},
		{"negative width", func(h *checkpointHeader) { h.Config.Width = -5 }, nil, "must not be negative"},
		{"truncated payload", nil, payload[:len(payload)-40], "but the file holds"},
		{"extra payload", nil, append(append([]byte(nil), payload...), 0, 0, 0, 0), "but the file holds"},
		{"fewer variables listed", func(h *checkpointHeader) { h.Variables = h.Variables[:3] }, nil,
			"3 weight tensors stored, the network has"},
		{"no parameters", func(h *checkpointHeader) { h.Layout.N = 0 }, nil, "invalid shape"},
		{"NaN weight", nil, f32(3, float32(math.NaN())), "value 3 (0-based)"},
		{"Inf weight", nil, f32(len(payload)/4-1, float32(math.Inf(1))), "is +Inf"},
		{"1e-300 scale", func(h *checkpointHeader) { h.Transform.XStd[2] = 1e-300 }, nil, "x_std[2] = 1e-300"},
		{"zero scale", func(h *checkpointHeader) { h.Transform.YStd[1] = 0 }, nil, "y_std[1] = 0"},
		{"negative scale", func(h *checkpointHeader) { h.Transform.YStd[4] = -1 }, nil, "y_std[4] = -1"},
		{"huge mean", func(h *checkpointHeader) { h.Transform.YMean[0] = 1e300 }, nil, "y_mean[0] = 1e+300"},
		{"missing normalisation", func(h *checkpointHeader) { h.Transform = nil }, nil, "missing normalisation"},
		{"box edited", func(h *checkpointHeader) { h.Transform.Lo[1] = -1 }, nil, "differs from the configuration"},
		{"box map edited", func(h *checkpointHeader) { h.Transform.Box = BoxLinear }, nil, "differs from the configuration"},
		{"prior box of zero width", func(h *checkpointHeader) {
			h.Config.Hi[3] = h.Config.Lo[3] * (1 + 1e-15)
			h.Transform.Hi = h.Config.Hi
		}, nil, "want a finite width"},
		{"clip epsilon 0.4", func(h *checkpointHeader) { h.Transform.BoxEpsilon = 0.4 }, nil, "box_epsilon 0.4"},
		{"logit weight 0", func(h *checkpointHeader) { h.Transform.LogitW = 0 }, nil, "logit_weight 0"},
		{"noise scale edited", func(h *checkpointHeader) { h.Transform.NoiseStd[2] *= 3 }, nil, "noise_std[2]"},
		{"noise scales dropped", func(h *checkpointHeader) { h.Transform.NoiseStd = nil }, nil, "noise_std has 0 entries, want 5"},
	} {
		t.Run(c.name, func(t *testing.T) {
			hdr, _ := savedCopy(t, good)
			if c.edit != nil {
				c.edit(&hdr)
			}
			js, err := json.Marshal(hdr)
			if err != nil {
				t.Fatal(err)
			}
			p := payload
			if c.payload != nil {
				p = c.payload
			}
			writeCheckpoint(t, path, js, p)
			_, err, alloc := loadMeasured(path)
			t.Logf("%d KiB: %v", alloc>>10, err)
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), path) {
				t.Errorf("want an error naming %s and containing %q, got %v", path, c.want, err)
			}
			if alloc > maxLoadAlloc {
				t.Errorf("Load allocated %d MiB", alloc>>20)
			}
		})
	}
	// The unedited parts load, so the errors above come from the edits.
	js, _ := json.Marshal(good)
	writeCheckpoint(t, path, js, payload)
	if _, err, alloc := loadMeasured(path); err != nil || alloc > maxLoadAlloc {
		t.Fatalf("unedited checkpoint: %v, %d MiB allocated", err, alloc>>20)
	}
}

// savedCopy deep-copies a header through JSON, so each case edits its own.
func savedCopy(tb testing.TB, h checkpointHeader) (checkpointHeader, []byte) {
	tb.Helper()
	js, err := json.Marshal(h)
	if err != nil {
		tb.Fatal(err)
	}
	var c checkpointHeader
	if err := json.Unmarshal(js, &c); err != nil {
		tb.Fatal(err)
	}
	return c, js
}

// FuzzLoad: Load never panics and never allocates much on any header and
// payload, given a valid checksum (the fuzzer would not get past a wrong
// one). Seeded with small saved models of both recipes. Run it with
//
//	go test -run '^$' -fuzz '^FuzzLoad$' -fuzztime 30s ./innlib/inn/
func FuzzLoad(f *testing.F) {
	for _, recipe := range []Recipe{Bidirectional, Conditional} {
		hdr, payload := savedParts(f, recipe)
		js, err := json.Marshal(hdr)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(js, payload)
	}
	path := filepath.Join(f.TempDir(), "fuzz.inn")
	f.Fuzz(func(t *testing.T, header, payload []byte) {
		writeCheckpoint(t, path, header, payload)
		m, err, alloc := loadMeasured(path)
		if alloc > maxLoadAlloc {
			t.Fatalf("Load allocated %d MiB on a %d-byte header and %d-byte payload (error %v)", alloc>>20, len(header), len(payload), err)
		}
		if err == nil && m.NumParams() < 1 {
			t.Fatalf("loaded a model with %d parameters", m.NumParams())
		}
	})
}
