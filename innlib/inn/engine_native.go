package inn

import (
	"fmt"
	"math"

	"github.com/ozarkinn/inn/innlib/flow/flowgrad"
	"github.com/ozarkinn/inn/innlib/internal/optim"
)

// nativeEngine is the plain-Go training engine (EngineNative): the network's
// parameters as one float32 vector in flow.Network.Variables() order, the
// gradients of the forward and inverse groups, Adam, and the tapes of one
// step. The terms and their gradients are in losses_native.go.
type nativeEngine struct {
	m      *Model
	terms  []lossTerm
	groups map[string]group
	net    *flowgrad.Net
	p      []float32
	gF, gI []float32 // Gradients of the forward and inverse groups.
	// gradsZero says that gF and gI hold zeros, as a step's backward passes
	// (which accumulate) need: the step's last passes over them (gradient,
	// Adam's UpdateClear) leave them so, which spares a pass clearing them.
	gradsZero     bool
	adam          *optim.Adam[float32]
	w             map[string]float64 // Loss weights of the current epoch.
	fwd, inv, rec flowgrad.Tape
}

// newNativeEngine copies the model's current weights into a native engine.
func newNativeEngine(m *Model) (*nativeEngine, error) {
	net, err := flowgrad.New(m.net.Layout())
	if err != nil {
		return nil, fmt.Errorf("inn: %w", err)
	}
	p, err := m.net.Params()
	if err != nil {
		return nil, fmt.Errorf("inn: reading the initial weights: %w", err)
	}
	if len(p) != net.NumParams {
		return nil, fmt.Errorf("inn: the network has %d weights, the native engine expects %d", len(p), net.NumParams)
	}
	n := len(p)
	tc := m.cfg.Train
	// Adam with decoupled weight decay and the bias correction on the
	// moments, as GoMLX's optimizers.Adam in the graph engine.
	adam := optim.NewAdam[float32](n, optim.AdamConfig{LearningRate: tc.LearningRate,
		Beta1: tc.Beta1, Beta2: tc.Beta2, Epsilon: tc.Epsilon, WeightDecay: tc.WeightDecay})
	terms := lossTerms(m.cfg)
	groups := map[string]group{}
	for _, t := range terms {
		groups[t.name] = t.group
	}
	return &nativeEngine{m: m, terms: terms, groups: groups, net: net, p: p,
		gF: make([]float32, n), gI: make([]float32, n), gradsZero: true, adam: adam}, nil
}

func (e *nativeEngine) setSchedule(lr float64, w map[string]float64) error {
	e.adam.SetLearningRate(lr)
	e.w = w
	return nil
}

// step runs one optimiser step: the terms and group gradients, their
// combination (gradient surgery), clipping and Adam.
func (e *nativeEngine) step(b *batchData) (stepResult, error) {
	terms := e.termValues(b, e.w, true)
	g, sq := e.gradient()
	norm := math.Sqrt(sq)
	scale := float32(1)
	if clip := e.m.cfg.Train.ClipNorm; clip > 0 {
		scale = float32(math.Min(1, clip/math.Max(norm, 1e-12)))
	}
	e.adam.UpdateClear(e.p, g, scale)
	e.gradsZero = true // gradient cleared gI, UpdateClear gF
	res := stepResult{gradNorm: norm, terms: make([]float64, len(e.terms))}
	for i, t := range e.terms {
		res.terms[i] = terms[t.name]
		res.total += e.w[t.name] * terms[t.name]
	}
	return res, nil
}

func (e *nativeEngine) validate(b *batchData) ([]float64, error) {
	terms := e.termValues(b, nil, false)
	out := make([]float64, len(e.terms))
	for i, t := range e.terms {
		out[i] = terms[t.name]
	}
	return out, nil
}

// gradient combines the group gradients as the graph engine does
// (projecting out the conflict under Surgery "project"), leaving the result
// in gF and zeros in gI, and returns gF and its squared norm (summed in the
// same pass).
func (e *nativeEngine) gradient() (g []float32, sq float64) {
	if e.m.lay.Recipe == Conditional {
		// One group: gF is the gradient (gI is not used).
		_, sq = optim.DotSq(e.gF, e.gF)
		return e.gF, sq
	}
	gI := e.gI[:len(e.gF)]
	if e.m.cfg.Loss.Surgery == "project" {
		dot, norm := optim.DotSq(gI, e.gF)
		coef := float32(math.Min(dot, 0) / math.Max(norm, 1e-20))
		// gF[i] += gI[i] − coef·gF[i], rounded as before.
		return e.gF, optim.ProjectSq(e.gF, gI, coef, true)
	}
	return e.gF, optim.AddSq(e.gF, gI, true)
}

// syncModel writes the parameter vector into the model's variables.
func (e *nativeEngine) syncModel() error {
	if err := e.m.net.SetParams(e.p); err != nil {
		return fmt.Errorf("inn: setting the weights: %w", err)
	}
	return nil
}

func (e *nativeEngine) snapshot() snapshot {
	vars := e.m.net.Variables()
	out := make(snapshot, len(vars))
	off := 0
	for i, v := range vars {
		out[i] = make([]float64, v.Shape().Size())
		for j := range out[i] {
			out[i][j] = float64(e.p[off+j])
		}
		off += len(out[i])
	}
	return out
}

func (e *nativeEngine) restore(s snapshot) error {
	n := 0
	for _, vals := range s {
		n += len(vals)
	}
	if n != len(e.p) {
		return fmt.Errorf("inn: a snapshot of %d weights for a network of %d", n, len(e.p))
	}
	off := 0
	for _, vals := range s {
		for j, x := range vals {
			e.p[off+j] = float32(x)
		}
		off += len(vals)
	}
	return e.syncModel()
}
