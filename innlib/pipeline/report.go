package pipeline

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/ozarkinn/inn/innlib/internal/ckpt"
)

// report is the last stage: it adds the notes and the total time and
// writes results.json (figures are drawn from it by package report).
func (x *experiment) report() error {
	x.res.Notes = notes(x.in, x.res)
	x.res.Timing.Total = time.Since(x.start).Seconds()
	return WriteResults(filepath.Join(x.cfg.OutDir, "results.json"), x.res)
}

// WriteResults writes res as indented JSON, atomically.
func WriteResults(path string, res *Results) error {
	js, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return fmt.Errorf("pipeline: encoding results: %w", err)
	}
	if err := ckpt.WriteFileAtomic(path, append(js, '\n')); err != nil {
		return fmt.Errorf("pipeline: writing %s: %w", path, err)
	}
	return nil
}

// ReadResults reads a results.json written by Run.
func ReadResults(path string) (*Results, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("pipeline: %w", err)
	}
	var r Results
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("pipeline: reading %s: %w", path, err)
	}
	if r.Schema != ResultsSchema {
		return nil, fmt.Errorf("pipeline: %s has schema %q, want %s (rerun the main job to rewrite it)", path, r.Schema, ResultsSchema)
	}
	return &r, nil
}

// writeSamplesCSV writes draws with a header of parameter names, atomically.
func writeSamplesCSV(path string, names []string, s [][]float64) error {
	var b bytes.Buffer
	b.WriteString(strings.Join(names, ","))
	b.WriteByte('\n')
	for _, r := range s {
		for j, v := range r {
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.FormatFloat(v, 'g', 9, 64))
		}
		b.WriteByte('\n')
	}
	if err := ckpt.WriteFileAtomic(path, b.Bytes()); err != nil {
		return fmt.Errorf("pipeline: writing %s: %w", path, err)
	}
	return nil
}

// notes explains the numbers that need it.
func notes(in Inputs, res *Results) []string {
	var out []string
	for _, c := range in.Cases {
		if c.Note != "" {
			out = append(out, fmt.Sprintf("%s: %s", c.Name, c.Note))
		}
	}
	out = append(out,
		"map_nrmse_raw is the paper's NRMSE = sqrt(sum (truth-MAP)^2 / sum truth^2) on raw parameter values. It is dominated by the largest-valued parameters (crit_dayl ~4e4, crit_onset_gdd ~8e2), so even the prior-box midpoint scores well on it (midpoint_nrmse_raw); map_nrmse_range scales each parameter by its prior width and is the informative score.",
		"Posterior-predictive outputs are the posterior draws pushed through the independent MLP emulator: the INN's own forward pass would return the observation by construction.",
		"forward val_r2 and val_rmse are measured on the validation runs, which also chose each network's kept epoch (settings: best_epoch, the lowest validation loss), so they are slightly optimistic; all_r2 includes the training runs.",
		"best_fit is the least-squares fit to the observation inside the prior box found by the emulator, starting from the best-fitting posterior draws of every recipe. nearest_run_distance and run_spacing (each parameter scaled to [0, 1] by its box) say whether it lies among the training runs or where the emulator extrapolates; inn_rmse is the INN's forward pass at the same point, a second emulator's view; inn_fit is the INN emulator's own best in-box fit (Nelder-Mead from the same starts), with the MLP emulator's score of it.",
		fmt.Sprintf("draw_fit summarises each draw's RMSE against the observation through the MLP emulator; near_best_fraction is the fraction of draws, and map_near_best whether the MAP, within %.0f%% of best_fit's RMSE (the project's real-data MAP target; left out where the best fit is exact). A small near_best_fraction for MCMC too means the target asks for the mode, which holds little of the posterior's mass, not for a typical draw.", 100*NearBestTolerance))
	return out
}
