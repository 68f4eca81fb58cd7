package inn

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/ozarkinn/inn/innlib/flow"
	"github.com/ozarkinn/inn/innlib/internal/ckpt"
	"github.com/ozarkinn/inn/innlib/internal/tensorutil"
	"github.com/ozarkinn/inn/innlib/mmd"
)

// Checkpoints are single files in the layout of package internal/ckpt
// (magic "INNLIBv1\n", JSON header, weights, SHA-256), written atomically.
// Weights are the raw little-endian values of every variable, in the order the
// header lists them, in the model's dtype, so a loaded model computes
// bit-identical outputs.
const (
	checkpointMagic   = "INNLIBv1\n"
	checkpointVersion = 1
)

type checkpointHeader struct {
	Version   int             `json:"version"`
	Config    savedConfig     `json:"config"`
	Layout    layout          `json:"layout"`
	Transform *transform      `json:"transform"`
	Perms     [][]int         `json:"permutations"`
	Variables []savedVariable `json:"variables"`
	History   History         `json:"history"`
}

type savedVariable struct {
	Name  string `json:"name"`
	Dims  []int  `json:"dims"`
	Bytes int    `json:"bytes"`
}

// savedConfig is Config without the fields that cannot be serialised (writers, callbacks).
type savedConfig struct {
	Recipe       Recipe      `json:"recipe"`
	LatentDim    int         `json:"latent_dim"`
	Width        int         `json:"width"`
	Flow         flow.Config `json:"flow"`
	DType        string      `json:"dtype"`
	Lo           []float64   `json:"lo,omitempty"`
	Hi           []float64   `json:"hi,omitempty"`
	BoxTransform string      `json:"box_transform,omitempty"`
	LogitWeight  float64     `json:"logit_weight,omitempty"`
	ObsNoise     []float64   `json:"obs_noise,omitempty"`
	Loss         savedLoss   `json:"loss"`
	Train        savedTrain  `json:"train"`
}

type savedLoss struct {
	Fit, LatentMMD, BackwardMMD, Reconstruction, Padding float64
	BackwardRamp                                         string
	ForwardKernels, BackwardKernels                      []mmd.Kernel
	YNoise, PadNoise                                     float64
}

type savedTrain struct {
	Epochs, BatchSize                                         int
	LearningRate                                              float64
	LRSchedule                                                string
	MinLRFactor, Beta1, Beta2, Epsilon, WeightDecay, ClipNorm float64
	ValFraction                                               float64
	Patience                                                  int
	Seed                                                      uint64
}

func toSaved(c Config) savedConfig {
	l, t := c.Loss, c.Train
	return savedConfig{
		Recipe: c.Recipe, LatentDim: c.LatentDim, Width: c.Width, Flow: c.Flow, DType: c.DType,
		Lo: c.Lo, Hi: c.Hi, BoxTransform: c.BoxTransform, LogitWeight: c.LogitWeight, ObsNoise: c.ObsNoise,
		Loss: savedLoss{l.Fit, l.LatentMMD, l.BackwardMMD, l.Reconstruction, l.Padding, l.BackwardRamp,
			l.ForwardKernels, l.BackwardKernels, l.YNoise, l.PadNoise},
		Train: savedTrain{t.Epochs, t.BatchSize, t.LearningRate, t.LRSchedule, t.MinLRFactor, t.Beta1, t.Beta2,
			t.Epsilon, t.WeightDecay, t.ClipNorm, t.ValFraction, t.Patience, t.Seed},
	}
}

// Save writes the model (configuration, normalisation, permutations, weights
// and training history) to path atomically: a temporary file in the same
// directory, synced, then renamed over path.
func (m *Model) Save(path string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	hdr := checkpointHeader{Version: checkpointVersion, Config: toSaved(m.cfg), Layout: m.lay,
		Transform: m.tf, Perms: m.net.Perms(), History: m.history}
	var weights bytes.Buffer
	size := m.elemSize()
	for _, v := range m.net.Variables() {
		t, err := v.Value()
		if err != nil {
			return fmt.Errorf("inn: save: reading %s: %w", v.ScopeAndName(), err)
		}
		before := weights.Len()
		ckpt.PutFloats(&weights, tensorutil.ToFloat64(t), size)
		hdr.Variables = append(hdr.Variables, savedVariable{Name: v.ScopeAndName(), Dims: v.Shape().Dimensions, Bytes: weights.Len() - before})
	}
	if err := ckpt.Write(path, checkpointMagic, hdr, weights.Bytes()); err != nil {
		return fmt.Errorf("inn: save %s: %w", path, err)
	}
	return nil
}

func (m *Model) elemSize() int {
	if m.cfg.DType == "float64" {
		return 8
	}
	return 4
}

// Load reads a model written by Save. A truncated or corrupted file, a file
// from another format version, or one whose weights do not fit the
// configuration it declares gives an error that says which.
func Load(path string) (*Model, error) {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("inn: load %s: "+format, append([]any{path}, args...)...)
	}
	header, payload, err := ckpt.Read(path, checkpointMagic)
	if err != nil {
		return nil, bad("%v", err)
	}
	var hdr checkpointHeader
	if err := json.Unmarshal(header, &hdr); err != nil {
		return nil, bad("reading the header: %v", err)
	}
	if hdr.Version != checkpointVersion {
		return nil, bad("format version %d, this innlib reads version %d", hdr.Version, checkpointVersion)
	}
	cfg, err := fromSaved(hdr.Config)
	if err != nil {
		return nil, bad("%v", err)
	}
	if err := cfg.validate(hdr.Layout.N, hdr.Layout.M); err != nil {
		return nil, bad("stored configuration is invalid: %v", err)
	}
	lay, err := newLayout(cfg, hdr.Layout.N, hdr.Layout.M)
	if err != nil {
		return nil, bad("%v", err)
	}
	if lay != hdr.Layout {
		return nil, bad("incompatible configuration: it implies layout %+v but the file stores %+v", lay, hdr.Layout)
	}
	if err := hdr.Transform.check(lay); err != nil {
		return nil, bad("%v", err)
	}
	m, err := newModel(cfg, lay, hdr.Transform)
	if err != nil {
		return nil, bad("%v", err)
	}
	if err := m.net.SetPerms(hdr.Perms); err != nil { // checks their number and each one
		return nil, bad("incompatible configuration: %v", err)
	}
	vars := m.net.Variables()
	if len(vars) != len(hdr.Variables) {
		return nil, bad("incompatible configuration: %d weight tensors stored, the network has %d", len(hdr.Variables), len(vars))
	}
	size := m.elemSize()
	for i, v := range vars {
		sv := hdr.Variables[i]
		if sv.Name != v.ScopeAndName() || !equalInts(sv.Dims, v.Shape().Dimensions) {
			return nil, bad("incompatible configuration: weight %d is %s %v in the file but %s %v in the network",
				i, sv.Name, sv.Dims, v.ScopeAndName(), v.Shape().Dimensions)
		}
		n := v.Shape().Size()
		if sv.Bytes != n*size {
			return nil, bad("weight %s: %d bytes stored, want %d", sv.Name, sv.Bytes, n*size)
		}
		var vals []float64
		if vals, payload, err = ckpt.Floats(payload, n, size); err != nil {
			return nil, bad("weight %s: %v", sv.Name, err)
		}
		if err := v.SetValue(tensorutil.FromFloat64(m.dtype, vals, v.Shape().Dimensions...)); err != nil {
			return nil, bad("setting %s: %v", sv.Name, err)
		}
	}
	if len(payload) != 0 {
		return nil, bad("%d unexpected bytes after the weights", len(payload))
	}
	m.history = hdr.History
	return m, nil
}

func fromSaved(s savedConfig) (Config, error) {
	c := Config{Recipe: s.Recipe, LatentDim: s.LatentDim, Width: s.Width, DType: s.DType,
		Lo: s.Lo, Hi: s.Hi, BoxTransform: s.BoxTransform, LogitWeight: s.LogitWeight, ObsNoise: s.ObsNoise}
	c.Flow = s.Flow
	l, t := s.Loss, s.Train
	c.Loss = LossConfig{Fit: l.Fit, LatentMMD: l.LatentMMD, BackwardMMD: l.BackwardMMD, Reconstruction: l.Reconstruction,
		Padding: l.Padding, BackwardRamp: l.BackwardRamp, ForwardKernels: l.ForwardKernels, BackwardKernels: l.BackwardKernels,
		YNoise: l.YNoise, PadNoise: l.PadNoise}
	c.Train = TrainConfig{Epochs: t.Epochs, BatchSize: t.BatchSize, LearningRate: t.LearningRate, LRSchedule: t.LRSchedule,
		MinLRFactor: t.MinLRFactor, Beta1: t.Beta1, Beta2: t.Beta2, Epsilon: t.Epsilon, WeightDecay: t.WeightDecay,
		ClipNorm: t.ClipNorm, ValFraction: t.ValFraction, Patience: t.Patience, Seed: t.Seed}
	return c.WithDefaults(), nil
}

// check reports a stored normalisation that does not fit the layout.
func (t *transform) check(l layout) error {
	if t == nil {
		return fmt.Errorf("missing normalisation")
	}
	if len(t.XMean) != l.N || len(t.XStd) != l.N || len(t.YMean) != l.M || len(t.YStd) != l.M {
		return fmt.Errorf("normalisation has %d/%d parameter and %d/%d output entries, want %d and %d",
			len(t.XMean), len(t.XStd), len(t.YMean), len(t.YStd), l.N, l.M)
	}
	for _, s := range [][]float64{t.XStd, t.YStd} {
		for _, v := range s {
			if !(v > 0) {
				return fmt.Errorf("normalisation has a non-positive scale %g", v)
			}
		}
	}
	if l.Noise > 0 && len(t.NoiseStd) != l.M {
		return fmt.Errorf("observation noise has %d entries, want %d", len(t.NoiseStd), l.M)
	}
	return nil
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
