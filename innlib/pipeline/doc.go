// Package pipeline runs a whole calibration experiment: it trains the
// bidirectional INN, the conditional flow and an independent MLP emulator on
// an ensemble of model runs, scores forward emulation, draws posteriors for
// each observation case, checks them through the emulator, and writes
// everything (results.json, posterior samples as CSV, saved models) to an
// output folder. scripts/ozark runs it on the paper's ELM US-MOz data; any
// ensemble with named columns works the same way.
//
// Usage:
//
//	in := pipeline.Inputs{Train: train, Val: val, Cases: cases}
//	res, err := pipeline.Run(in, pipeline.DefaultConfig())
//	pipeline.PrintSummary(os.Stdout, res)
package pipeline
