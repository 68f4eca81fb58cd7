package main

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/ozarkinn/inn/innlib/dataset"
)

// benchSetup points the data at the mirror and returns an output folder.
func benchSetup(b *testing.B) string {
	if os.Getenv(dataset.EnvMirror) == "" {
		if _, err := os.Stat("../../../shared/datasets"); err != nil {
			b.Skip("no data mirror: set INNLIB_DATA_MIRROR")
		}
		b.Setenv(dataset.EnvMirror, "../../../shared/datasets")
	}
	return filepath.Join(b.TempDir(), "out")
}

// BenchmarkCommand is the whole main job with its defaults: data, training
// of the three networks, the three cases, MCMC, comparisons, calibration and
// HTML figures (target: under 3 minutes on 2 cores).
func BenchmarkCommand(b *testing.B) {
	out := benchSetup(b)
	for i := 0; i < b.N; i++ {
		os.RemoveAll(out)
		if err := run([]string{"-out", out, "-quiet"}, io.Discard, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCommandReuse is the main job with -reuse after a full run (target:
// under 10 s). The setup run is not timed.
func BenchmarkCommandReuse(b *testing.B) {
	out := benchSetup(b)
	if err := run([]string{"-out", out, "-quiet"}, io.Discard, io.Discard); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := run([]string{"-out", out, "-quiet", "-reuse"}, io.Discard, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
