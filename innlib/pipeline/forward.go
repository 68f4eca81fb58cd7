package pipeline

import (
	"fmt"
	"math"
	"path/filepath"

	"github.com/ozarkinn/inn/innlib/metrics"
)

// forward scores the INN's forward pass and the MLP emulator on the
// validation runs and on all runs, and writes every run's outputs and both
// emulators' to forward.csv.
func (x *experiment) forward() error { return x.runStage("forward") }

// planForward adds the forward scores, once both emulators are ready; the
// job writes its results itself (no other job touches them).
func (x *experiment) planForward(g *graph) error {
	g.add("scoring forward emulation", "forward", []*job{x.ready.inn, x.ready.mlp}, func() error {
		f, err := forwardScores(x.in, x.models, x.cfg.OutDir)
		if err != nil {
			return err
		}
		x.res.Forward, x.res.ForwardFile = f, "forward.csv"
		return nil
	}, spanAnalysis)
	return nil
}

// forwardScores rates the INN's forward pass and the MLP on the validation runs and on all runs.
func forwardScores(in Inputs, ms *Models, dir string) ([]ForwardScores, error) {
	allX := append(append([][]float64(nil), in.Train.X...), in.Val.X...)
	allY := append(append([][]float64(nil), in.Train.Y...), in.Val.Y...)
	nTrain := in.Train.Len()
	var out []ForwardScores
	preds := map[string][][]float64{}
	for _, e := range []struct {
		name string
		f    func([][]float64) ([][]float64, error)
	}{{RecipeINN, ms.INN.Forward}, {"mlp", ms.MLP.Predict}} {
		pred, err := e.f(allX)
		if err != nil {
			return nil, fmt.Errorf("pipeline: %s forward: %w", e.name, err)
		}
		preds[e.name] = pred
		fs := ForwardScores{Emulator: e.name}
		if fs.ValR2, err = metrics.R2Columns(nil, allY[nTrain:], pred[nTrain:]); err != nil {
			return nil, err
		}
		fs.ValRMSE = rmseColumns(allY[nTrain:], pred[nTrain:])
		if fs.AllR2, err = metrics.R2Columns(nil, allY, pred); err != nil {
			return nil, err
		}
		fs.AllRMSE = rmseColumns(allY, pred)
		out = append(out, fs)
	}
	// forward.csv: run, split, then model, INN and MLP outputs.
	names := in.Train.OutputNames
	header := []string{"run", "validation"}
	for _, p := range []string{"model", "inn", "mlp"} {
		for _, n := range names {
			header = append(header, p+"_"+n)
		}
	}
	rows := make([][]float64, len(allX))
	for i := range allX {
		r := []float64{float64(i), 0}
		if i >= nTrain {
			r[1] = 1
		}
		r = append(append(append(r, allY[i]...), preds[RecipeINN][i]...), preds["mlp"][i]...)
		rows[i] = r
	}
	if err := writeSamplesCSV(filepath.Join(dir, "forward.csv"), header, rows); err != nil {
		return nil, err
	}
	return out, nil
}

func rmseColumns(obs, pred [][]float64) []float64 {
	out := make([]float64, len(obs[0]))
	for j := range out {
		var s float64
		for i := range obs {
			d := obs[i][j] - pred[i][j]
			s += d * d
		}
		out[j] = math.Sqrt(s / float64(len(obs)))
	}
	return out
}
