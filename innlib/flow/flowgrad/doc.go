// Package flowgrad evaluates the coupling flow of package flow in plain Go
// (float32, on the gemm kernels) together with its reverse-mode gradients, so
// that training does not go through SimpleGo graphs, whose scalar matrix
// products and per-op overhead cap a training step at a few dozen per second.
//
// The parameters are one flat []float32 in the order of
// flow.Network.Variables(); gradients use the same layout, so clipping,
// gradient surgery and Adam work on flat vectors. Forward and Inverse record
// what their gradients need on a Tape; Backward and InverseBackward then
// accumulate parameter gradients and return input gradients. The package
// tests check every gradient against finite differences, and package inn
// checks them against GoMLX's autodiff of the graph version.
//
//	net, _ := flowgrad.New(cfg, perms)       // cfg, perms: a flow.Network's
//	var tape flowgrad.Tape
//	v, logDet := net.Forward(params, &tape, u, nil, rows)
//	du := net.Backward(params, grad, &tape, dv, dLogDet)
//
// A Net and its Tapes are not safe for concurrent use.
package flowgrad
