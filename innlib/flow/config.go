package flow

import (
	"github.com/ozarkinn/inn/innlib/dense"
	"github.com/ozarkinn/inn/innlib/flow/coupling"
	"github.com/ozarkinn/inn/innlib/flow/layout"
	"github.com/ozarkinn/inn/innlib/internal/activation"
)

// Defaults for Config.
const (
	DefaultBlocks = 4   // Coupling blocks, as in the paper.
	DefaultClamp  = 2.0 // Soft clamp of the log-scale (FrEIA's default).
)

// Config describes a coupling-flow network.
type Config struct {
	Dim     int // Width D of the flow, >= 2.
	CondDim int // Width of the condition fed to every subnetwork; 0 for none.
	Blocks  int // Coupling blocks. Default DefaultBlocks.
	// Coupling names the blocks' transform, from the table of flow/coupling.
	// Default "affine" (the paper's), the only one so far.
	Coupling string
	// Subnet sets depth, width and activation (with Alpha) of the
	// subnetworks; the layout sets their inputs and heads, so In, Outputs and
	// ZeroLast are ignored. Defaults: dense.DefaultLayers layers of
	// dense.DefaultWidth units, leaky ReLU.
	Subnet dense.MLPConfig
	Clamp  float64 // Soft clamp of the affine coupling's log-scale. Default DefaultClamp.
}

// WithDefaults returns c with zero fields set to their defaults.
func (c Config) WithDefaults() Config {
	if c.Blocks == 0 {
		c.Blocks = DefaultBlocks
	}
	if c.Coupling == "" {
		c.Coupling = coupling.Default
	}
	if c.Clamp == 0 {
		c.Clamp = DefaultClamp
	}
	if c.Subnet.Layers == 0 {
		c.Subnet.Layers = dense.DefaultLayers
	}
	if c.Subnet.Width == 0 {
		c.Subnet.Width = dense.DefaultWidth
	}
	if c.Subnet.Activation == "" {
		c.Subnet.Activation = activation.Default
	}
	if c.Subnet.Alpha == 0 {
		c.Subnet.Alpha = dense.DefaultAlpha
	}
	return c
}

// Validate reports a configuration that cannot be built.
func (c Config) Validate() error {
	_, err := layout.New(c.spec())
	return err
}

// Count returns the number of trainable values and of variables a network
// of c has, without building it (see layout.Count): a checkpoint reader
// checks them against its payload before it allocates the network.
func (c Config) Count() (params, variables int, err error) {
	return layout.Count(c.spec())
}

// spec returns the layout specification of c, defaults filled in.
func (c Config) spec() layout.Spec {
	c = c.WithDefaults()
	return layout.Spec{Dim: c.Dim, CondDim: c.CondDim, Blocks: c.Blocks, Coupling: c.Coupling, Layers: c.Subnet.Layers,
		Width: c.Subnet.Width, Activation: c.Subnet.Activation, Alpha: c.Subnet.Alpha, Clamp: c.Clamp}
}
