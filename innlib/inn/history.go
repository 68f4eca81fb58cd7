package inn

import (
	"fmt"
	"sort"
	"strings"
)

// Names of loss terms in EpochStats.
const (
	TermTotal          = "total"
	TermFit            = "fit"
	TermLatentMMD      = "latent_mmd"
	TermBackwardMMD    = "backward_mmd"
	TermReconstruction = "reconstruction"
	TermPadding        = "padding"
	TermNLL            = "nll"
)

// EpochStats are one epoch's training statistics.
type EpochStats struct {
	Epoch int                `json:"epoch"` // 0-based.
	Train map[string]float64 `json:"train"` // Mean of each loss term over the epoch's batches (unweighted).
	Val   map[string]float64 `json:"val"`   // Each term on the validation set (unweighted, fixed noise).
	// ValScore is the validation loss used to pick the best weights: the terms
	// weighted with their full (not ramped) weights.
	ValScore float64 `json:"val_score"`
	// ValR2 is the emulator's R² per output on the validation set (bidirectional only).
	ValR2          []float64 `json:"val_r2,omitempty"`
	LearningRate   float64   `json:"learning_rate"`
	BackwardWeight float64   `json:"backward_weight,omitempty"` // Ramped weight of the backward MMD this epoch.
	GradNorm       float64   `json:"grad_norm"`                 // Mean global gradient norm before clipping.
	Seconds        float64   `json:"seconds"`                   // Wall time since training started.
	Best           bool      `json:"best"`                      // Whether this epoch improved the validation score.
}

// History is the record of a training run.
type History struct {
	Epochs    []EpochStats `json:"epochs"`
	BestEpoch int          `json:"best_epoch"` // Epoch whose weights the model kept.
	Steps     int          `json:"steps"`      // Optimiser steps taken.
	Seconds   float64      `json:"seconds"`    // Wall time of training.
	Stopped   string       `json:"stopped"`    // Why training ended: "epochs" or "patience".
}

// Best returns the statistics of the epoch whose weights were kept.
func (h History) Best() EpochStats {
	for _, e := range h.Epochs {
		if e.Epoch == h.BestEpoch {
			return e
		}
	}
	return EpochStats{}
}

// summary is a short one-line rendering of terms for progress output.
func summary(terms map[string]float64) string {
	short := map[string]string{TermFit: "fit", TermLatentMMD: "mmd_z", TermBackwardMMD: "mmd_x",
		TermReconstruction: "rec", TermPadding: "pad", TermNLL: "nll", TermTotal: "loss"}
	keys := make([]string, 0, len(terms))
	for k := range terms {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		if k == TermTotal {
			continue
		}
		fmt.Fprintf(&b, "%s %.3g ", short[k], terms[k])
	}
	return strings.TrimSpace(b.String())
}
