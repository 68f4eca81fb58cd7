// Command calibrate calibrates the parameters of any model from an ensemble
// of its runs: it trains the bidirectional INN, the conditional flow and an
// independent MLP emulator on the runs, inverts each observation, checks the
// posteriors against MCMC and for calibration, and writes results.json,
// posterior samples (CSV), the trained models and figures to -out. It runs
// the same stages as scripts/ozark, which is its configuration for the
// paper's ELM ensemble.
//
//	go run ./scripts/calibrate -runs runs.csv -params a,b,c -outputs y1,y2 -obs obs.csv -noise 0.1
//	go run ./scripts/calibrate -param-file X.npy -output-file Y.npy -params a,b,c -outputs y1,y2 \
//		-obs obs.csv -box box.csv -noise 0.1,0.2 -synthetic 950,990 -out out/mine
//
// The runs come as one CSV file with named columns (-runs, any column order)
// or as a parameter file and an output file (CSV with a header, or 2-D .npy
// arrays whose columns -params and -outputs name in order). The last fifth
// of the runs validate (-val-runs). Observations are a CSV file with a column
// per output, one case per row (an optional "case" column names them;
// columns for every parameter make them synthetic, with a known truth);
// -synthetic adds validation runs as synthetic cases. The prior box comes
// from a CSV file with columns param, lo, hi, or by default from the runs'
// range widened at each end by one average spacing. -noise (required) is the
// observation-noise sd in the outputs' units, one value or one per output.
// go run ./scripts/calibrate -h lists every flag.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/ozarkinn/inn/innlib/cli"
)

func main() {
	os.Exit(cli.Exit("calibrate", run(os.Args[1:], os.Stdout, os.Stderr), os.Stderr))
}

// run is the command, with its arguments and output streams, so that tests can call it.
func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("calibrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	f := cli.AddFlags(fs, cli.Defaults{Out: "out/calibrate"})
	ff := cli.AddFileFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q: every setting is a flag (-h lists them)", fs.Args())
	}
	cfg, err := f.Config(stderr)
	if err != nil {
		return err
	}
	if err := cli.CheckFigures(f.PNG); err != nil {
		return err
	}
	files, err := ff.Files()
	if err != nil {
		return err
	}
	t0 := time.Now()
	in, err := files.Inputs()
	if err != nil {
		return err
	}
	in.LoadSeconds = time.Since(t0).Seconds()
	return cli.Run(in, cfg, f.PNG, stdout)
}
