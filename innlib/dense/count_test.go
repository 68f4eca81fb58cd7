package dense

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// TestCountMatchesNewMLP: Count gives the values and variables NewMLP creates.
func TestCountMatchesNewMLP(t *testing.T) {
	for _, layers := range []int{1, 2, 4} {
		for _, outs := range [][]int{{3}, {2, 5}} {
			cfg := MLPConfig{In: 6, Outputs: outs, Layers: layers, Width: 9}
			m, err := NewMLP(context.New(), dtypes.Float32, cfg, rand.New(rand.NewPCG(1, 2)))
			if err != nil {
				t.Fatal(err)
			}
			params, vars, err := cfg.Count()
			if err != nil || params != m.NumParams() || vars != len(m.Variables()) {
				t.Fatalf("%+v: Count %d values, %d variables (%v); NewMLP %d and %d", cfg, params, vars, err, m.NumParams(), len(m.Variables()))
			}
		}
	}
	huge := MLPConfig{In: 5, Outputs: []int{5}, Layers: 4, Width: 4_000_000_000}
	if _, _, err := huge.Count(); err == nil || !strings.Contains(err.Error(), "too large") {
		t.Fatalf("width 4e9: want a 'too large' error, got %v", err)
	}
}
