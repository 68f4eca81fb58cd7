package notebook

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/gomlx/gomlx/pkg/ml/layers"
	"github.com/ozarkinn/inn/innlib/backend"
)

// A layer rebuilt on loaded variables gives the outputs of the saved one.
func TestSaveLoadVariables(t *testing.T) {
	b := backend.MustNew()
	layer := func(ctx *context.Context, x *graph.Node) *graph.Node {
		return layers.DenseWithBias(ctx.In("net"), graph.Tanh(layers.DenseWithBias(ctx.In("hidden"), x, 4)), 2)
	}
	x := [][]float32{{0.5, -1, 2}, {1, 0, -0.25}}
	ctx := context.New()
	ctx.SetRNGStateFromSeed(7)
	want := context.MustNewExec(b, ctx, layer).MustExec(x)[0].Value().([][]float32)
	path := filepath.Join(t.TempDir(), "vars.gob")
	if err := SaveVariables(ctx, path); err != nil {
		t.Fatal(err)
	}
	ctx2 := context.New()
	if err := LoadVariables(ctx2, path); err != nil {
		t.Fatal(err)
	}
	got := context.MustNewExec(b, ctx2.Reuse(), layer).MustExec(x)[0].Value().([][]float32)
	for i := range want {
		for j := range want[i] {
			if got[i][j] != want[i][j] {
				t.Fatalf("output [%d][%d] = %v after loading, want %v", i, j, got[i][j], want[i][j])
			}
		}
	}
	// A fresh context's random weights give other outputs: the test can fail.
	other := context.MustNewExec(b, context.New(), layer).MustExec(x)[0].Value().([][]float32)
	if other[0][0] == want[0][0] {
		t.Error("fresh weights reproduce the saved outputs; the comparison checks nothing")
	}
}

func TestLoadVariablesErrors(t *testing.T) {
	dir := t.TempDir()
	if err := LoadVariables(context.New(), filepath.Join(dir, "missing")); err == nil {
		t.Error("no error for a missing file")
	}
	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := LoadVariables(context.New(), empty); err == nil || !strings.Contains(err.Error(), "no variables") {
		t.Errorf("empty file: %v", err)
	}
	junk := filepath.Join(dir, "junk")
	if err := os.WriteFile(junk, []byte("not a gob stream"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := LoadVariables(context.New(), junk); err == nil || !strings.Contains(err.Error(), "junk") {
		t.Errorf("junk file: %v", err)
	}
}
