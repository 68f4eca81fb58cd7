package pipeline

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/ozarkinn/inn/innlib/dataset"
)

// TestForwardStage checks the forward scores against R² and RMSE computed
// here from the emulators' predictions, and forward.csv's layout.
func TestForwardStage(t *testing.T) {
	x := toyExperiment(t, "train")
	if err := x.forward(); err != nil {
		t.Fatal(err)
	}
	if len(x.res.Forward) != 2 || x.res.Forward[0].Emulator != RecipeINN || x.res.Forward[1].Emulator != "mlp" {
		t.Fatalf("forward scores: %+v", x.res.Forward)
	}
	val := x.in.Val
	pred, err := x.models.MLP.Predict(val.X)
	if err != nil {
		t.Fatal(err)
	}
	f := x.res.Forward[1]
	for j := range val.OutputNames {
		var mean, sse, sst float64
		for i := range val.Y {
			mean += val.Y[i][j] / float64(val.Len())
		}
		for i := range val.Y {
			sse += (val.Y[i][j] - pred[i][j]) * (val.Y[i][j] - pred[i][j])
			sst += (val.Y[i][j] - mean) * (val.Y[i][j] - mean)
		}
		if r2 := 1 - sse/sst; math.Abs(r2-f.ValR2[j]) > 1e-9 {
			t.Errorf("output %d: validation R² %g, computed here %g", j, f.ValR2[j], r2)
		}
		if rmse := math.Sqrt(sse / float64(val.Len())); math.Abs(rmse-f.ValRMSE[j]) > 1e-9 {
			t.Errorf("output %d: validation RMSE %g, computed here %g", j, f.ValRMSE[j], rmse)
		}
		// The toy response is smooth: even a briefly trained emulator fits it.
		if f.ValR2[j] < 0.95 {
			t.Errorf("output %d: MLP validation R² %.3f, want above 0.95", j, f.ValR2[j])
		}
	}
	tab, err := dataset.ReadCSV(filepath.Join(x.cfg.OutDir, x.res.ForwardFile))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"run", "validation", "model_y1", "model_y2", "model_y3", "model_y4", "inn_y1", "inn_y2", "inn_y3", "inn_y4", "mlp_y1", "mlp_y2", "mlp_y3", "mlp_y4"}
	rows, err := tab.Floats(want...)
	if err != nil || len(tab.Columns) != len(want) || len(rows) != 300 {
		t.Fatalf("forward.csv: columns %v, %d rows (%v)", tab.Columns, len(rows), err)
	}
	for i, r := range rows {
		isVal := i >= 240
		y := x.in.Train.Y
		if isVal {
			y = val.Y[i-240:]
			i = 0
		}
		if (r[1] == 1) != isVal || math.Abs(r[2]-y[i][0]) > 1e-8*math.Abs(y[i][0]) {
			t.Fatalf("forward.csv row %v: split or model outputs wrong", r)
		}
	}
}
