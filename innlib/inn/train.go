package inn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/gomlx/gomlx/pkg/ml/train/optimizers"
	"github.com/schollz/progressbar/v3"

	"github.com/ozarkinn/inn/innlib/internal/tensorutil"
	"github.com/ozarkinn/inn/innlib/metrics"
)

// Train fits a model to parameter vectors x (rows) and outputs y (rows),
// holding out a seeded random Train.ValFraction of the rows for validation.
func Train(x, y [][]float64, cfg Config) (*Model, error) {
	if err := checkMatrix("x", x, 0); err != nil {
		return nil, err
	}
	if err := checkMatrix("y", y, 0); err != nil {
		return nil, err
	}
	if len(x) != len(y) {
		return nil, fmt.Errorf("inn: x has %d rows but y has %d", len(x), len(y))
	}
	c := cfg.WithDefaults()
	nVal := int(math.Round(float64(len(x)) * c.Train.ValFraction))
	if nVal < 2 || len(x)-nVal < 2 {
		return nil, fmt.Errorf("inn: %d rows are too few to hold out %.0f%% for validation (need at least 2 on each side)", len(x), 100*c.Train.ValFraction)
	}
	perm := rand.New(rand.NewPCG(c.Train.Seed, seedStreamBatch+1)).Perm(len(x))
	pick := func(rows [][]float64, idx []int) [][]float64 {
		out := make([][]float64, len(idx))
		for i, j := range idx {
			out[i] = rows[j]
		}
		return out
	}
	valIdx, trIdx := perm[:nVal], perm[nVal:]
	return TrainWithValidation(pick(x, trIdx), pick(y, trIdx), pick(x, valIdx), pick(y, valIdx), cfg)
}

// TrainWithValidation fits a model on (x, y) and uses (xVal, yVal) to pick
// the best weights and report validation losses.
func TrainWithValidation(x, y, xVal, yVal [][]float64, cfg Config) (*Model, error) {
	c := cfg.WithDefaults()
	for _, d := range []struct {
		name string
		rows [][]float64
		cols int
	}{{"x", x, 0}, {"y", y, 0}} {
		if err := checkMatrix(d.name, d.rows, d.cols); err != nil {
			return nil, err
		}
	}
	n, m := len(x[0]), len(y[0])
	if err := checkMatrix("validation x", xVal, n); err != nil {
		return nil, err
	}
	if err := checkMatrix("validation y", yVal, m); err != nil {
		return nil, err
	}
	if len(x) != len(y) || len(xVal) != len(yVal) {
		return nil, fmt.Errorf("inn: x/y rows differ: training %d vs %d, validation %d vs %d", len(x), len(y), len(xVal), len(yVal))
	}
	if len(x) < 2 || len(xVal) < 2 {
		return nil, fmt.Errorf("inn: need at least 2 training and 2 validation rows, got %d and %d", len(x), len(xVal))
	}
	if err := c.validate(n, m); err != nil {
		return nil, err
	}
	if c.Lo != nil {
		if err := checkInBox("x", x, c.Lo, c.Hi); err != nil {
			return nil, err
		}
		if err := checkInBox("validation x", xVal, c.Lo, c.Hi); err != nil {
			return nil, err
		}
	}
	lay, err := newLayout(c, n, m)
	if err != nil {
		return nil, err
	}
	tf, err := newTransform(c, x, y)
	if err != nil {
		return nil, err
	}
	model, err := newModel(c, lay, tf)
	if err != nil {
		return nil, err
	}
	t := newTrainer(model, x, y, xVal, yVal)
	if err := t.run(); err != nil {
		return nil, err
	}
	return model, nil
}

// trainer holds the state of one training run.
type trainer struct {
	m        *Model
	cfg      Config
	lay      layout
	xs, ys   []float64 // Standardised training data, flat.
	xv, yv   []float64 // Standardised validation data, flat.
	nTrain   int
	nVal     int
	batch    int
	noise    *rand.Rand
	order    *rand.Rand
	stepExec *context.Exec
	valExec  *context.Exec
	lrVar    *context.Variable
	valBatch *batchData // Fixed validation inputs (noise drawn once).
	nat      *native    // The plain-Go engine; nil when training runs on graphs.
	xValOrig [][]float64
	yValOrig [][]float64
}

func newTrainer(m *Model, x, y, xVal, yVal [][]float64) *trainer {
	lay := m.lay
	t := &trainer{m: m, cfg: m.cfg, lay: lay, nTrain: len(x), nVal: len(xVal), xValOrig: xVal, yValOrig: yVal}
	t.xs, t.ys = m.standardise(x, y)
	t.xv, t.yv = m.standardise(xVal, yVal)
	t.batch = min(t.cfg.Train.BatchSize, t.nTrain)
	t.noise = rand.New(rand.NewPCG(t.cfg.Train.Seed, seedStreamNoise))
	t.order = rand.New(rand.NewPCG(t.cfg.Train.Seed, seedStreamBatch))
	return t
}

// standardise maps rows to flat standardised arrays.
func (m *Model) standardise(x, y [][]float64) (xs, ys []float64) {
	n, mm := m.lay.N, m.lay.M
	xs = make([]float64, len(x)*n)
	ys = make([]float64, len(y)*mm)
	for i := range x {
		m.tf.xToNet(x[i], xs[i*n:(i+1)*n])
		m.tf.yToNet(y[i], ys[i*mm:(i+1)*mm])
	}
	return xs, ys
}

// termOrder fixes the order of loss-term outputs of the graphs.
func (t *trainer) termOrder() []string {
	if t.lay.Recipe == Conditional {
		return []string{TermNLL}
	}
	names := []string{TermFit, TermLatentMMD, TermBackwardMMD, TermPadding}
	if t.cfg.Loss.Reconstruction > 0 {
		names = append(names, TermReconstruction)
	}
	return names
}

// weightsFor returns the weight of each term at an epoch (ramp applied when ramped).
func (t *trainer) weightsFor(epoch int, ramped bool) map[string]float64 {
	l := t.cfg.Loss
	back := l.BackwardMMD
	if ramped && l.BackwardRamp == "ardizzone" {
		frac := float64(epoch+1) / float64(t.cfg.Train.Epochs)
		back *= math.Min(1, 2*math.Pow(0.002, 1-frac))
	}
	return map[string]float64{TermFit: l.Fit, TermLatentMMD: l.LatentMMD, TermBackwardMMD: back,
		TermPadding: l.Padding, TermReconstruction: l.Reconstruction, TermNLL: 1}
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

// termsGraph returns the unweighted loss terms of the graph inputs in
// (graphArgs' order).
func (t *trainer) termsGraph(in []*graph.Node) map[string]*graph.Node {
	if t.lay.Recipe == Conditional {
		return map[string]*graph.Node{TermNLL: condNLL(t.m.net, in[0], in[1])}
	}
	bi := bidirInputs{U: in[0], YT: in[1], ZP: in[2], VRev: in[3]}
	if t.cfg.Loss.Reconstruction > 0 {
		bi.VRec = in[4]
	}
	return bidirTerms(t.m.net, t.lay, t.cfg.Loss, bi)
}

// gradientGraph returns the weighted total loss of the terms tm (weights in
// termOrder) and its gradient as the step uses it, before clipping: with
// Surgery "project", the forward terms' gradient plus the inverse terms'
// gradient without its conflicting component.
func (t *trainer) gradientGraph(ctx *context.Context, tm map[string]*graph.Node, weights []*graph.Node) (*graph.Node, []*graph.Node) {
	g := weights[0].Graph()
	zero := graph.ScalarZero(g, weights[0].DType())
	total, fwd, inv := zero, zero, zero
	for i, name := range t.termOrder() {
		wt := graph.Mul(weights[i], tm[name])
		total = graph.Add(total, wt)
		switch {
		case name == TermPadding:
			// Split padding: its output part is forward, its input part inverse.
			fwd = graph.Add(fwd, graph.Mul(weights[i], tm[termPaddingOut]))
			inv = graph.Add(inv, graph.Mul(weights[i], graph.Sub(tm[TermPadding], tm[termPaddingOut])))
		case forwardTerms[name]:
			fwd = graph.Add(fwd, wt)
		default:
			inv = graph.Add(inv, wt)
		}
	}
	if t.lay.Recipe == Bidirectional && t.cfg.Loss.Surgery == "project" {
		grads := ctx.BuildTrainableVariablesGradientsGraph(fwd)
		gI := removeConflict(ctx.BuildTrainableVariablesGradientsGraph(inv), grads)
		for i := range grads {
			grads[i] = graph.Add(grads[i], gI[i])
		}
		return total, grads
	}
	return total, ctx.BuildTrainableVariablesGradientsGraph(total)
}

type gradientOptimizer interface {
	UpdateGraphWithGradients(ctx *context.Context, grads []*graph.Node, lossDType dtypes.DType)
}

// buildGraphs creates the training-step and validation executables.
func (t *trainer) buildGraphs() error {
	m := t.m
	names := t.termOrder()
	tc := t.cfg.Train
	t.lrVar = optimizers.LearningRateVar(m.ctx, m.dtype, tc.LearningRate)
	// GoMLX's Adam takes precomputed gradients, which lets the step project
	// and clip them first.
	opt, ok := optimizers.Adam().LearningRate(tc.LearningRate).Betas(tc.Beta1, tc.Beta2).
		Epsilon(tc.Epsilon).WeightDecay(tc.WeightDecay).Done().(gradientOptimizer)
	if !ok {
		return fmt.Errorf("inn: GoMLX's Adam no longer accepts precomputed gradients")
	}
	var err error
	terms := t.termsGraph
	numData := t.numDataInputs()
	t.stepExec, err = context.NewExec(m.backend, m.ctx, func(ctx *context.Context, in []*graph.Node) []*graph.Node {
		tm := terms(in[:numData])
		total, grads := t.gradientGraph(ctx, tm, in[numData:])
		grads, norm := clipByNorm(grads, tc.ClipNorm)
		opt.UpdateGraphWithGradients(ctx, grads, total.DType())
		outs := []*graph.Node{total, norm}
		for _, name := range names {
			outs = append(outs, tm[name])
		}
		return outs
	})
	if err != nil {
		return fmt.Errorf("inn: building the training graph: %w", err)
	}
	t.valExec, err = context.NewExec(m.backend, m.ctx, func(ctx *context.Context, in []*graph.Node) []*graph.Node {
		tm := terms(in)
		outs := make([]*graph.Node, len(names))
		for i, name := range names {
			outs[i] = tm[name]
		}
		return outs
	})
	if err != nil {
		return fmt.Errorf("inn: building the validation graph: %w", err)
	}
	return nil
}

func (t *trainer) numDataInputs() int {
	if t.lay.Recipe == Conditional {
		return 2
	}
	if t.cfg.Loss.Reconstruction > 0 {
		return 5
	}
	return 4
}

// batchData is one batch's inputs in standardised units, row-major; which
// fields are set depends on the recipe (see bidirInputs).
type batchData struct {
	rows               int
	u                  []float64 // [B, D]
	cond               []float64 // [B, m], conditional
	yT, zP, vRev, vRec []float64 // bidirectional; vRec nil when reconstruction is off
}

// drawBatch draws the noise of one batch of the given rows.
func (t *trainer) drawBatch(xs, ys []float64, rows []int, rng *rand.Rand) *batchData {
	lay, tf := t.lay, t.m.tf
	l := t.cfg.Loss
	B, D, n, m := len(rows), lay.D, lay.N, lay.M
	padNoise, yNoise := positive(l.PadNoise), positive(l.YNoise)
	u := make([]float64, B*D)
	if lay.Recipe == Conditional {
		cond := make([]float64, B*m)
		for i, r := range rows {
			row := u[i*D : (i+1)*D]
			copy(row, xs[r*n:(r+1)*n])
			for j := n; j < D; j++ {
				row[j] = rng.NormFloat64() // Padding of x is a unit-normal dimension, ignored at inference.
			}
			for j := 0; j < m; j++ {
				noise := yNoise * rng.NormFloat64()
				if tf.NoiseStd != nil {
					noise = tf.NoiseStd[j] * rng.NormFloat64()
				}
				cond[i*m+j] = ys[r*m+j] + noise
			}
		}
		return &batchData{rows: B, u: u, cond: cond}
	}
	k := lay.K
	yT := make([]float64, B*m)
	zP := make([]float64, B*k)
	vRev := make([]float64, B*D)
	var vRec []float64
	if l.Reconstruction > 0 {
		vRec = make([]float64, B*D)
	}
	for i, r := range rows {
		row := u[i*D : (i+1)*D]
		copy(row, xs[r*n:(r+1)*n])
		for j := 0; j < lay.Noise; j++ {
			row[n+j] = rng.NormFloat64()
		}
		for j := lay.inWidth(); j < D; j++ {
			row[j] = padNoise * rng.NormFloat64()
		}
		rev := vRev[i*D : (i+1)*D]
		for j := 0; j < m; j++ {
			y := ys[r*m+j]
			if lay.Noise > 0 {
				yT[i*m+j] = y + tf.NoiseStd[j]*row[n+j]
				rev[j] = y + tf.NoiseStd[j]*rng.NormFloat64()
			} else {
				yT[i*m+j] = y + yNoise*rng.NormFloat64()
				rev[j] = y + yNoise*rng.NormFloat64()
			}
		}
		for j := 0; j < k; j++ {
			zP[i*k+j] = rng.NormFloat64()
			rev[m+j] = rng.NormFloat64()
		}
		for j := m + k; j < D; j++ {
			rev[j] = padNoise * rng.NormFloat64()
		}
		if vRec != nil {
			for j := 0; j < D; j++ {
				s := padNoise
				if j < m {
					s = math.Max(yNoise, padNoise)
				}
				vRec[i*D+j] = s * rng.NormFloat64()
			}
		}
	}
	return &batchData{rows: B, u: u, yT: yT, zP: zP, vRev: vRev, vRec: vRec}
}

// graphArgs returns a batch as the graphs' data inputs.
func (t *trainer) graphArgs(b *batchData) []any {
	B, D, m, k := b.rows, t.lay.D, t.lay.M, t.lay.K
	if t.lay.Recipe == Conditional {
		return []any{t.tensor(b.u, B, D), t.tensor(b.cond, B, m)}
	}
	args := []any{t.tensor(b.u, B, D), t.tensor(b.yT, B, m), t.tensor(b.zP, B, k), t.tensor(b.vRev, B, D)}
	if b.vRec != nil {
		args = append(args, t.tensor(b.vRec, B, D))
	}
	return args
}

func (t *trainer) tensor(v []float64, dims ...int) *tensors.Tensor {
	return tensorutil.FromFloat64(t.m.dtype, v, dims...)
}

func (t *trainer) scalar(v float64) *tensors.Tensor {
	return tensorutil.FromFloat64(t.m.dtype, []float64{v})
}

// learningRate returns the scheduled learning rate of an epoch.
func (t *trainer) learningRate(epoch int) float64 {
	tc := t.cfg.Train
	if tc.LRSchedule == "constant" || tc.Epochs == 1 {
		return tc.LearningRate
	}
	frac := float64(epoch) / float64(tc.Epochs-1)
	floor := tc.MinLRFactor
	return tc.LearningRate * (floor + (1-floor)*0.5*(1+math.Cos(math.Pi*frac)))
}

// prepare sets up the training engine.
func (t *trainer) prepare() error {
	if t.cfg.Train.Engine == EngineNative {
		nat, err := newNative(t.m)
		if err != nil {
			return err
		}
		t.nat = nat
		return nil
	}
	return t.buildGraphs()
}

func (t *trainer) run() error {
	if err := t.prepare(); err != nil {
		return err
	}
	m := t.m
	tc := t.cfg.Train
	names := t.termOrder()
	allVal := seq(t.nVal)
	t.valBatch = t.drawBatch(t.xv, t.yv, allVal, rand.New(rand.NewPCG(tc.Seed, seedStreamNoise+1)))
	fullW := t.weightsFor(tc.Epochs-1, false)

	var bar *progressbar.ProgressBar
	if tc.Progress != nil {
		bar = progressbar.NewOptions(tc.Epochs, progressbar.OptionSetWriter(tc.Progress),
			progressbar.OptionSetDescription("training"), progressbar.OptionShowCount(),
			progressbar.OptionSetWidth(20), progressbar.OptionThrottle(200*time.Millisecond),
			progressbar.OptionClearOnFinish())
	}
	start := time.Now()
	bestScore := math.Inf(1)
	var best any
	sinceBest := 0
	h := &m.history
	h.Stopped = "epochs"
	for epoch := 0; epoch < tc.Epochs; epoch++ {
		lr := t.learningRate(epoch)
		if t.nat != nil {
			t.nat.lr = lr
		} else if err := t.lrVar.SetValue(t.scalar(lr)); err != nil {
			return fmt.Errorf("inn: setting the learning rate: %w", err)
		}
		w, wArgs := t.weightArgs(epoch)
		order := t.order.Perm(t.nTrain)
		sums := map[string]float64{}
		gradNorm := 0.0
		steps := 0
		for b := 0; b+t.batch <= t.nTrain; b += t.batch {
			vals, err := t.step(order[b:b+t.batch], w, wArgs)
			if err != nil {
				return fmt.Errorf("inn: training step (epoch %d): %w", epoch, err)
			}
			sums[TermTotal] += vals[0]
			gradNorm += vals[1]
			for i, name := range names {
				sums[name] += vals[2+i]
			}
			steps++
		}
		h.Steps += steps
		if t.nat != nil {
			if err := t.setVariables(t.nat.p); err != nil {
				return err
			}
		}
		m.weightsChanged()
		for k := range sums {
			sums[k] /= float64(steps)
		}
		val, err := t.validate()
		if err != nil {
			return err
		}
		score := 0.0
		for _, name := range names {
			score += fullW[name] * val[name]
		}
		if math.IsNaN(score) {
			return fmt.Errorf("inn: the validation loss became NaN at epoch %d", epoch)
		}
		st := EpochStats{Epoch: epoch, Train: sums, Val: val, ValScore: score, LearningRate: lr,
			GradNorm: gradNorm / float64(steps), Seconds: time.Since(start).Seconds()}
		if t.lay.Recipe == Bidirectional {
			st.BackwardWeight = w[TermBackwardMMD]
			if st.ValR2, err = t.validationR2(); err != nil {
				return err
			}
		}
		if score < bestScore {
			bestScore, st.Best, sinceBest = score, true, 0
			best = t.snapshot()
			h.BestEpoch = epoch
		} else {
			sinceBest++
		}
		h.Epochs = append(h.Epochs, st)
		if bar != nil {
			bar.Describe(fmt.Sprintf("%s | val %.3g", summary(sums), score))
			_ = bar.Add(1)
		}
		if tc.OnEpoch != nil {
			tc.OnEpoch(st)
		}
		if tc.Patience > 0 && sinceBest >= tc.Patience {
			h.Stopped = "patience"
			break
		}
	}
	if bar != nil {
		_ = bar.Finish()
	}
	h.Seconds = time.Since(start).Seconds()
	return t.restore(best)
}

// step runs one optimiser step on the given training rows and returns the
// total loss, the gradient norm and the unweighted terms.
func (t *trainer) step(rows []int, w map[string]float64, wArgs []any) ([]float64, error) {
	b := t.drawBatch(t.xs, t.ys, rows, t.noise)
	var vals []float64
	if t.nat != nil {
		vals = t.nativeStep(b, w)
	} else {
		res, err := t.stepExec.Exec(append(t.graphArgs(b), wArgs...)...)
		if err != nil {
			return nil, err
		}
		vals = make([]float64, len(res))
		for i, r := range res {
			vals[i] = tensorutil.Scalar(r)
			r.FinalizeAll()
		}
	}
	if math.IsNaN(vals[0]) || math.IsInf(vals[0], 0) {
		return nil, fmt.Errorf("the loss became %g; lower the learning rate or the clamp, or check the data scale", vals[0])
	}
	return vals, nil
}

// weightArgs returns the loss weights of an epoch as graph inputs.
func (t *trainer) weightArgs(epoch int) (map[string]float64, []any) {
	w := t.weightsFor(epoch, true)
	names := t.termOrder()
	args := make([]any, len(names))
	for i, name := range names {
		args[i] = t.scalar(w[name])
	}
	return w, args
}

func (t *trainer) validate() (map[string]float64, error) {
	if t.nat != nil {
		return t.nativeTerms(t.valBatch, nil, false), nil
	}
	res, err := t.valExec.Exec(t.graphArgs(t.valBatch)...)
	if err != nil {
		return nil, fmt.Errorf("inn: validation: %w", err)
	}
	out := map[string]float64{}
	for i, name := range t.termOrder() {
		out[name] = tensorutil.Scalar(res[i])
		res[i].FinalizeAll()
	}
	return out, nil
}

// validationR2 returns the emulator's R² per output on the validation set.
func (t *trainer) validationR2() ([]float64, error) {
	pred, err := t.m.Forward(t.xValOrig)
	if err != nil {
		return nil, err
	}
	r2, err := metrics.R2Columns(nil, t.yValOrig, pred)
	if err != nil {
		return nil, nil // A constant validation output has no R²; leave it out.
	}
	return r2, nil
}

// snapshot copies the network weights.
func (t *trainer) snapshot() any {
	if t.nat != nil {
		return slices.Clone(t.nat.p)
	}
	vars := t.m.net.Variables()
	out := make([][]float64, len(vars))
	for i, v := range vars {
		out[i] = tensorutil.ToFloat64(v.MustValue())
	}
	return out
}

// restore sets the network weights from a snapshot.
func (t *trainer) restore(snap any) error {
	defer t.m.weightsChanged()
	if snap == nil {
		return nil
	}
	if p, ok := snap.([]float32); ok {
		return t.setVariables(p)
	}
	s := snap.([][]float64)
	for i, v := range t.m.net.Variables() {
		if err := v.SetValue(tensorutil.FromFloat64(t.m.dtype, s[i], v.Shape().Dimensions...)); err != nil {
			return fmt.Errorf("inn: restoring the best weights: %w", err)
		}
	}
	return nil
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}
