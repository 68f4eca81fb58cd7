package notebook

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ozarkinn/inn/innlib/emulator"
	"github.com/ozarkinn/inn/innlib/flow"
	"github.com/ozarkinn/inn/innlib/inn"
	"github.com/ozarkinn/inn/innlib/mcmc"
	"github.com/ozarkinn/inn/innlib/pipeline"
	"github.com/ozarkinn/inn/innlib/toy"
)

// amortizedDir writes what the main job leaves in its output folder, with
// small networks trained on toy.Smooth.
func amortizedDir(t *testing.T) (string, [][]float64, [][]float64) {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "models"), 0o755); err != nil {
		t.Fatal(err)
	}
	sm := toy.Smooth{Outputs: 4}
	x, y := sm.Sample(300, 1)
	for _, r := range []inn.Recipe{inn.Conditional, inn.Bidirectional} {
		m, err := inn.Train(x, y, inn.Config{Recipe: r, Lo: toy.SmoothLo, Hi: toy.SmoothHi, ObsNoise: []float64{0.1},
			Flow: flow.Config{Blocks: 2}, Train: inn.TrainConfig{Epochs: 2, Seed: 1}})
		if err != nil {
			t.Fatal(err)
		}
		name := map[inn.Recipe]string{inn.Conditional: "cinn", inn.Bidirectional: "inn"}[r]
		if err := m.Save(filepath.Join(dir, "models", name+".ckpt")); err != nil {
			t.Fatal(err)
		}
	}
	mlp, err := emulator.Train(x[:250], y[:250], x[250:], y[250:], emulator.Config{Lo: toy.SmoothLo, Hi: toy.SmoothHi, Epochs: 3, Width: 16, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := mlp.Save(filepath.Join(dir, "models", "mlp.ckpt")); err != nil {
		t.Fatal(err)
	}
	res := &pipeline.Results{Schema: pipeline.ResultsSchema, Settings: pipeline.Settings{
		ParamNames: []string{"a", "b", "c"}, OutputNames: []string{"y1", "y2", "y3", "y4"}, OutputUnits: []string{"u", "u", "u", "u"},
		Lo: toy.SmoothLo, Hi: toy.SmoothHi, ObsNoise: []float64{0.1}}}
	if err := pipeline.WriteResults(filepath.Join(dir, "results.json"), res); err != nil {
		t.Fatal(err)
	}
	return dir, x, y
}

func TestAmortized(t *testing.T) {
	dir, x, y := amortizedDir(t)
	a, err := OpenAmortized(dir)
	if err != nil {
		t.Fatal(err)
	}
	if a.INN == nil {
		t.Fatal("the bidirectional INN was not loaded")
	}
	// Predict is the emulator's Predict, row by row.
	want, err := a.MLP.Predict(x[:5])
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range a.Predict(x[:5]) {
		for j := range row {
			if d := row[j] - want[i][j]; d > 1e-9 || d < -1e-9 {
				t.Fatalf("Predict[%d][%d] = %v, emulator %v", i, j, row[j], want[i][j])
			}
		}
	}
	ref := x[:50]
	u, err := a.Update(y[0], 0.2, 400, 3, "MCMC", ref)
	if err != nil {
		t.Fatal(err)
	}
	for who, s := range u.Samples {
		if len(s) != map[string]int{"cINN": 400, "INN": 400, "MCMC": 50}[who] {
			t.Errorf("%s: %d samples", who, len(s))
		}
		for _, r := range s {
			for j, v := range r {
				if v < toy.SmoothLo[j] || v > toy.SmoothHi[j] {
					t.Fatalf("%s draw %v outside the box", who, r)
				}
			}
		}
	}
	raw, err := json.Marshal(u.Figure)
	if err != nil {
		t.Fatal(err)
	}
	var fig struct {
		Data []struct {
			Name string `json:"name"`
		} `json:"data"`
	}
	if err := json.Unmarshal(raw, &fig); err != nil {
		t.Fatal(err)
	}
	// Three histograms per parameter, three lines per posterior in the
	// predictive panel and the observation's bars and points.
	if got, want := len(fig.Data), 3*3+3*3+2; got != want {
		t.Errorf("%d traces, want %d", got, want)
	}
	if u.Total() <= 0 {
		t.Error("no time measured")
	}
	// The same seed gives the same figure; another observation another one.
	u2, _ := a.Update(y[0], 0.2, 400, 3, "MCMC", ref)
	u3, _ := a.Update(y[1], 0.2, 400, 3, "MCMC", ref)
	r2, _ := json.Marshal(u2.Figure)
	r3, _ := json.Marshal(u3.Figure)
	if string(r2) != string(raw) || string(r3) == string(raw) {
		t.Error("the figure is not a function of the observation and seed")
	}
	if _, err := a.Update(y[0][:2], 0.2, 10, 1, "", nil); err == nil || !strings.Contains(err.Error(), "2 observed values for 4 outputs") {
		t.Errorf("short observation: %v", err)
	}
	if _, err := a.Update(y[0], 0, 10, 1, "", nil); err == nil {
		t.Error("no error for noise sd 0")
	}
	cfg := mcmc.DefaultConfig(1)
	cfg.Walkers, cfg.Steps, cfg.BurnIn, cfg.Thin = 8, 200, 100, 10
	draws, took, err := a.MCMC(y[0], 0.2, cfg)
	if err != nil || len(draws) != 8*10 || took <= 0 {
		t.Errorf("MCMC: %d draws in %v, %v", len(draws), took, err)
	}
}

func TestOpenAmortizedMissing(t *testing.T) {
	dir, _, _ := amortizedDir(t)
	if err := os.Remove(filepath.Join(dir, "models", "cinn.ckpt")); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenAmortized(dir); err == nil || !strings.Contains(err.Error(), "cinn.ckpt") {
		t.Errorf("missing flow: %v", err)
	}
}
