// Package flowgrad is the native engine of package flow: the coupling flow
// evaluated in plain Go (float32, on the gemm kernels), for training with
// reverse-mode gradients derived by hand and for inference, so that neither
// goes through SimpleGo graphs, whose scalar matrix products and per-op
// overhead cap a training step at a few dozen per second.
//
// A Net is built from a layout.Net (flow.Network.Layout): the parameters are
// one flat []float32 in the layout's order, and gradients use the same
// order, so clipping, gradient surgery and Adam work on flat vectors.
// Forward and Inverse record what their gradients need on a Tape; Backward
// and InverseBackward then accumulate parameter gradients and return input
// gradients. Frozen (Freeze, or flow.Network.Snapshot) runs the same blocks
// for inference on weights packed once, in parallel over chunks of rows;
// Frozen.NewBatch gives a Batch, the same forward pass on the calling
// goroutine with reused buffers, bit for bit, for an MCMC surrogate's small
// batches (it skips the last block's second half-coupling when the outputs
// asked for do not come from it).
// The package tests check every gradient against finite differences, and
// package flow checks both paths against GoMLX's graph and autodiff. MLP is
// the subnetworks' dense evaluator on its own, with its parameter and input
// gradients, for networks that are not flows (package emulator trains and
// fits with it).
//
//	net, _ := flowgrad.New(lay)                 // lay: a flow.Network's Layout()
//	var tape flowgrad.Tape
//	v, logDet := net.Forward(params, &tape, u, nil, rows)
//	du := net.Backward(params, grad, &tape, dv, dLogDet)
//	f, _ := flowgrad.Freeze(lay, params)        // inference, safe for concurrent use
//	v, logDet, err := f.Forward(u, nil, rows)
//	b, _ := f.NewBatch(cols)                    // one goroutine's small batches
//	v, err = b.Forward(u, rows)                 // v's first b.Cols() columns
//
// A batch of 256 rows or more is cut into shards of at least 128 rows
// (shardsFor; the count depends on the rows only, so results do not depend
// on the machine), each recorded on a tape of its own and run on its own
// goroutine; the shards' parameter gradients are added in shard order.
//
// The package imports neither flow nor dense: the layout is all it knows of
// the network. A Net and its Tapes are not safe for concurrent use.
package flowgrad
