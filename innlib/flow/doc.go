// Package flow builds invertible coupling-flow networks: as GoMLX graphs
// (Network) and, from the same description, in plain Go (flow/flowgrad).
//
// A Network maps u ∈ R^D to v ∈ R^D through Blocks coupling blocks, by
// default (Coupling "affine") in the GLOW / RealNVP form of the paper, each
// transforming both halves,
//
//	v1 = u1 ⊙ exp(s2(u2, c)) + t2(u2, c)
//	v2 = u2 ⊙ exp(s1(v1, c)) + t1(v1, c)
//
// and each followed by a fixed random permutation drawn from a seed. The
// log-scales are soft-clamped, s = Clamp·tanh(s_raw/Clamp), which keeps exp(s)
// bounded and training free of the NaNs unclamped couplings are known for. The
// subnetworks s_i, t_i are dense MLPs whose heads start at zero, so every
// block starts as the identity. An optional condition c (the cINN / NPE recipe)
// is fed to every subnetwork. Forward also returns log|det J|; Inverse is exact
// in closed form.
//
// # One description, two engines
//
// The network is described once, by a layout.Net (package flow/layout): every
// parameter tensor with its GoMLX scope and name, its shape and its offset in
// one flat parameter vector, the coupling type, the activation, the clamp and
// the permutations. New creates the GoMLX variables from it and the graph
// reads them through it; Params and SetParams move them to and from the flat
// vector. The native engine, flowgrad.Net, is built from the same layout and
// reads the flat vector through it: training (Forward, Inverse and their
// hand-derived backward passes on a Tape) and inference (flowgrad.Frozen,
// which Snapshot returns) run the same block code. Imports point one way:
// flow → flowgrad → layout → coupling; flowgrad imports neither flow nor
// dense. The tests of this package check, tensor by tensor, that both engines
// read the same weights, and, for every activation with and without a
// condition, that they agree on Forward, Inverse, log-det and the parameter
// gradients (GoMLX's autodiff against the hand-derived passes).
//
// Where things go:
//   - A new activation is one entry in the table of internal/activation: its
//     graph form and its plain-Go value and derivative. Configurations accept
//     its name, dense.MLP, Network and flowgrad evaluate it, and
//     TestEnginesAgree covers it.
//   - A new coupling type is one file in flow/coupling: its Type (head count,
//     graph form, plain-Go forward, inverse and backward passes), listed in
//     that package's table. Config.Coupling selects it, the layout gives the
//     subnetworks its heads, both engines run it, and the coupling package's
//     TestTypesAgree checks it against GoMLX's autodiff.
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
//	// in plain Go, for inference:
//	f, err := net.Snapshot()
//	v32, logDet64, err := f.Forward(u32, nil, rows)
//	// and for training:
//	eng, err := flowgrad.New(net.Layout())
//	p, err := net.Params()
//	v32, logDet64 := eng.Forward(p, &tape, u32, nil, rows)
package flow
