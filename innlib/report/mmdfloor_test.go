package report

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/ozarkinn/inn/innlib/inn"
	"github.com/ozarkinn/inn/innlib/mmd"
	"github.com/ozarkinn/inn/innlib/pipeline"
)

// floorFixture is an INN with latent dimension 3, batches of 32 and 200
// validation runs; its configuration goes through JSON as results.json
// stores it.
func floorFixture(t *testing.T) *Output {
	cfg := inn.Config{Train: inn.TrainConfig{BatchSize: 32}}.WithDefaults()
	cfg.Train.Progress, cfg.Train.OnEpoch = nil, nil
	raw, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var stored any
	if err := json.Unmarshal(raw, &stored); err != nil {
		t.Fatal(err)
	}
	hist := &pipeline.TrainingHistory{
		Train: map[string][]float64{inn.TermLatentMMD: {0.5, 0.25, 0.3}, inn.TermBackwardMMD: {1, 0.3, 0.2}},
		Val:   map[string][]float64{inn.TermLatentMMD: {0.1, 0.045, 0.05}, inn.TermBackwardMMD: {1, 0.05, 0.1}},
	}
	return &Output{Results: &pipeline.Results{Settings: pipeline.Settings{TrainRuns: 800, ValRuns: 200,
		Models: []pipeline.Model{{Name: pipeline.RecipeINN, LatentDim: 3, BestEpoch: 1, ConfigJSON: stored, History: hist}}}}}
}

// simulatedFloor averages the latent MMD of exact models: batches of n rows
// [z, y] against [ε, y], z and ε independent N(0, I_3), y shared.
func simulatedFloor(n, reps int, ks []mmd.Kernel) float64 {
	r := rand.New(rand.NewPCG(9, 9))
	sum := 0.0
	for range reps {
		a, b := make([][]float64, n), make([][]float64, n)
		for i := range a {
			a[i], b[i] = make([]float64, 5), make([]float64, 5)
			for j := range 5 {
				if j < 3 {
					a[i][j], b[i][j] = r.NormFloat64(), r.NormFloat64()
				} else {
					a[i][j] = 2 * r.NormFloat64()
					b[i][j] = a[i][j]
				}
			}
		}
		v, _ := mmd.Samples(a, b, ks)
		sum += v
	}
	return sum / float64(reps)
}

func TestLatentMMDFloorTable(t *testing.T) {
	o := floorFixture(t)
	tab, err := o.LatentMMDFloorTable(pipeline.RecipeINN)
	rows := checkTable(t, tab, err, []string{"measured on", "points per estimate", "latent MMD", "floor (perfect model)", "excess above floor"}, 2)
	num := func(s string) float64 {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if rows[0][1] != "32" || rows[1][1] != "200" || num(rows[0][2]) != 0.25 || num(rows[1][2]) != 0.045 {
		t.Errorf("rows %q: want the best epoch's values at 32 and 200 points", rows)
	}
	ks := inn.Config{}.WithDefaults().Loss.ForwardKernels
	for i, n := range []int{32, 200} {
		f := num(rows[i][3])
		// Simulated exact models: the mean of 6400/n batches has a
		// relative error of about 1/sqrt(6400/n) (< 18%).
		if sim := simulatedFloor(n, 6400/n, ks); math.Abs(f-sim) > 0.25*sim {
			t.Errorf("n = %d: floor %v, simulated exact models average %v", n, f, sim)
		}
		if ex := num(rows[i][4]); math.Abs(ex-(num(rows[i][2])-f)) > 2e-4 {
			t.Errorf("row %d: excess %v is not measured − floor", i, ex)
		}
	}
	if ratio := num(rows[0][3]) / num(rows[1][3]); math.Abs(ratio-200.0/32) > 0.01 {
		t.Errorf("floor ratio %v, want 200/32", ratio)
	}
	if notes := strings.Join(tab.Notes, " "); !strings.Contains(notes, "1/n") || !strings.Contains(notes, "a ratio of 6.0 (1/n alone predicts 200/32 = 6.2)") {
		t.Errorf("notes %q", tab.Notes)
	}
	if _, err := o.LatentMMDFloorTable("mlp"); err == nil {
		t.Error("a model without history gave no error")
	}
}
