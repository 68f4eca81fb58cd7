package inn

import (
	"fmt"

	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/gomlx/gomlx/pkg/ml/train/optimizers"

	"github.com/ozarkinn/inn/innlib/internal/tensorutil"
)

// graphEngine trains through GoMLX graphs (EngineGraph): the terms of
// losses_graph.go, GoMLX's autodiff and GoMLX's Adam, on the model's backend
// and dtype. The weights live in the model's variables.
type graphEngine struct {
	m        *Model
	terms    []lossTerm
	stepExec *context.Exec
	valExec  *context.Exec
	lrVar    *context.Variable
	wArgs    []any // The loss weights as graph inputs, in terms order.
}

type gradientOptimizer interface {
	UpdateGraphWithGradients(ctx *context.Context, grads []*graph.Node, lossDType dtypes.DType)
}

// newGraphEngine builds the training-step and validation executables.
func newGraphEngine(m *Model) (*graphEngine, error) {
	e := &graphEngine{m: m, terms: lossTerms(m.cfg)}
	tc := m.cfg.Train
	e.lrVar = optimizers.LearningRateVar(m.ctx, m.dtype, tc.LearningRate)
	// GoMLX's Adam takes precomputed gradients, which lets the step project
	// and clip them first.
	opt, ok := optimizers.Adam().LearningRate(tc.LearningRate).Betas(tc.Beta1, tc.Beta2).
		Epsilon(tc.Epsilon).WeightDecay(tc.WeightDecay).Done().(gradientOptimizer)
	if !ok {
		return nil, fmt.Errorf("inn: GoMLX's Adam no longer accepts precomputed gradients")
	}
	var err error
	numData := e.numDataInputs()
	e.stepExec, err = context.NewExec(m.backend, m.ctx, func(ctx *context.Context, in []*graph.Node) []*graph.Node {
		tm := e.termsGraph(in[:numData])
		total, grads := e.gradientGraph(ctx, tm, in[numData:])
		grads, norm := clipByNorm(grads, tc.ClipNorm)
		opt.UpdateGraphWithGradients(ctx, grads, total.DType())
		outs := []*graph.Node{total, norm}
		for _, t := range e.terms {
			outs = append(outs, tm[t.name])
		}
		return outs
	})
	if err != nil {
		return nil, fmt.Errorf("inn: building the training graph: %w", err)
	}
	e.valExec, err = context.NewExec(m.backend, m.ctx, func(ctx *context.Context, in []*graph.Node) []*graph.Node {
		tm := e.termsGraph(in)
		outs := make([]*graph.Node, len(e.terms))
		for i, t := range e.terms {
			outs[i] = tm[t.name]
		}
		return outs
	})
	if err != nil {
		return nil, fmt.Errorf("inn: building the validation graph: %w", err)
	}
	return e, nil
}

func (e *graphEngine) setSchedule(lr float64, w map[string]float64) error {
	if err := e.lrVar.SetValue(e.scalar(lr)); err != nil {
		return fmt.Errorf("inn: setting the learning rate: %w", err)
	}
	e.wArgs = make([]any, len(e.terms))
	for i, t := range e.terms {
		e.wArgs[i] = e.scalar(w[t.name])
	}
	return nil
}

func (e *graphEngine) step(b *batchData) (stepResult, error) {
	res, err := e.stepExec.Exec(append(e.graphArgs(b), e.wArgs...)...)
	if err != nil {
		return stepResult{}, err
	}
	vals := make([]float64, len(res))
	for i, r := range res {
		vals[i] = tensorutil.Scalar(r)
		r.FinalizeAll()
	}
	return stepResult{total: vals[0], gradNorm: vals[1], terms: vals[2:]}, nil
}

func (e *graphEngine) validate(b *batchData) ([]float64, error) {
	res, err := e.valExec.Exec(e.graphArgs(b)...)
	if err != nil {
		return nil, fmt.Errorf("inn: validation: %w", err)
	}
	out := make([]float64, len(res))
	for i, r := range res {
		out[i] = tensorutil.Scalar(r)
		r.FinalizeAll()
	}
	return out, nil
}

// syncModel does nothing: the steps update the model's variables in place.
func (e *graphEngine) syncModel() error { return nil }

func (e *graphEngine) snapshot() snapshot {
	vars := e.m.net.Variables()
	out := make(snapshot, len(vars))
	for i, v := range vars {
		out[i] = tensorutil.ToFloat64(v.MustValue())
	}
	return out
}

func (e *graphEngine) restore(s snapshot) error {
	vars := e.m.net.Variables()
	if len(s) != len(vars) {
		return fmt.Errorf("inn: a snapshot of %d variables for a network of %d", len(s), len(vars))
	}
	for i, v := range vars {
		if len(s[i]) != v.Shape().Size() {
			return fmt.Errorf("inn: snapshot variable %d has %d values, the network's %d", i, len(s[i]), v.Shape().Size())
		}
		if err := v.SetValue(tensorutil.FromFloat64(e.m.dtype, s[i], v.Shape().Dimensions...)); err != nil {
			return fmt.Errorf("inn: restoring the best weights: %w", err)
		}
	}
	return nil
}

// termsGraph returns the unweighted loss terms of the graph inputs (in
// graphArgs' order) by name.
func (e *graphEngine) termsGraph(in []*graph.Node) map[string]*graph.Node {
	if e.m.lay.Recipe == Conditional {
		return map[string]*graph.Node{TermNLL: condNLL(e.m.net, in[0], in[1])}
	}
	bi := bidirInputs{U: in[0], YT: in[1], ZP: in[2], VRev: in[3]}
	if e.m.cfg.Loss.Reconstruction > 0 {
		bi.VRec = in[4]
	}
	return bidirTerms(e.m.net, e.m.lay, e.m.cfg.Loss, bi)
}

// gradientGraph returns the weighted total loss of the terms tm (weights in
// terms order) and its gradient as the step uses it, before clipping: with
// Surgery "project", the forward group's gradient plus the inverse group's
// without its conflicting component.
func (e *graphEngine) gradientGraph(ctx *context.Context, tm map[string]*graph.Node, weights []*graph.Node) (*graph.Node, []*graph.Node) {
	g := weights[0].Graph()
	zero := graph.ScalarZero(g, weights[0].DType())
	total, fwd, inv := zero, zero, zero
	for i, t := range e.terms {
		wt := graph.Mul(weights[i], tm[t.name])
		total = graph.Add(total, wt)
		switch t.group {
		case groupSplit:
			part := tm[forwardPart(t.name)]
			fwd = graph.Add(fwd, graph.Mul(weights[i], part))
			inv = graph.Add(inv, graph.Mul(weights[i], graph.Sub(tm[t.name], part)))
		case groupForward:
			fwd = graph.Add(fwd, wt)
		default:
			inv = graph.Add(inv, wt)
		}
	}
	if e.m.lay.Recipe == Bidirectional && e.m.cfg.Loss.Surgery == "project" {
		grads := ctx.BuildTrainableVariablesGradientsGraph(fwd)
		gI := removeConflict(ctx.BuildTrainableVariablesGradientsGraph(inv), grads)
		for i := range grads {
			grads[i] = graph.Add(grads[i], gI[i])
		}
		return total, grads
	}
	return total, ctx.BuildTrainableVariablesGradientsGraph(total)
}

// removeConflict returns gI without its component along gF when the two
// point against each other (<gI, gF> < 0), so that a step along the result
// cannot increase the forward loss to first order (PCGrad, Yu et al. 2020).
func removeConflict(gI, gF []*graph.Node) []*graph.Node {
	dot, norm := sumProducts(gI, gF), sumProducts(gF, gF)
	g := dot.Graph()
	tiny := graph.Scalar(g, dot.DType(), 1e-20)
	coef := graph.Div(graph.Min(dot, graph.ScalarZero(g, dot.DType())), graph.Max(norm, tiny))
	out := make([]*graph.Node, len(gI))
	for i := range gI {
		out[i] = graph.Sub(gI[i], graph.Mul(coef, gF[i]))
	}
	return out
}

// clipByNorm scales grads down to a global norm of at most clip (clip <= 0:
// no clipping) and returns them with their norm before clipping.
func clipByNorm(grads []*graph.Node, clip float64) ([]*graph.Node, *graph.Node) {
	sq := sumProducts(grads, grads)
	g, dt := sq.Graph(), sq.DType()
	norm := graph.Sqrt(sq)
	if clip <= 0 {
		return grads, norm
	}
	scale := graph.Min(graph.ScalarOne(g, dt), graph.Div(graph.Scalar(g, dt, clip), graph.Max(norm, graph.Scalar(g, dt, 1e-12))))
	out := make([]*graph.Node, len(grads))
	for i := range grads {
		out[i] = graph.Mul(grads[i], scale)
	}
	return out, norm
}

// sumProducts returns Σ_i <a_i, b_i> over lists of same-shaped tensors.
func sumProducts(a, b []*graph.Node) *graph.Node {
	var s *graph.Node
	for i := range a {
		p := graph.ReduceAllSum(graph.Mul(a[i], b[i]))
		if s == nil {
			s = p
		} else {
			s = graph.Add(s, p)
		}
	}
	return s
}

func (e *graphEngine) numDataInputs() int {
	if e.m.lay.Recipe == Conditional {
		return 2
	}
	if e.m.cfg.Loss.Reconstruction > 0 {
		return 5
	}
	return 4
}

// graphArgs returns a batch as the graphs' data inputs.
func (e *graphEngine) graphArgs(b *batchData) []any {
	lay := e.m.lay
	B, D, m, k := b.rows, lay.D, lay.M, lay.K
	if lay.Recipe == Conditional {
		return []any{e.tensor(b.u, B, D), e.tensor(b.cond, B, m)}
	}
	args := []any{e.tensor(b.u, B, D), e.tensor(b.yT, B, m), e.tensor(b.zP, B, k), e.tensor(b.vRev, B, D)}
	if b.vRec != nil {
		args = append(args, e.tensor(b.vRec, B, D))
	}
	return args
}

func (e *graphEngine) tensor(v []float64, dims ...int) *tensors.Tensor {
	return tensorutil.FromFloat64(e.m.dtype, v, dims...)
}

func (e *graphEngine) scalar(v float64) *tensors.Tensor {
	return tensorutil.FromFloat64(e.m.dtype, []float64{v})
}
