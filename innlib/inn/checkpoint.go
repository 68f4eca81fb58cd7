package inn

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"

	"github.com/ozarkinn/inn/innlib/flow"
	"github.com/ozarkinn/inn/innlib/internal/ckpt"
	"github.com/ozarkinn/inn/innlib/internal/rows"
	"github.com/ozarkinn/inn/innlib/internal/sizes"
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

func (m *Model) elemSize() int { return elemSize(m.cfg.DType) }

// elemSize is the bytes per stored weight of dtype.
func elemSize(dtype string) int {
	if dtype == "float64" {
		return 8
	}
	return 4
}

// Load reads a model written by Save. A truncated or corrupted file, a file
// from another format version, or one whose weights do not fit the
// configuration it declares gives an error that says which.
//
// Load trusts nothing in the file before checking it, checksum or not
// (checkpoint files are data: a crafted or damaged one must give an error,
// never a crash or an allocation beyond a small multiple of its size):
//   - every size the header declares (blocks, widths, layers, variables) is
//     checked against the payload's length, with overflow-safe arithmetic,
//     before the network is allocated;
//   - the normalisation must fit the layout and the configuration: finite
//     means, and scales that pass rows.ScaleOK (finite and above
//     rows.MinRelScale·max(1, |mean|), the rule training applies), the same
//     prior box and box map as the configuration, a finite positive logit
//     weight, a clip epsilon in (0, maxBoxEps], and noise scales equal to
//     the configuration's observation noise over the output scales;
//   - every weight must be finite.
//
// Errors name the file and the field.
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
	if hdr.Layout.N < 1 || hdr.Layout.M < 1 {
		return nil, bad("invalid shape: %d parameters and %d outputs, want at least 1 of each", hdr.Layout.N, hdr.Layout.M)
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
	if err := hdr.Transform.check(cfg, lay); err != nil {
		return nil, bad("%v", err)
	}
	// Sizes before allocation: the flow the header declares must have
	// exactly the weights the payload holds and the variables it lists.
	params, nvars, err := flowConfig(cfg, lay).Count()
	if err != nil {
		return nil, bad("incompatible configuration: %v", err)
	}
	size := elemSize(cfg.DType)
	if sizes.Mul(params, size) != len(payload) {
		return nil, bad("incompatible configuration: the header declares a flow of %d weights (%d bytes each) but the file holds %d bytes of weights",
			params, size, len(payload))
	}
	if nvars != len(hdr.Variables) {
		return nil, bad("incompatible configuration: %d weight tensors stored, the network has %d", len(hdr.Variables), nvars)
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

// maxBoxEps bounds the stored clip epsilon of the logit box map (training
// stores DefaultBoxEps): a larger one would clip whole edges of the box.
const maxBoxEps = 1e-3

// check reports a stored normalisation that does not fit the layout and the
// configuration, naming the field (as the header spells it).
func (t *transform) check(c Config, l layout) error {
	if t == nil {
		return fmt.Errorf("missing normalisation")
	}
	if len(t.XMean) != l.N || len(t.XStd) != l.N || len(t.YMean) != l.M || len(t.YStd) != l.M {
		return fmt.Errorf("normalisation has %d/%d parameter and %d/%d output entries, want %d and %d",
			len(t.XMean), len(t.XStd), len(t.YMean), len(t.YStd), l.N, l.M)
	}
	for _, s := range []struct {
		name        string
		mean, scale []float64
	}{{"x", t.XMean, t.XStd}, {"y", t.YMean, t.YStd}} {
		for j := range s.mean {
			if mu, sd := s.mean[j], s.scale[j]; !rows.ScaleOK(mu, sd) {
				return fmt.Errorf("normalisation %s_mean[%d] = %g with %s_std[%d] = %g: want a finite mean and a finite scale above %g·max(1, |mean|)",
					s.name, j, mu, s.name, j, sd, rows.MinRelScale)
			}
		}
	}
	box := ""
	if c.Lo != nil {
		box = c.BoxTransform
	}
	if t.Box != box || !slices.Equal(t.Lo, c.Lo) || !slices.Equal(t.Hi, c.Hi) {
		return fmt.Errorf("normalisation box %q %v–%v differs from the configuration's %q %v–%v", t.Box, t.Lo, t.Hi, box, c.Lo, c.Hi)
	}
	if t.Box == BoxLogit {
		if !(t.BoxEpsilon > 0 && t.BoxEpsilon <= maxBoxEps) {
			return fmt.Errorf("normalisation box_epsilon %g, want in (0, %g]", t.BoxEpsilon, maxBoxEps)
		}
		if !(t.LogitW > 0) || math.IsInf(t.LogitW, 0) {
			return fmt.Errorf("normalisation logit_weight %g, want a finite value > 0", t.LogitW)
		}
	}
	if !modelsNoise(c.ObsNoise) { // Both recipes store noise scales when noise is modelled.
		if len(t.NoiseStd) != 0 {
			return fmt.Errorf("normalisation noise_std has %d entries but the configuration models no observation noise", len(t.NoiseStd))
		}
		return nil
	}
	if len(t.NoiseStd) != l.M {
		return fmt.Errorf("normalisation noise_std has %d entries, want %d", len(t.NoiseStd), l.M)
	}
	for j, v := range t.NoiseStd {
		// newTransform stores ObsNoise/YStd; anything else is a file edited by hand.
		want := c.ObsNoise[0]
		if len(c.ObsNoise) == l.M {
			want = c.ObsNoise[j]
		}
		want /= t.YStd[j]
		if !(math.Abs(v-want) <= 1e-12*want) {
			return fmt.Errorf("normalisation noise_std[%d] is %g; the configuration's observation noise over y_std gives %g", j, v, want)
		}
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
