package dense

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/ml/context"

	"github.com/ozarkinn/inn/innlib/internal/activation"
	"github.com/ozarkinn/inn/innlib/internal/sizes"
	"github.com/ozarkinn/inn/innlib/internal/tensorutil"
)

// Defaults for MLPConfig, following the paper's subnetworks: 3 layers of 128
// units with leaky ReLU.
const (
	DefaultLayers = 3    // Linear layers, the last one included.
	DefaultWidth  = 128  // Units of each hidden layer.
	DefaultAlpha  = 0.01 // Leaky-ReLU slope for negative inputs (PyTorch's default).
)

// MLPConfig describes a fully connected network.
type MLPConfig struct {
	In      int   // Input width.
	Outputs []int // Widths of the output heads; each head is its own last linear layer.
	Layers  int   // Linear layers along any path, the head included (>= 1). Default DefaultLayers.
	Width   int   // Hidden width. Default DefaultWidth.
	// Activation is applied after every hidden layer: "leaky_relu" (default),
	// "relu", "tanh" or "silu" (the table of internal/activation).
	Activation string
	Alpha      float64 // Leaky-ReLU slope. Default DefaultAlpha.
	// ZeroLast starts every head at zero (weights and bias), so that a coupling
	// block whose scale and shift come from this network starts as the identity.
	ZeroLast bool
}

func (c MLPConfig) withDefaults() MLPConfig {
	if c.Layers == 0 {
		c.Layers = DefaultLayers
	}
	if c.Width == 0 {
		c.Width = DefaultWidth
	}
	if c.Activation == "" {
		c.Activation = activation.Default
	}
	if c.Alpha == 0 {
		c.Alpha = DefaultAlpha
	}
	return c
}

// Validate reports a configuration that cannot be built.
func (c MLPConfig) Validate() error {
	c = c.withDefaults()
	switch {
	case c.In < 1:
		return fmt.Errorf("dense: MLP input width %d, want >= 1", c.In)
	case len(c.Outputs) == 0:
		return fmt.Errorf("dense: MLP needs at least one output head")
	case c.Layers < 1:
		return fmt.Errorf("dense: MLP with %d layers, want >= 1", c.Layers)
	case c.Width < 1:
		return fmt.Errorf("dense: MLP hidden width %d, want >= 1", c.Width)
	}
	for i, o := range c.Outputs {
		if o < 1 {
			return fmt.Errorf("dense: MLP output head %d has width %d, want >= 1", i, o)
		}
	}
	if _, err := activation.Lookup(c.Activation); err != nil {
		return fmt.Errorf("dense: %w", err)
	}
	return nil
}

// Count returns the number of trainable values and of variables (weights and
// bias per layer) NewMLP would create for c, without allocating: a checkpoint
// reader checks them against its payload first. Counts that overflow an int
// are an error.
func (c MLPConfig) Count() (params, variables int, err error) {
	c = c.withDefaults()
	if err := c.Validate(); err != nil {
		return 0, 0, err
	}
	in := c.In
	if c.Layers > 1 {
		params = sizes.Add(sizes.Mul(c.In, c.Width), c.Width)
		params = sizes.Add(params, sizes.Mul(c.Layers-2, sizes.Add(sizes.Mul(c.Width, c.Width), c.Width)))
		in = c.Width
	}
	for _, out := range c.Outputs {
		params = sizes.Add(params, sizes.Add(sizes.Mul(in, out), out))
	}
	variables = sizes.Mul(2, sizes.Add(c.Layers-1, len(c.Outputs)))
	if params == sizes.Overflow || variables == sizes.Overflow {
		return 0, 0, fmt.Errorf("dense: an MLP of %d layers of %d units on %d inputs is too large to count", c.Layers, c.Width, c.In)
	}
	return params, variables, nil
}

// MLP is a fully connected network whose weights live in a GoMLX context.
// Its dense layers use MatMul, so their gradients are fast on SimpleGo.
type MLP struct {
	Config  MLPConfig
	hidden  []layer // Shared trunk.
	heads   []layer // One last layer per output.
	nParams int
}

type layer struct{ w, b *context.Variable }

// NewMLP creates the MLP's variables in ctx (under its current scope), drawing
// initial weights from rng: Glorot-uniform weights and zero biases, heads at
// zero when cfg.ZeroLast.
func NewMLP(ctx *context.Context, dtype dtypes.DType, cfg MLPConfig, rng *rand.Rand) (*MLP, error) {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	m := &MLP{Config: cfg}
	newLayer := func(name string, in, out int, zero bool) layer {
		w := make([]float64, in*out)
		if !zero {
			GlorotUniform(w, in, out, rng)
		}
		b := make([]float64, out)
		m.nParams += len(w) + len(b)
		sub := ctx.In(name)
		return layer{
			w: sub.VariableWithValue("weights", tensorutil.FromFloat64(dtype, w, in, out)),
			b: sub.VariableWithValue("bias", tensorutil.FromFloat64(dtype, b, out)),
		}
	}
	in := cfg.In
	for i := 0; i < cfg.Layers-1; i++ {
		m.hidden = append(m.hidden, newLayer(fmt.Sprintf("hidden_%d", i), in, cfg.Width, false))
		in = cfg.Width
	}
	for i, out := range cfg.Outputs {
		m.heads = append(m.heads, newLayer(fmt.Sprintf("head_%d", i), in, out, cfg.ZeroLast))
	}
	return m, nil
}

// GlorotUniform fills w, the weights of a layer with in inputs and out
// outputs, with Glorot-uniform draws from rng, U(−√(6/(in+out)), √(6/(in+out))),
// in order: the initialisation of NewMLP (and of package flow's subnetworks).
func GlorotUniform(w []float64, in, out int, rng *rand.Rand) {
	limit := math.Sqrt(6 / float64(in+out))
	for i := range w {
		w[i] = (2*rng.Float64() - 1) * limit
	}
}

// NumParams returns the number of trainable values.
func (m *MLP) NumParams() int { return m.nParams }

// Apply evaluates the network on x [B, In] and returns one node per head, [B, Outputs[i]].
func (m *MLP) Apply(x *graph.Node) []*graph.Node {
	g := x.Graph()
	nodes := func(ls []layer) []Layer {
		out := make([]Layer, len(ls))
		for i, l := range ls {
			out[i] = Layer{W: l.w.ValueGraph(g), B: l.b.ValueGraph(g)}
		}
		return out
	}
	return ApplyLayers(x, nodes(m.hidden), nodes(m.heads), m.Config.Activation, m.Config.Alpha)
}

// Layer is one dense layer inside a graph: weights W [in, out] and bias B [out].
type Layer struct{ W, B *graph.Node }

// ApplyLayers evaluates a fully connected network on x [B, in]: each trunk
// layer followed by the activation (a name from MLPConfig.Activation, with
// its parameter alpha), then each head, linear, on the trunk's output. It
// returns one node per head. MLP.Apply and package flow's subnetworks both
// evaluate through it.
func ApplyLayers(x *graph.Node, trunk, heads []Layer, act string, alpha float64) []*graph.Node {
	f, err := activation.Lookup(act)
	if err != nil {
		panic("dense: " + err.Error())
	}
	h := x
	for _, l := range trunk {
		h = f.Graph(affine(h, l), alpha)
	}
	outs := make([]*graph.Node, len(heads))
	for i, l := range heads {
		outs[i] = affine(h, l)
	}
	return outs
}

func affine(x *graph.Node, l Layer) *graph.Node {
	return graph.Add(MatMul(x, l.W), graph.InsertAxes(l.B, 0))
}

// Variables returns the MLP's variables in a fixed order (trunk, then heads; weights before bias).
func (m *MLP) Variables() []*context.Variable {
	var vs []*context.Variable
	for _, l := range append(append([]layer(nil), m.hidden...), m.heads...) {
		vs = append(vs, l.w, l.b)
	}
	return vs
}
