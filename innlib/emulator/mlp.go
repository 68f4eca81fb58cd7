package emulator

import (
	"fmt"
	"math/rand/v2"
	"sync"

	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/ml/context"

	"github.com/ozarkinn/inn/innlib/backend"
	"github.com/ozarkinn/inn/innlib/dense"
	"github.com/ozarkinn/inn/innlib/internal/rows"
	"github.com/ozarkinn/inn/innlib/internal/tensorutil"
)

// MLP is a trained emulator. It is safe for concurrent use.
type MLP struct {
	cfg          Config
	n, m         int
	xShift, xDiv []float64 // Input scaling: (x − shift)/div.
	yMean, yStd  []float64
	backend      backends.Backend
	ctx          *context.Context
	net          *dense.MLP
	history      []Epoch

	mu   sync.Mutex
	fast *dense.Fast // Frozen copy evaluated with the gemm kernels; built on first use.
}

// Epoch records one epoch of training.
type Epoch struct {
	Epoch    int     `json:"epoch"`
	TrainMSE float64 `json:"train_mse"` // Standardised units, mean over batches.
	ValMSE   float64 `json:"val_mse"`   // Standardised units.
	Best     bool    `json:"best"`
}

// History returns the per-epoch training record.
func (e *MLP) History() []Epoch { return e.history }

// Config returns the configuration the emulator was trained with.
func (e *MLP) Config() Config { return e.cfg }

// Train fits the emulator on (x, y) and keeps the weights with the lowest
// validation error on (xVal, yVal).
func Train(x, y, xVal, yVal [][]float64, cfg Config) (*MLP, error) {
	cfg = cfg.withDefaults()
	if err := checkRows("x", x, 0); err != nil {
		return nil, err
	}
	n := len(x[0])
	if err := checkRows("y", y, 0); err != nil {
		return nil, err
	}
	m := len(y[0])
	if err := checkRows("validation x", xVal, n); err != nil {
		return nil, err
	}
	if err := checkRows("validation y", yVal, m); err != nil {
		return nil, err
	}
	if len(x) != len(y) || len(xVal) != len(yVal) {
		return nil, fmt.Errorf("emulator: x/y rows differ: training %d vs %d, validation %d vs %d", len(x), len(y), len(xVal), len(yVal))
	}
	if err := cfg.validate(n); err != nil {
		return nil, err
	}
	e, err := newMLP(cfg, n, m)
	if err != nil {
		return nil, err
	}
	if err := e.setScaling(x, y); err != nil {
		return nil, err
	}
	if err := e.train(x, y, xVal, yVal); err != nil {
		return nil, err
	}
	return e, nil
}

func newMLP(cfg Config, n, m int) (*MLP, error) {
	b, err := backend.New()
	if err != nil {
		return nil, err
	}
	ctx := context.New()
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x6d6c70))
	net, err := dense.NewMLP(ctx.In("emulator"), dtypes.Float32, dense.MLPConfig{
		In: n, Outputs: []int{m}, Layers: cfg.Layers, Width: cfg.Width, Activation: cfg.Activation}, rng)
	if err != nil {
		return nil, fmt.Errorf("emulator: %w", err)
	}
	return &MLP{cfg: cfg, n: n, m: m, backend: b, ctx: ctx, net: net}, nil
}

func (e *MLP) setScaling(x, y [][]float64) error {
	e.xShift, e.xDiv = make([]float64, e.n), make([]float64, e.n)
	if e.cfg.Lo != nil {
		for j := range e.xShift {
			e.xShift[j], e.xDiv[j] = e.cfg.Lo[j], e.cfg.Hi[j]-e.cfg.Lo[j]
		}
	} else {
		mean, sd, err := rows.Stats(x)
		if err != nil {
			return fmt.Errorf("emulator: input %w", err)
		}
		e.xShift, e.xDiv = mean, sd
	}
	var err error
	if e.yMean, e.yStd, err = rows.Stats(y); err != nil {
		return fmt.Errorf("emulator: output %w", err)
	}
	return nil
}

// scaleX returns the network inputs for rows of x, flat.
func (e *MLP) scaleX(x [][]float64) []float64 {
	out := make([]float64, len(x)*e.n)
	for i, r := range x {
		for j, v := range r {
			out[i*e.n+j] = (v - e.xShift[j]) / e.xDiv[j]
		}
	}
	return out
}

func (e *MLP) scaleY(y [][]float64) []float64 {
	out := make([]float64, len(y)*e.m)
	for i, r := range y {
		for j, v := range r {
			out[i*e.m+j] = (v - e.yMean[j]) / e.yStd[j]
		}
	}
	return out
}

// Predictions of the graph and of the gemm path differ only by float32
// rounding; the graph is used for training and BestFit, the gemm path for
// everything else.

func (e *MLP) weights() [][]float64 {
	vs := e.net.Variables()
	out := make([][]float64, len(vs))
	for i, v := range vs {
		out[i] = tensorutil.ToFloat64(v.MustValue())
	}
	return out
}

func (e *MLP) setWeights(w [][]float64) error {
	e.mu.Lock()
	e.fast = nil
	e.mu.Unlock()
	for i, v := range e.net.Variables() {
		if err := v.SetValue(tensorutil.FromFloat64(dtypes.Float32, w[i], v.Shape().Dimensions...)); err != nil {
			return fmt.Errorf("emulator: setting weights: %w", err)
		}
	}
	return nil
}

// fastNet returns the frozen gemm evaluator, building it on first use.
func (e *MLP) fastNet() (*dense.Fast, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.fast == nil {
		f, err := e.net.Snapshot()
		if err != nil {
			return nil, fmt.Errorf("emulator: %w", err)
		}
		e.fast = f
	}
	return e.fast, nil
}

// Predict returns the emulated outputs for each parameter vector, in original units.
func (e *MLP) Predict(x [][]float64) ([][]float64, error) {
	if err := checkRows("Predict input", x, e.n); err != nil {
		return nil, err
	}
	f, err := e.fastNet()
	if err != nil {
		return nil, err
	}
	flat := make([]float64, len(x)*e.n)
	for i, r := range x {
		copy(flat[i*e.n:], r)
	}
	out := make([]float64, len(x)*e.m)
	b := e.newBatch(f, len(x))
	b.eval(out, flat, len(x))
	rows := make([][]float64, len(x))
	for i := range rows {
		rows[i] = out[i*e.m : (i+1)*e.m]
	}
	return rows, nil
}

// batchEval holds the buffers of repeated evaluations.
type batchEval struct {
	e       *MLP
	f       *dense.Fast
	in, out []float32
	scratch []float32
}

func (e *MLP) newBatch(f *dense.Fast, rows int) *batchEval {
	return &batchEval{e: e, f: f, in: make([]float32, rows*e.n), out: make([]float32, rows*e.m),
		scratch: make([]float32, 2*rows*max(f.Width(), 1))}
}

// eval writes f(x) for rows of x (flat, original units) into dst (flat).
func (b *batchEval) eval(dst, x []float64, rows int) {
	e := b.e
	n, m := e.n, e.m
	if rows*n > len(b.in) {
		*b = *e.newBatch(b.f, rows)
	}
	// Local slices of the scaling keep the loops free of reloads and bounds
	// checks; the arithmetic is the same.
	shift, div := e.xShift[:n], e.xDiv[:n]
	in := b.in[:rows*n]
	for i := 0; i < rows; i++ {
		xi, ui := x[i*n:(i+1)*n], in[i*n:(i+1)*n]
		for j, v := range xi {
			ui[j] = float32((v - shift[j]) / div[j])
		}
	}
	out := b.out[:rows*m]
	outs := [1][]float32{out}
	if rows <= serialRows {
		b.f.ApplySerial(outs[:], in, rows, b.scratch)
	} else {
		b.f.Apply(outs[:], in, rows, b.scratch)
	}
	std, mean := e.yStd[:m], e.yMean[:m]
	for i := 0; i < rows; i++ {
		oi, di := out[i*m:(i+1)*m], dst[i*m:(i+1)*m]
		for j, v := range oi {
			di[j] = float64(v)*std[j] + mean[j]
		}
	}
}

// serialRows is the most rows eval keeps on the calling goroutine (a
// half-ensemble of up to 32 walkers); below it goroutines would cost more
// than they save, and above it (the lockstep calls of several samplers, the
// predictions) Apply decides. Both ways give the same bits.
const serialRows = 16

// BatchFunc returns a function that writes the emulated outputs of rows of x
// (flat, row-major, original units) into dst (flat): the batched surrogate an
// MCMC sampler calls for a half-ensemble at a time. It reuses its buffers,
// so it allocates nothing after the first call, and must not be called
// concurrently with itself.
func (e *MLP) BatchFunc() (func(dst, x []float64), error) {
	f, err := e.fastNet()
	if err != nil {
		return nil, err
	}
	b := e.newBatch(f, 16)
	return func(dst, x []float64) {
		b.eval(dst, x, len(x)/e.n)
	}, nil
}

// NumInputs returns the number of parameters the emulator takes.
func (e *MLP) NumInputs() int { return e.n }

// NumOutputs returns the number of outputs it predicts.
func (e *MLP) NumOutputs() int { return e.m }

func checkRows(name string, r [][]float64, cols int) error {
	return rows.Check("emulator", name, r, cols)
}
