// Package pipeline runs a whole calibration experiment: it trains the
// bidirectional INN, the conditional flow and an independent MLP emulator on
// an ensemble of model runs, scores forward emulation, draws posteriors for
// each observation case, checks them against MCMC and for calibration, and
// writes everything (results.json, posterior samples as CSV, saved models) to
// an output folder. scripts/ozark runs it on the paper's ELM US-MOz data and
// scripts/calibrate on any ensemble; package report draws the figures from
// the output folder.
//
// Run is a sequence of stages, one file each: train, forward, invert, mcmc,
// compare, bestfit, calibrate (which delegates to package calib) and report.
// Each stage plans its work as jobs of one dependency graph (graph.go), which
// start as soon as their inputs are ready, at most GOMAXPROCS at once: what
// needs only the MLP emulator or the conditional flow (MCMC on the emulator,
// the flow's refinement, sampling, comparisons and calibration) runs while
// the bidirectional INN trains. Every job keeps its own seeded generator, so
// the results do not depend on the order; the stages record them in stage
// order once all jobs are done. results.go defines results.json (ResultsSchema).
//
// The output folder always holds one complete run (folder.go, manifest.go):
// Run locks it, writes into a staging folder inside it, and replaces the
// previous results in one step at the end, manifest.json (every file's
// SHA-256, the run, the settings that shaped the models) last. CheckRun
// verifies a folder against its manifest; Config.Reuse refuses models
// trained with another noise, box, names or runs. Every input is checked
// before training.
//
// Zero values of Config's counts (Samples, MAPDraws, FitSteps, epochs in
// its model configs) mean the documented defaults, the Go idiom for
// configuration structs; the values used are in results.json. The commands
// (package cli) reject zero instead, so that a flag means what it says.
//
// Usage (Example runs it on a synthetic ensemble):
//
//	in := pipeline.Inputs{Name: "mine", Train: train, Val: val, Cases: cases}
//	cfg := pipeline.DefaultConfig()
//	cfg.OutDir, cfg.ObsNoise = "out/mine", []float64{0.5}
//	res, models, err := pipeline.Run(in, cfg)
//	pipeline.PrintSummary(os.Stdout, res)
package pipeline
