// Package flow builds invertible coupling-flow networks in GoMLX graphs.
//
// A Network maps u ∈ R^D to v ∈ R^D through Blocks affine coupling blocks in
// the GLOW / RealNVP form of the paper, each transforming both halves,
//
//	v1 = u1 ⊙ exp(s2(u2, c)) + t2(u2, c)
//	v2 = u2 ⊙ exp(s1(v1, c)) + t1(v1, c)
//
// and each followed by a fixed random permutation drawn from a seed. The
// log-scales are soft-clamped, s = Clamp·tanh(s_raw/Clamp), which keeps exp(s)
// bounded and training free of the NaNs unclamped couplings are known for. The
// subnetworks s_i, t_i are dense.MLPs whose last layers start at zero, so every
// block starts as the identity. An optional condition c (the cINN / NPE recipe)
// is fed to every subnetwork. Forward also returns log|det J|; Inverse is exact
// in closed form.
//
// Halves are taken and permutations applied with slices whose gradients are
// written by hand (internal/customgrad): SimpleGo cannot run the built-in
// gradient of Slice, which needs Pad.
//
// Usage:
//
//	net, err := flow.New(ctx, dtypes.Float32, flow.Config{Dim: 8}, rng)
//	// inside a graph function:
//	v, logDet := net.Forward(u, nil)
//	u2 := net.Inverse(v, nil)
package flow
