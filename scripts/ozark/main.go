// Command ozark reproduces the INN calibration of the E3SM Land Model at the
// Missouri Ozark AmeriFlux site (Lu, Ricciuto & Zhang 2022) on the paper's own
// data: it fetches and verifies the ensemble, trains the bidirectional INN, the
// conditional flow and an independent MLP emulator, scores forward emulation,
// inverts the two synthetic cases and the real observations, and writes
// results.json, posterior samples (CSV), the trained models and figures to
// -out. It is scripts/calibrate's experiment (package cli) configured for the
// paper's data (package ozark: the manifest, the split, the cases, names and
// units); it takes the same experiment flags.
//
//	go run ./scripts/ozark                 # train and run everything
//	go run ./scripts/ozark -reuse          # reuse the models saved by a previous run
//	go run ./scripts/ozark -obs 47,42,53,53,56   # your own observation
//	go run ./scripts/ozark -cpuprofile cpu.prof  # where the time goes
//
// Set INNLIB_DATA_MIRROR to a folder laid out like ../shared/datasets to
// read the data from there instead of downloading them.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"time"

	"github.com/ozarkinn/inn/innlib/cli"
	"github.com/ozarkinn/inn/innlib/ozark"
	"github.com/ozarkinn/inn/innlib/pipeline"
)

func main() {
	os.Exit(cli.Exit("ozark", run(os.Args[1:], os.Stdout, os.Stderr), os.Stderr))
}

// run is the command, with its arguments and output streams, so that tests can call it.
func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("ozark", flag.ContinueOnError)
	fs.SetOutput(stderr)
	f := cli.AddFlags(fs, cli.Defaults{Out: pipeline.DefaultConfig().OutDir, Noise: "1.0",
		NoiseHelp: "observation-noise sd in W m-2: one value, or one per year separated by commas"})
	obs := fs.String("obs", "", "observed LH 2006-2010 (W m-2, comma-separated) to use instead of the values read off the paper's Fig. 2b")
	obsCSV := fs.String("obs-csv", "", "CSV file with columns LH_2006..LH_2010; each row becomes a case")
	rows := fs.Int("rows", 0, "use only the first rows of the training and validation parts (quick tests); 0 = all")
	cache := fs.String("cache", "", "data cache folder (default $INNLIB_CACHE or the user cache dir)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to this file (go tool pprof)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *cpuProfile != "" {
		pf, err := os.Create(*cpuProfile)
		if err != nil {
			return fmt.Errorf("-cpuprofile: %w", err)
		}
		defer pf.Close()
		if err := pprof.StartCPUProfile(pf); err != nil {
			return fmt.Errorf("-cpuprofile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	cfg, err := f.Config(stderr)
	if err != nil {
		return err
	}
	if err := cli.CheckFigures(f.PNG); err != nil {
		return err
	}
	t0 := time.Now()
	opts := ozark.Options{Cache: *cache, ObsCSV: *obsCSV, Rows: *rows}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	switch {
	case set["obs"] && set["obs-csv"]:
		return fmt.Errorf("-obs and -obs-csv: give the observations one way, not both")
	case set["obs-csv"] && *obsCSV == "":
		return fmt.Errorf("-obs-csv is empty: name a CSV file, or leave the flag out for the paper's observations")
	case set["obs"]:
		// -obs "" is an error too (ParseFloats: no values), not the paper's values.
		if opts.Obs, err = cli.ParseFloats(*obs); err != nil {
			return fmt.Errorf("-obs: %w", err)
		}
		if len(opts.Obs) != 5 {
			return fmt.Errorf("-obs %s: %d values, want 5 (LH 2006-2010, W m-2)", *obs, len(opts.Obs))
		}
	}
	in, err := ozark.Inputs(opts)
	if err != nil {
		return err
	}
	in.LoadSeconds = time.Since(t0).Seconds()
	return cli.Run(in, cfg, f.PNG, stdout)
}
