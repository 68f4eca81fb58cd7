package report

import (
	"encoding/json"
	"fmt"

	"github.com/ozarkinn/inn/innlib/inn"
	"github.com/ozarkinn/inn/innlib/mmd"
	"github.com/ozarkinn/inn/innlib/pipeline"
)

// floorDraws and floorSeed fix the Monte Carlo estimate of E k(d²) behind
// the floors (its relative error is about 0.3%).
const (
	floorDraws = 100000
	floorSeed  = 1
)

// LatentMMDFloorTable explains the gap between the bidirectional INN's
// training and validation latent MMD in the training curves. The MMD
// estimate (a V-statistic, package mmd) is biased upwards by about 2/n for
// a sample of n points: the training value is the mean over batches of
// BatchSize rows, the validation value one estimate over all validation
// runs, so even a perfect model shows a larger training MMD. The table
// gives, at the best epoch, each measured value next to the floor a
// perfect model would show at that sample size (mmd.Floor: the latent term
// compares [z, y] with [N(0, I), y], which differ only in the LatentDim
// coordinates of z), and the excess above the floor, which is what
// compares like with like.
func (o *Output) LatentMMDFloorTable(model string) (*Table, error) {
	var m *pipeline.Model
	for i := range o.Results.Settings.Models {
		if o.Results.Settings.Models[i].Name == model {
			m = &o.Results.Settings.Models[i]
		}
	}
	if m == nil || m.History == nil {
		return nil, fmt.Errorf("report: no training history for %q", model)
	}
	train, val := m.History.Train[inn.TermLatentMMD], m.History.Val[inn.TermLatentMMD]
	if len(train) <= m.BestEpoch || len(val) <= m.BestEpoch {
		return nil, fmt.Errorf("report: %q has no latent MMD at its best epoch %d", model, m.BestEpoch)
	}
	// The configuration as saved (with its defaults filled in).
	raw, err := json.Marshal(m.ConfigJSON)
	if err != nil {
		return nil, err
	}
	var cfg inn.Config
	if err := json.Unmarshal(raw, &cfg); err != nil {
		return nil, fmt.Errorf("report: the configuration of %q: %w", model, err)
	}
	cfg = cfg.WithDefaults()
	batch, nVal := min(cfg.Train.BatchSize, o.Results.Settings.TrainRuns), o.Results.Settings.ValRuns
	if m.LatentDim < 1 || batch < 1 || nVal < 1 {
		return nil, fmt.Errorf("report: %q: latent dimension %d, batch %d, %d validation runs", model, m.LatentDim, batch, nVal)
	}
	d2 := mmd.GaussianGapDraws(m.LatentDim, floorDraws, floorSeed)
	floor := func(n int) (float64, error) { return mmd.Floor(n, d2, cfg.Loss.ForwardKernels) }
	fTrain, err := floor(batch)
	if err != nil {
		return nil, err
	}
	fVal, err := floor(nVal)
	if err != nil {
		return nil, err
	}
	b := m.BestEpoch
	notes := []string{
		fmt.Sprintf("The floor is the mean of the MMD estimate when the model is exact: (2/n) Σ_k (1 − E k(|z − ε|²)) over the %d kernels, "+
			"z and ε independent N(0, I) in the %d latent dimensions; it falls as 1/n, so the training floor is %.1f times the validation floor.",
			len(cfg.Loss.ForwardKernels), m.LatentDim, fTrain/fVal),
	}
	// The backward MMD has the same 1/n floor, but its size depends on the
	// posterior's width, so only its ratio is given.
	bt, bv := m.History.Train[inn.TermBackwardMMD], m.History.Val[inn.TermBackwardMMD]
	if len(bt) > b && len(bv) > b && bv[b] > 0 {
		notes = append(notes, fmt.Sprintf("The backward MMD shows the same gap: %.4f on training batches, %.4f on the validation runs, a ratio of %.1f "+
			"(1/n alone predicts %d/%d = %.1f); its floor depends on the width of the posterior, so it is not computed here.",
			bt[b], bv[b], bt[b]/bv[b], nVal, batch, float64(nVal)/float64(batch)))
	}
	row := func(what string, n int, got, f float64) []string {
		return []string{what, fmt.Sprint(n), fmt.Sprintf("%.4f", got), fmt.Sprintf("%.4f", f), fmt.Sprintf("%.4f", got-f)}
	}
	return &Table{
		Caption: fmt.Sprintf("Latent MMD of the %s at its best epoch (%d), against the floor of a perfect model", methodLabel(model), b+1),
		Header:  []string{"measured on", "points per estimate", "latent MMD", "floor (perfect model)", "excess above floor"},
		Rows: [][]string{
			row("training batches (mean over the epoch)", batch, train[b], fTrain),
			row("validation runs (one estimate)", nVal, val[b], fVal),
		},
		Notes: notes,
	}, nil
}
