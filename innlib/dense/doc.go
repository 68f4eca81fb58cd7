// Package dense provides fully connected layers for GoMLX graphs whose
// gradients are fast on the pure-Go SimpleGo backend.
//
// GoMLX v0.26 differentiates a matrix product x·W ([B,in]·[in,out]) by
// materialising a [B,in,out] broadcast product and reducing it. XLA fuses that
// away; SimpleGo runs it literally, which made 97% of a training step's time.
// MatMul computes the same product but differentiates it with two ordinary
// matrix products, v·Wᵀ and xᵀ·v, so every dense layer built here (MLP) trains
// at the speed of its forward pass.
//
// Usage, inside a graph function:
//
//	h := dense.MatMul(x, w)          // x: [B, in], w: [in, out]
//	ys := mlp.Apply(x)               // an MLP built with dense.NewMLP: one node per head
package dense
