package cli

import (
	"flag"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/ozarkinn/inn/innlib/emulator"
	"github.com/ozarkinn/inn/innlib/pipeline"
)

func parse(t *testing.T, d Defaults, args ...string) (*Flags, error) {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	f := AddFlags(fs, d)
	return f, fs.Parse(args)
}

// TestFlagDefaults checks that the flags' defaults give the settings the
// Ozark command has always run with: pipeline.DefaultConfig, the MLP's
// default epochs, burn-ins of a fifth (reference) and 80% (paper).
func TestFlagDefaults(t *testing.T) {
	f, err := parse(t, Defaults{Out: "out/x", Noise: "1.0"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.Config(os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	want := pipeline.DefaultConfig()
	want.OutDir = "out/x"
	want.MLP.Epochs = emulator.DefaultEpochs
	want.MCMC.Reference.BurnIn = want.MCMC.Reference.Steps / 5
	want.MCMC.Paper.BurnIn = want.MCMC.Paper.Steps * 4 / 5
	want.Progress, want.Log = os.Stderr, os.Stderr
	// Setting a width to its default is the default: the emulator fills zero
	// fields before training.
	if got.MLP.Width != emulator.DefaultWidth {
		t.Errorf("MLP width %d, want %d", got.MLP.Width, emulator.DefaultWidth)
	}
	got.MLP.Width = 0
	if !reflect.DeepEqual(got, want) {
		t.Errorf("settings from default flags:\n%+v\nwant\n%+v", got, want)
	}
	if want.MCMC.Reference.BurnIn != pipeline.DefaultMCMC().Reference.BurnIn || want.MCMC.Paper.BurnIn != pipeline.DefaultMCMC().Paper.BurnIn {
		t.Errorf("the flags' burn-in rules do not give the default burn-ins")
	}
}

func TestFlagErrors(t *testing.T) {
	for _, c := range []struct {
		d    Defaults
		args []string
		want string
	}{
		{Defaults{Out: "o"}, nil, "-noise is required"},
		{Defaults{Out: "o", Noise: "1"}, []string{"-noise", "abc"}, `-noise: "abc" is not a number`},
		{Defaults{Out: "o", Noise: "1"}, []string{"-noise", ""}, `-noise: no values in ""`},
		{Defaults{Out: "o", Noise: "1"}, []string{"-noise", "1,-2"}, "must be finite and above 0"},
		{Defaults{Out: "o", Noise: "1"}, []string{"-noise", "0"}, "-noise 0: a standard deviation must be finite and above 0"},
		{Defaults{Out: "o", Noise: "1"}, []string{"-noise", "-1"}, "-noise -1: a standard deviation must be finite and above 0"},
		{Defaults{Out: "o", Noise: "1"}, []string{"-noise", "NaN"}, "-noise NaN: a standard deviation must be finite and above 0"},
		{Defaults{Out: "o", Noise: "1"}, []string{"-noise", "Inf"}, "must be finite"},
		{Defaults{Out: "o", Noise: "1"}, []string{"-inn-width", "-1"}, "-inn-width -1"},
		{Defaults{Out: "o", Noise: "1"}, []string{"-blocks", "0"}, "-blocks 0"},
		{Defaults{Out: "o", Noise: "1"}, []string{"-out", ""}, "-out is empty"},
		{Defaults{Out: "o", Noise: "1"}, []string{"-samples", "0"}, "-samples 0: want at least 2"},
		{Defaults{Out: "o", Noise: "1"}, []string{"-inn-epochs", "0"}, "-inn-epochs 0: want at least 1"},
		{Defaults{Out: "o", Noise: "1"}, []string{"-cinn-epochs", "0"}, "-cinn-epochs 0"},
		{Defaults{Out: "o", Noise: "1"}, []string{"-mlp-epochs", "0"}, "-mlp-epochs 0"},
		{Defaults{Out: "o", Noise: "1"}, []string{"-mcmc-steps", "0"}, "-mcmc-steps 0"},
		{Defaults{Out: "o", Noise: "1"}, []string{"-calibration-draws", "0"}, "-calibration-draws 0"},
		{Defaults{Out: "o", Noise: "1"}, []string{"-reuse-anyway"}, "-reuse-anyway goes with -reuse"},
	} {
		f, err := parse(t, c.d, c.args...)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Config(nil); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want %q", c.args, err, c.want)
		}
	}
	f, _ := parse(t, Defaults{Out: "o"}, "-noise", "0.1, 0.2", "-quiet", "-blocks", "2", "-subnet-width", "16")
	cfg, err := f.Config(os.Stderr)
	if err != nil || !reflect.DeepEqual(cfg.ObsNoise, []float64{0.1, 0.2}) || cfg.Progress != nil || cfg.CINN.Flow.Blocks != 2 || cfg.INN.Flow.Subnet.Width != 16 {
		t.Errorf("noise %v, progress %v, blocks %d, width %d (%v)", cfg.ObsNoise, cfg.Progress, cfg.CINN.Flow.Blocks, cfg.INN.Flow.Subnet.Width, err)
	}
}
