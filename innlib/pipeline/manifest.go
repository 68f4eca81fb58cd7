package pipeline

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/ozarkinn/inn/innlib/internal/ckpt"
)

// ManifestSchema names the layout of manifest.json.
const ManifestSchema = "innlib-run/1"

// Manifest is written last into a run's output folder (ManifestName): every
// file of the run with its size and SHA-256, the run that wrote them and the
// settings that shaped its saved models. A folder whose files match its
// manifest holds one run's complete results (CheckRun).
type Manifest struct {
	Schema  string `json:"schema"` // ManifestSchema
	Created string `json:"created"`
	Run     Owner  `json:"run"`
	// Models are the settings the saved models were trained with; -reuse
	// checks them against the run that reuses them.
	Models ModelSettings   `json:"models"`
	Files  []ManifestEntry `json:"files"` // Sorted by path.
}

// ManifestEntry is one file of a run, its path relative to the output folder.
type ManifestEntry struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// ModelSettings are the settings that shape the trained models besides
// their own configuration (which the checkpoints hold): the observation
// noise, the prior box, the parameter and output names, and a checksum of
// the training and validation runs.
type ModelSettings struct {
	ObsNoise    []float64 `json:"obs_noise"`
	Lo          []float64 `json:"lo,omitempty"`
	Hi          []float64 `json:"hi,omitempty"`
	ParamNames  []string  `json:"param_names"`
	OutputNames []string  `json:"output_names"`
	DataSHA256  string    `json:"data_sha256"` // dataDigest of the training and validation runs.
}

// modelSettings are the settings a run with these inputs trains its models with.
func modelSettings(in Inputs, noise []float64) ModelSettings {
	return ModelSettings{ObsNoise: noise, Lo: in.Train.Lo, Hi: in.Train.Hi, ParamNames: in.Train.ParamNames,
		OutputNames: in.Train.OutputNames, DataSHA256: dataDigest(in)}
}

// dataDigest is a SHA-256 of the training and validation runs: their
// sizes and every value's bits, in order.
func dataDigest(in Inputs) string {
	h := sha256.New()
	var b [8]byte
	for _, rows := range [][][]float64{in.Train.X, in.Train.Y, in.Val.X, in.Val.Y} {
		binary.LittleEndian.PutUint64(b[:], uint64(len(rows)))
		h.Write(b[:])
		for _, r := range rows {
			binary.LittleEndian.PutUint64(b[:], uint64(len(r)))
			h.Write(b[:])
			for _, v := range r {
				binary.LittleEndian.PutUint64(b[:], math.Float64bits(v))
				h.Write(b[:])
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// mismatches lists, one sentence each, how the saved models' settings (s)
// differ from what this run asks for (want).
func (s ModelSettings) mismatches(want ModelSettings) []string {
	var out []string
	if !slices.Equal(s.ObsNoise, want.ObsNoise) {
		out = append(out, fmt.Sprintf("saved models were trained with noise sd %s, this run asks for %s", fmtFloats(s.ObsNoise), fmtFloats(want.ObsNoise)))
	}
	if !slices.Equal(s.Lo, want.Lo) || !slices.Equal(s.Hi, want.Hi) {
		out = append(out, fmt.Sprintf("saved models were trained in the box lo %s, hi %s; this run's box is lo %s, hi %s",
			fmtFloats(s.Lo), fmtFloats(s.Hi), fmtFloats(want.Lo), fmtFloats(want.Hi)))
	}
	if !slices.Equal(s.ParamNames, want.ParamNames) {
		out = append(out, fmt.Sprintf("saved models have the parameters %s, this run %s", strings.Join(s.ParamNames, ","), strings.Join(want.ParamNames, ",")))
	}
	if !slices.Equal(s.OutputNames, want.OutputNames) {
		out = append(out, fmt.Sprintf("saved models have the outputs %s, this run %s", strings.Join(s.OutputNames, ","), strings.Join(want.OutputNames, ",")))
	}
	if s.DataSHA256 != want.DataSHA256 {
		out = append(out, fmt.Sprintf("saved models were trained on other runs (data checksum %.12s…, this run's %.12s…)", s.DataSHA256, want.DataSHA256))
	}
	return out
}

func fmtFloats(v []float64) string {
	if len(v) == 1 {
		return fmt.Sprint(v[0])
	}
	return strings.Join(strings.Fields(fmt.Sprint(v)), ",")
}

// writeManifest lists every file under dir and writes dir/manifest.json.
func writeManifest(dir string, m *Manifest) error {
	m.Schema, m.Created, m.Files = ManifestSchema, time.Now().UTC().Format(time.RFC3339), nil
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil || rel == ManifestName {
			return err
		}
		size, sum, err := hashFile(p)
		if err != nil {
			return err
		}
		m.Files = append(m.Files, ManifestEntry{Path: filepath.ToSlash(rel), Size: size, SHA256: sum})
		return nil
	})
	if err != nil {
		return fmt.Errorf("pipeline: listing the run's files: %w", err)
	}
	sort.Slice(m.Files, func(i, j int) bool { return m.Files[i].Path < m.Files[j].Path })
	js, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("pipeline: encoding the manifest: %w", err)
	}
	return ckpt.WriteFileAtomic(filepath.Join(dir, ManifestName), append(js, '\n'))
}

func hashFile(p string) (int64, string, error) {
	f, err := os.Open(p)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	return n, hex.EncodeToString(h.Sum(nil)), err
}

// ReadManifest reads dir/manifest.json.
func ReadManifest(dir string) (*Manifest, error) {
	data, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil {
		return nil, fmt.Errorf("pipeline: %w", err)
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("pipeline: reading %s: %w", filepath.Join(dir, ManifestName), err)
	}
	if m.Schema != ManifestSchema {
		return nil, fmt.Errorf("pipeline: %s has schema %q, want %s", filepath.Join(dir, ManifestName), m.Schema, ManifestSchema)
	}
	return &m, nil
}

// CheckRun checks that the output folder dir holds one run's complete
// results: its manifest exists and every file it lists has the size and
// SHA-256 it records. It returns the manifest.
func CheckRun(dir string) (*Manifest, error) {
	m, err := ReadManifest(dir)
	if err != nil {
		if os.IsNotExist(err) || strings.Contains(err.Error(), "no such file") {
			return nil, fmt.Errorf("pipeline: %s has no %s: not the complete results of a run (an interrupted run, or one by an older version)", dir, ManifestName)
		}
		return nil, err
	}
	for _, fe := range m.Files {
		size, sum, err := hashFile(filepath.Join(dir, filepath.FromSlash(fe.Path)))
		switch {
		case err != nil:
			return m, fmt.Errorf("pipeline: %s: %s listed in the manifest: %w", dir, fe.Path, err)
		case size != fe.Size || sum != fe.SHA256:
			return m, fmt.Errorf("pipeline: %s: %s changed since the run wrote it (size %d, manifest %d; checksums differ: %v)", dir, fe.Path, size, fe.Size, sum != fe.SHA256)
		}
	}
	return m, nil
}
