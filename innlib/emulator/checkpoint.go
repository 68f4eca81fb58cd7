package emulator

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/ozarkinn/inn/innlib/internal/ckpt"
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

// Load reads an emulator written by Save.
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
			return nil, bad("%v", err)
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
