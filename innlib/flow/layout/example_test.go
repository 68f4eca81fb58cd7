package layout_test

import (
	"fmt"

	"github.com/ozarkinn/inn/innlib/flow/layout"
)

// A one-block flow of width 4 with one-layer subnetworks: each subnetwork is
// its two heads (log-scale and shift), weights then bias.
func ExampleNew() {
	lay, err := layout.New(layout.Spec{Dim: 4, Blocks: 1, Coupling: "affine", Layers: 1, Width: 8,
		Activation: "leaky_relu", Alpha: 0.01, Clamp: 2})
	if err != nil {
		panic(err)
	}
	for _, t := range lay.Tensors() {
		fmt.Println(t.Path(), t.Shape, t.Offset)
	}
	fmt.Println(lay.NumParams, "parameters")
	// Output:
	// flow/block_0/net1/head_0/weights [2 2] 0
	// flow/block_0/net1/head_0/bias [2] 4
	// flow/block_0/net1/head_1/weights [2 2] 6
	// flow/block_0/net1/head_1/bias [2] 10
	// flow/block_0/net2/head_0/weights [2 2] 12
	// flow/block_0/net2/head_0/bias [2] 16
	// flow/block_0/net2/head_1/weights [2 2] 18
	// flow/block_0/net2/head_1/bias [2] 22
	// 24 parameters
}
