// Package cli is the command line of a calibration experiment, shared by
// scripts/calibrate (any ensemble) and scripts/ozark (the paper's ELM
// ensemble, which is one configuration of it): the experiment's flags
// (Flags), the inputs read from a user's files (Files), and Run, which runs
// the stages of package pipeline, prints the summary and draws the figures
// with package report.
//
// Usage:
//
//	fs := flag.NewFlagSet("calibrate", flag.ContinueOnError)
//	f := cli.AddFlags(fs, cli.Defaults{Out: "out/calibrate"})
//	files := cli.AddFileFlags(fs)
//	err := fs.Parse(args)
//	cfg, err := f.Config(os.Stderr)
//	in, err := files.Inputs()
//	err = cli.Run(in, cfg, f.PNG, os.Stdout)
package cli
