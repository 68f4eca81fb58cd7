package emulator

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/ozarkinn/inn/innlib/dense"
	"github.com/ozarkinn/inn/innlib/internal/ckpt"
	"github.com/ozarkinn/inn/innlib/internal/rows"
	"github.com/ozarkinn/inn/innlib/internal/sizes"
)

const emulatorMagic = "INNLIB-MLPv1\n"

type header struct {
	Layers     int       `json:"layers"`
	Width      int       `json:"width"`
	Activation string    `json:"activation"`
	Lo         []float64 `json:"lo,omitempty"`
	Hi         []float64 `json:"hi,omitempty"`
	N          int       `json:"inputs"`
	M          int       `json:"outputs"`
	XShift     []float64 `json:"x_shift"`
	XDiv       []float64 `json:"x_div"`
	YMean      []float64 `json:"y_mean"`
	YStd       []float64 `json:"y_std"`
	Sizes      []int     `json:"sizes"` // Values per weight tensor, in Variables() order.
	History    []Epoch   `json:"history"`
	Train      Config    `json:"train"`
}

// Save writes the emulator to path atomically (see internal/ckpt).
func (e *MLP) Save(path string) error {
	h := header{Layers: e.cfg.Layers, Width: e.cfg.Width, Activation: e.cfg.Activation, Lo: e.cfg.Lo, Hi: e.cfg.Hi,
		N: e.n, M: e.m, XShift: e.xShift, XDiv: e.xDiv, YMean: e.yMean, YStd: e.yStd, History: e.history, Train: e.cfg}
	h.Train.Progress = nil
	var buf bytes.Buffer
	for _, w := range e.weights() {
		h.Sizes = append(h.Sizes, len(w))
		ckpt.PutFloats(&buf, w, 4)
	}
	if err := ckpt.Write(path, emulatorMagic, h, buf.Bytes()); err != nil {
		return fmt.Errorf("emulator: save %s: %w", path, err)
	}
	return nil
}

// Load reads an emulator written by Save. As inn.Load, it trusts nothing in
// the file before checking it, checksum or not: the network's size must
// match the payload before anything is allocated, the scaling must be finite
// with scales that pass rows.ScaleOK (and equal the prior box when there is
// one), and every weight must be finite. Errors name the file and the field.
func Load(path string) (*MLP, error) {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("emulator: load %s: "+format, append([]any{path}, args...)...)
	}
	js, payload, err := ckpt.Read(path, emulatorMagic)
	if err != nil {
		return nil, bad("%v", err)
	}
	var h header
	if err := json.Unmarshal(js, &h); err != nil {
		return nil, bad("reading the header: %v", err)
	}
	cfg := h.Train
	cfg.Layers, cfg.Width, cfg.Activation, cfg.Lo, cfg.Hi = h.Layers, h.Width, h.Activation, h.Lo, h.Hi
	cfg = cfg.withDefaults()
	if h.N < 1 || h.M < 1 {
		return nil, bad("invalid shape: %d inputs, %d outputs", h.N, h.M)
	}
	if err := cfg.validate(h.N); err != nil {
		return nil, bad("%v", err)
	}
	if len(h.XShift) != h.N || len(h.XDiv) != h.N || len(h.YMean) != h.M || len(h.YStd) != h.M {
		return nil, bad("scaling has the wrong length for %d inputs and %d outputs", h.N, h.M)
	}
	if err := h.checkScaling(cfg); err != nil {
		return nil, bad("%v", err)
	}
	// Sizes before allocation: the network the header declares must have
	// exactly the weights the payload holds.
	params, nvars, err := dense.MLPConfig{In: h.N, Outputs: []int{h.M}, Layers: cfg.Layers, Width: cfg.Width,
		Activation: cfg.Activation}.Count()
	if err != nil {
		return nil, bad("incompatible configuration: %v", err)
	}
	if sizes.Mul(params, 4) != len(payload) {
		return nil, bad("incompatible configuration: the header declares a network of %d weights (4 bytes each) but the file holds %d bytes of weights",
			params, len(payload))
	}
	if nvars != len(h.Sizes) {
		return nil, bad("incompatible configuration: %d weight tensors stored, the network has %d", len(h.Sizes), nvars)
	}
	e, err := newMLP(cfg, h.N, h.M)
	if err != nil {
		return nil, bad("%v", err)
	}
	e.xShift, e.xDiv, e.yMean, e.yStd, e.history = h.XShift, h.XDiv, h.YMean, h.YStd, h.History
	vars := e.net.Variables()
	if len(h.Sizes) != len(vars) {
		return nil, bad("incompatible configuration: %d weight tensors stored, the network has %d", len(h.Sizes), len(vars))
	}
	w := make([][]float64, len(vars))
	for i, v := range vars {
		if h.Sizes[i] != v.Shape().Size() {
			return nil, bad("incompatible configuration: weight %d has %d values, the network wants %d", i, h.Sizes[i], v.Shape().Size())
		}
		if w[i], payload, err = ckpt.Floats(payload, h.Sizes[i], 4); err != nil {
			return nil, bad("weight %s: %v", v.ScopeAndName(), err)
		}
	}
	if len(payload) != 0 {
		return nil, bad("%d unexpected bytes after the weights", len(payload))
	}
	if err := e.setWeights(w); err != nil {
		return nil, bad("%v", err)
	}
	return e, nil
}

// checkScaling reports stored scaling that standardises nothing or differs
// from the prior box, naming the field as the header spells it.
func (h *header) checkScaling(cfg Config) error {
	for _, s := range []struct {
		shift, scale string
		a, b         []float64
	}{{"x_shift", "x_div", h.XShift, h.XDiv}, {"y_mean", "y_std", h.YMean, h.YStd}} {
		for j := range s.a {
			if !rows.ScaleOK(s.a[j], s.b[j]) {
				return fmt.Errorf("scaling %s[%d] = %g with %s[%d] = %g: want finite values and a scale above %g·max(1, |%s|)",
					s.shift, j, s.a[j], s.scale, j, s.b[j], rows.MinRelScale, s.shift)
			}
		}
	}
	for j := range cfg.Lo { // setScaling: shift lo, divide by hi − lo.
		if h.XShift[j] != cfg.Lo[j] || h.XDiv[j] != cfg.Hi[j]-cfg.Lo[j] {
			return fmt.Errorf("scaling x_shift[%d] = %g, x_div[%d] = %g differ from the prior box [%g, %g]",
				j, h.XShift[j], j, h.XDiv[j], cfg.Lo[j], cfg.Hi[j])
		}
	}
	return nil
}

// Fingerprint returns a SHA-256 of the emulator's scaling and weights: two
// emulators with the same fingerprint compute the same function.
func (e *MLP) Fingerprint() string {
	var buf bytes.Buffer
	for _, v := range [][]float64{e.xShift, e.xDiv, e.yMean, e.yStd} {
		ckpt.PutFloats(&buf, v, 8)
	}
	for _, w := range e.weights() {
		ckpt.PutFloats(&buf, w, 4)
	}
	sum := sha256.Sum256(buf.Bytes())
	return hex.EncodeToString(sum[:])
}
