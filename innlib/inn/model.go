package inn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/ml/context"

	"github.com/ozarkinn/inn/innlib/backend"
	"github.com/ozarkinn/inn/innlib/flow"
	"github.com/ozarkinn/inn/innlib/flow/flowgrad"
	"github.com/ozarkinn/inn/innlib/internal/tensorutil"
)

// chunkRows bounds the rows evaluated in one graph execution, to bound memory.
const chunkRows = 16384

// Model is a trained (or freshly initialised) network with its normalisation.
// All its methods speak original units. A Model is safe for concurrent use.
type Model struct {
	cfg     Config
	lay     layout
	tf      *transform
	dtype   dtypes.DType
	backend backends.Backend
	ctx     *context.Context
	net     *flow.Network
	history History

	mu               sync.Mutex
	fwdExec, invExec *context.Exec
	fast             *flowgrad.Frozen // Frozen float32 copy for inference; nil until needed or after the weights change.
}

// useFast reports whether inference runs on the gemm kernels (float32
// models, unless INNLIB_INFERENCE=graph asks for GoMLX graphs, e.g. on XLA).
func (m *Model) useFast() bool {
	return m.dtype == dtypes.Float32 && os.Getenv("INNLIB_INFERENCE") != "graph"
}

// fastFlow returns the frozen evaluator, building it on first use.
func (m *Model) fastFlow() (*flowgrad.Frozen, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fast == nil {
		f, err := m.net.Snapshot()
		if err != nil {
			return nil, fmt.Errorf("inn: %w", err)
		}
		m.fast = f
	}
	return m.fast, nil
}

// weightsChanged drops the frozen evaluator after the weights changed.
func (m *Model) weightsChanged() {
	m.mu.Lock()
	m.fast = nil
	m.mu.Unlock()
}

// newModel builds the network for a configuration and data shape, with
// weights and permutations drawn from the configuration's seed.
func newModel(cfg Config, lay layout, tf *transform) (*Model, error) {
	b, err := backend.New()
	if err != nil {
		return nil, err
	}
	dtype := dtypes.Float32
	if cfg.DType == "float64" {
		dtype = dtypes.Float64
	}
	ctx := context.New()
	rng := rand.New(rand.NewPCG(cfg.Train.Seed, seedStreamInit))
	net, err := flow.New(ctx, dtype, flowConfig(cfg, lay), rng)
	if err != nil {
		return nil, fmt.Errorf("inn: %w", err)
	}
	return &Model{cfg: cfg, lay: lay, tf: tf, dtype: dtype, backend: b, ctx: ctx, net: net}, nil
}

// flowConfig is the configuration of the model's flow: cfg.Flow with the
// widths the layout sets.
func flowConfig(cfg Config, lay layout) flow.Config {
	fc := cfg.Flow
	fc.Dim = lay.D
	fc.CondDim = 0
	if lay.Recipe == Conditional {
		fc.CondDim = lay.M
	}
	return fc
}

// Independent random streams drawn from one seed.
const (
	seedStreamInit  = 0x696e6974 // Weights and permutations.
	seedStreamBatch = 0x62617463 // Shuffling and the validation split.
	seedStreamNoise = 0x6e6f6973 // Training noise.
)

// Config returns the configuration the model was built with, defaults filled in.
func (m *Model) Config() Config { return m.cfg }

// NumParams returns the number of parameters x and outputs y the model was trained on.
func (m *Model) NumParams() int { return m.lay.N }

// NumOutputs returns the number of outputs y.
func (m *Model) NumOutputs() int { return m.lay.M }

// LatentDim returns the width of z.
func (m *Model) LatentDim() int { return m.lay.K }

// FlowWidth returns the width D of the flow.
func (m *Model) FlowWidth() int { return m.lay.D }

// NumWeights returns the number of trainable values in the network.
func (m *Model) NumWeights() int { return m.net.NumParams() }

// History returns the per-epoch training statistics.
func (m *Model) History() History { return m.history }

// CanEmulate reports whether Forward is available (the bidirectional recipe).
func (m *Model) CanEmulate() bool { return m.lay.Recipe == Bidirectional }

// Forward returns the network's prediction of y for each parameter vector
// (the emulator). Only the bidirectional recipe has a forward model.
func (m *Model) Forward(x [][]float64) ([][]float64, error) {
	if !m.CanEmulate() {
		return nil, fmt.Errorf("inn: the %s recipe has no forward model; train the %s recipe to emulate", m.lay.Recipe, Bidirectional)
	}
	if err := checkMatrix("Forward input", x, m.lay.N); err != nil {
		return nil, err
	}
	if m.tf.Box == BoxLogit {
		if err := checkInBox("Forward input", x, m.tf.Lo, m.tf.Hi); err != nil {
			return nil, err
		}
	}
	d := m.lay.D
	u := make([]float64, len(x)*d)
	for i, r := range x {
		m.tf.xToNet(r, u[i*d:i*d+m.lay.N]) // Noise and padding inputs stay 0.
	}
	v, err := m.runForward(u, len(x))
	if err != nil {
		return nil, err
	}
	out := make([][]float64, len(x))
	for i := range out {
		out[i] = make([]float64, m.lay.M)
		m.tf.yFromNet(v[i*d:i*d+m.lay.M], out[i])
	}
	return out, nil
}

// Posterior draws n parameter vectors, in original units, from the posterior
// given one observation yObs. The same seed gives the same samples.
func (m *Model) Posterior(yObs []float64, n int, seed uint64) ([][]float64, error) {
	s, err := m.PosteriorBatch([][]float64{yObs}, n, seed)
	if err != nil {
		return nil, err
	}
	return s[0], nil
}

// PosteriorBatch draws n samples for each observation: result[i] holds the
// samples for yObs[i].
func (m *Model) PosteriorBatch(yObs [][]float64, n int, seed uint64) ([][][]float64, error) {
	if n < 1 {
		return nil, fmt.Errorf("inn: asked for %d posterior samples, want >= 1", n)
	}
	if err := checkMatrix("observation", yObs, m.lay.M); err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(seed, 0x706f7374))
	d, lay := m.lay.D, m.lay
	rows := len(yObs) * n
	// The inputs are drawn in float64 and rounded to float32 as the network
	// takes them; the fast path builds them in float32 directly.
	fast := m.useFast()
	var v, cond []float64
	var v32, cond32 []float32
	if fast {
		v32 = make([]float32, rows*d)
	} else {
		v = make([]float64, rows*d)
	}
	if lay.Recipe == Conditional {
		if fast {
			cond32 = make([]float32, rows*lay.M)
		} else {
			cond = make([]float64, rows*lay.M)
		}
	}
	ys := make([]float64, lay.M)
	rowv := make([]float64, d)
	for i, y := range yObs {
		m.tf.yToNet(y, ys)
		for s := 0; s < n; s++ {
			r := i*n + s
			clear(rowv)
			if lay.Recipe == Conditional {
				if fast {
					toF32(cond32[r*lay.M:(r+1)*lay.M], ys)
				} else {
					copy(cond[r*lay.M:(r+1)*lay.M], ys)
				}
				for j := range rowv {
					rowv[j] = rng.NormFloat64()
				}
			} else {
				copy(rowv, ys)
				for j := lay.M; j < lay.M+lay.K; j++ {
					rowv[j] = rng.NormFloat64()
				}
				// Output padding stays 0.
			}
			if fast {
				toF32(v32[r*d:(r+1)*d], rowv)
			} else {
				copy(v[r*d:(r+1)*d], rowv)
			}
		}
	}
	out := make([][][]float64, len(yObs))
	all := make([]float64, rows*lay.N)
	for i := range out {
		out[i] = make([][]float64, n)
		for s := range out[i] {
			r := i*n + s
			out[i][s] = all[r*lay.N : (r+1)*lay.N : (r+1)*lay.N]
		}
	}
	if fast {
		u32, err := m.inverse32(v32, cond32, rows)
		if err != nil {
			return nil, err
		}
		// The box map's inverse costs a few per cent of the flow's inverse
		// (BenchmarkLogitInverse): rows are still mapped on several
		// goroutines, reading the network's float32 output in place.
		var bad atomic.Bool
		inChunks(rows, func(r0, r1 int) {
			row := make([]float64, d)
			for r := r0; r < r1; r++ {
				for j, x := range u32[r*d : (r+1)*d] {
					row[j] = float64(x)
					if math.IsNaN(row[j]) || math.IsInf(row[j], 0) {
						bad.Store(true)
						return
					}
				}
				m.tf.xFromNet(row[:lay.N], all[r*lay.N:(r+1)*lay.N])
			}
		})
		if bad.Load() {
			return nil, errNonFinite
		}
		return out, nil
	}
	u, err := m.runInverse(v, cond, rows)
	if err != nil {
		return nil, err
	}
	inChunks(rows, func(r0, r1 int) {
		for r := r0; r < r1; r++ {
			m.tf.xFromNet(u[r*d:r*d+lay.N], all[r*lay.N:(r+1)*lay.N])
		}
	})
	return out, nil
}

// toF32 rounds src into dst.
func toF32(dst []float32, src []float64) {
	for i, x := range src {
		dst[i] = float32(x)
	}
}

// mapChunkRows is the fewest rows inChunks hands a goroutine.
const mapChunkRows = 1024

// inChunks calls fn on chunks of rows [0, rows), on up to GOMAXPROCS
// goroutines; fn must treat rows independently.
func inChunks(rows int, fn func(r0, r1 int)) {
	workers := min(runtime.GOMAXPROCS(0), (rows+mapChunkRows-1)/mapChunkRows)
	if workers <= 1 {
		fn(0, rows)
		return
	}
	var wg sync.WaitGroup
	wg.Add(workers - 1)
	for w := 1; w < workers; w++ {
		go func() {
			defer wg.Done()
			fn(w*rows/workers, (w+1)*rows/workers)
		}()
	}
	fn(0, rows/workers)
	wg.Wait()
}

// Latent returns the latent code z of each parameter vector x given its
// outputs y: the flow's forward pass. For the conditional recipe z has the
// flow's width and, for a trained model, is close to N(0, I); for the
// bidirectional recipe it is the z part of the output [y, z] (noise inputs 0).
func (m *Model) Latent(x, y [][]float64) ([][]float64, error) {
	if err := checkMatrix("Latent x", x, m.lay.N); err != nil {
		return nil, err
	}
	if err := checkMatrix("Latent y", y, m.lay.M); err != nil {
		return nil, err
	}
	if len(x) != len(y) {
		return nil, fmt.Errorf("inn: Latent: %d parameter rows and %d output rows", len(x), len(y))
	}
	if m.tf.Box == BoxLogit {
		if err := checkInBox("Latent x", x, m.tf.Lo, m.tf.Hi); err != nil {
			return nil, err
		}
	}
	d, lay := m.lay.D, m.lay
	u := make([]float64, len(x)*d)
	for i, r := range x {
		m.tf.xToNet(r, u[i*d:i*d+lay.N])
	}
	var v []float64
	if lay.Recipe == Conditional {
		cond := make([]float64, len(y)*lay.M)
		for i, r := range y {
			m.tf.yToNet(r, cond[i*lay.M:(i+1)*lay.M])
		}
		f, err := m.fastFlow()
		if err != nil {
			return nil, err
		}
		v32, _, err := f.Forward(tensorutil.Float32s(u), tensorutil.Float32s(cond), len(x))
		if err != nil {
			return nil, fmt.Errorf("inn: %w", err)
		}
		if v, err = fromF32(v32); err != nil {
			return nil, err
		}
	} else {
		var err error
		if v, err = m.runForward(u, len(x)); err != nil {
			return nil, err
		}
	}
	from, width := 0, d
	if lay.Recipe == Bidirectional {
		from, width = lay.M, lay.K
	}
	out := make([][]float64, len(x))
	for i := range out {
		out[i] = append([]float64(nil), v[i*d+from:i*d+from+width]...)
	}
	return out, nil
}

// LogDensity returns log q(x | y) of the conditional flow for each parameter
// vector x (original units) given one observation y: the density the flow
// learned, including the Jacobians of the box map and the standardisation.
// Only the conditional recipe has it, and only without padding (D = n).
func (m *Model) LogDensity(x [][]float64, y []float64) ([]float64, error) {
	return m.logDensity(x, y, true)
}

// UnconstrainedLogDensity is LogDensity of the transformed parameters x̃ (box
// map and standardisation, the flow's own coordinates) at each x. Its
// highest-density draw is the MAP in unconstrained coordinates. In original
// units the box map's Jacobian makes the density spike at the box edges,
// so the highest-density draw there is an edge artefact, not a mode.
func (m *Model) UnconstrainedLogDensity(x [][]float64, y []float64) ([]float64, error) {
	return m.logDensity(x, y, false)
}

func (m *Model) logDensity(x [][]float64, y []float64, withJacobian bool) ([]float64, error) {
	lay := m.lay
	if lay.Recipe != Conditional || lay.D != lay.N {
		return nil, fmt.Errorf("inn: LogDensity needs the %s recipe without padding", Conditional)
	}
	if err := checkMatrix("LogDensity x", x, lay.N); err != nil {
		return nil, err
	}
	if err := checkMatrix("LogDensity y", [][]float64{y}, lay.M); err != nil {
		return nil, err
	}
	d := lay.D
	u := make([]float64, len(x)*d)
	jac := make([]float64, len(x)) // log|dx̃/dx|
	cond := make([]float64, len(x)*lay.M)
	ys := make([]float64, lay.M)
	m.tf.yToNet(y, ys)
	for i, r := range x {
		m.tf.xToNet(r, u[i*d:(i+1)*d])
		jac[i] = m.tf.logJacobian(r)
		copy(cond[i*lay.M:], ys)
	}
	f, err := m.fastFlow()
	if err != nil {
		return nil, err
	}
	z, logDet, err := f.Forward(tensorutil.Float32s(u), tensorutil.Float32s(cond), len(x))
	if err != nil {
		return nil, fmt.Errorf("inn: %w", err)
	}
	out := make([]float64, len(x))
	c := -0.5 * float64(d) * math.Log(2*math.Pi)
	for i := range out {
		var sq float64
		for _, v := range z[i*d : (i+1)*d] {
			sq += float64(v) * float64(v)
		}
		out[i] = c - 0.5*sq + logDet[i]
		if withJacobian {
			out[i] += jac[i]
		}
	}
	return out, nil
}

// RoundTripError maps each x forward to its latent code and back with the
// same y, and returns the largest |x' − x| in standardised network units:
// the numerical check that the network is invertible (float32 rounding
// gives about 1e-6 to 1e-5). Conditional recipe only.
func (m *Model) RoundTripError(x, y [][]float64) (float64, error) {
	if m.lay.Recipe != Conditional {
		return 0, fmt.Errorf("inn: RoundTripError needs the %s recipe", Conditional)
	}
	z, err := m.Latent(x, y)
	if err != nil {
		return 0, err
	}
	d, lay := m.lay.D, m.lay
	v := make([]float64, 0, len(z)*d)
	cond := make([]float64, len(y)*lay.M)
	for i, r := range z {
		v = append(v, r...)
		m.tf.yToNet(y[i], cond[i*lay.M:(i+1)*lay.M])
	}
	u, err := m.runInverse(v, cond, len(z))
	if err != nil {
		return 0, err
	}
	worst := 0.0
	want := make([]float64, lay.N)
	for i, r := range x {
		m.tf.xToNet(r, want)
		for j := range want {
			worst = math.Max(worst, math.Abs(u[i*d+j]-want[j]))
		}
	}
	return worst, nil
}

// OutOfBoxFraction returns the fraction of parameter vectors outside the
// model's prior box (0 without a box). With the logit box map it is always 0.
func (m *Model) OutOfBoxFraction(samples [][]float64) float64 {
	if m.tf.Lo == nil || len(samples) == 0 {
		return 0
	}
	out := 0
	for _, r := range samples {
		for j, v := range r {
			if v < m.tf.Lo[j] || v > m.tf.Hi[j] {
				out++
				break
			}
		}
	}
	return float64(out) / float64(len(samples))
}

// runForward evaluates the flow on rows of u (flat, [rows, D]).
func (m *Model) runForward(u []float64, rows int) ([]float64, error) {
	if m.useFast() {
		f, err := m.fastFlow()
		if err != nil {
			return nil, err
		}
		v, _, err := f.Forward(tensorutil.Float32s(u), nil, rows)
		if err != nil {
			return nil, fmt.Errorf("inn: %w", err)
		}
		return fromF32(v)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fwdExec == nil {
		e, err := context.NewExec(m.backend, m.ctx, func(ctx *context.Context, u *graph.Node) *graph.Node {
			v, _ := m.net.Forward(u, nil)
			return v
		})
		if err != nil {
			return nil, fmt.Errorf("inn: building the forward graph: %w", err)
		}
		m.fwdExec = e
	}
	return m.chunked(m.fwdExec, u, nil, rows)
}

// inverse32 runs the flow's inverse on the native engine, in float32.
func (m *Model) inverse32(v, cond []float32, rows int) ([]float32, error) {
	f, err := m.fastFlow()
	if err != nil {
		return nil, err
	}
	u, err := f.Inverse(v, cond, rows)
	if err != nil {
		return nil, fmt.Errorf("inn: %w", err)
	}
	return u, nil
}

// runInverse evaluates the inverse flow on rows of v (and cond).
func (m *Model) runInverse(v, cond []float64, rows int) ([]float64, error) {
	if m.useFast() {
		u, err := m.inverse32(tensorutil.Float32s(v), tensorutil.Float32s(cond), rows)
		if err != nil {
			return nil, err
		}
		return fromF32(u)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.invExec == nil {
		var (
			e   *context.Exec
			err error
		)
		if m.lay.Recipe == Conditional {
			e, err = context.NewExec(m.backend, m.ctx, func(ctx *context.Context, v, c *graph.Node) *graph.Node {
				return m.net.Inverse(v, c)
			})
		} else {
			e, err = context.NewExec(m.backend, m.ctx, func(ctx *context.Context, v *graph.Node) *graph.Node {
				return m.net.Inverse(v, nil)
			})
		}
		if err != nil {
			return nil, fmt.Errorf("inn: building the inverse graph: %w", err)
		}
		m.invExec = e
	}
	return m.chunked(m.invExec, v, cond, rows)
}

// fromF32 converts network outputs, rejecting non-finite values.
func fromF32(v []float32) ([]float64, error) {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
		if math.IsNaN(out[i]) || math.IsInf(out[i], 0) {
			return nil, errNonFinite
		}
	}
	return out, nil
}

var errNonFinite = fmt.Errorf("inn: the network produced a non-finite value (input far outside the training data?)")

func (m *Model) chunked(e *context.Exec, in, cond []float64, rows int) ([]float64, error) {
	d := m.lay.D
	out := make([]float64, 0, rows*d)
	for start := 0; start < rows; start += chunkRows {
		end := min(start+chunkRows, rows)
		args := []any{tensorutil.FromFloat64(m.dtype, in[start*d:end*d], end-start, d)}
		if cond != nil {
			c := m.lay.M
			args = append(args, tensorutil.FromFloat64(m.dtype, cond[start*c:end*c], end-start, c))
		}
		res, err := e.Exec(args...)
		if err != nil {
			return nil, fmt.Errorf("inn: evaluating the network: %w", err)
		}
		vals := tensorutil.ToFloat64(res[0])
		for _, r := range res {
			r.FinalizeAll()
		}
		for _, x := range vals {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, errNonFinite
			}
		}
		out = append(out, vals...)
	}
	return out, nil
}
