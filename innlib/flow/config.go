package flow

import (
	"fmt"

	"github.com/ozarkinn/inn/innlib/dense"
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
	// Subnet sets depth, width and activation of the subnetworks (In and
	// Outputs are filled in by the block). Defaults: dense.DefaultLayers layers
	// of dense.DefaultWidth units, leaky ReLU.
	Subnet dense.MLPConfig
	Clamp  float64 // Soft clamp of the log-scale. Default DefaultClamp.
}

// WithDefaults returns c with zero fields set to their defaults.
func (c Config) WithDefaults() Config {
	if c.Blocks == 0 {
		c.Blocks = DefaultBlocks
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
		c.Subnet.Activation = "leaky_relu"
	}
	if c.Subnet.Alpha == 0 {
		c.Subnet.Alpha = dense.DefaultAlpha
	}
	return c
}

// Validate reports a configuration that cannot be built.
func (c Config) Validate() error {
	c = c.WithDefaults()
	switch {
	case c.Dim < 2:
		return fmt.Errorf("flow: width %d, want >= 2 (a coupling block splits its input in two)", c.Dim)
	case c.CondDim < 0:
		return fmt.Errorf("flow: condition width %d, want >= 0", c.CondDim)
	case c.Blocks < 1:
		return fmt.Errorf("flow: %d blocks, want >= 1", c.Blocks)
	case !(c.Clamp > 0):
		return fmt.Errorf("flow: clamp %g, want > 0", c.Clamp)
	}
	sub := c.Subnet
	sub.In, sub.Outputs = 1, []int{1}
	return sub.Validate()
}
