package pipeline

import (
	"fmt"
	"io"
	"strings"
)

// PrintSummary writes a short human-readable account of res.
func PrintSummary(w io.Writer, res *Results) {
	s := res.Settings
	fmt.Fprintf(w, "\n== %s: %d training and %d validation runs; backend %s; %.0f s in all (training %.0f s%s)\n",
		res.Dataset, s.TrainRuns, s.ValRuns, s.Backend, res.Timing.Total, res.Timing.Training, reusedNote(s.Reused))
	fmt.Fprintf(w, "observation noise sd %v; %d posterior samples per case and recipe\n", s.ObsNoise, s.Samples)

	fmt.Fprintf(w, "\nForward emulation, R² per output (RMSE)\n%-22s", "")
	for _, n := range s.OutputNames {
		fmt.Fprintf(w, " %15s", n)
	}
	fmt.Fprintln(w)
	for _, f := range res.Forward {
		for _, set := range []struct {
			label    string
			r2, rmse []float64
		}{{f.Emulator + " validation", f.ValR2, f.ValRMSE}, {f.Emulator + " all runs", f.AllR2, f.AllRMSE}} {
			fmt.Fprintf(w, "%-22s", set.label)
			for j := range set.r2 {
				fmt.Fprintf(w, " %7.4f (%5.2f)", set.r2[j], set.rmse[j])
			}
			fmt.Fprintln(w)
		}
	}
	for _, c := range res.Cases {
		fmt.Fprintf(w, "\n-- %s (%s)\n", c.Title, c.Name)
		fmt.Fprintf(w, "%-15s %11s", "parameter", "truth")
		for _, p := range c.Posteriors {
			fmt.Fprintf(w, " | %-33s", strings.ToUpper(p.Recipe)+" mean [2.5%, 97.5%]")
		}
		fmt.Fprintln(w)
		for j, name := range s.ParamNames {
			truth := "-"
			if c.Truth != nil {
				truth = fmt.Sprintf("%.4g", c.Truth[j])
			}
			fmt.Fprintf(w, "%-15s %11s", name, truth)
			for _, p := range c.Posteriors {
				q := p.Params[j]
				mark := " "
				if q.Inside95 != nil && !*q.Inside95 {
					mark = "!"
				}
				fmt.Fprintf(w, " | %9.4g [%9.4g, %9.4g]%s", q.Mean, q.Q025, q.Q975, mark)
			}
			fmt.Fprintln(w)
		}
		for _, p := range c.Posteriors {
			fmt.Fprintf(w, "%s: MAP fit to obs through the emulator: RMSE %.2f, NRMSE %.4f, R² %.3f; obs inside predictive 95%%: %v",
				strings.ToUpper(p.Recipe), p.MAPPredRMSE, p.MAPPredNRMSE, p.MAPPredR2, p.ObsInside95)
			if p.MAPNRMSERaw != nil {
				fmt.Fprintf(w, "; MAP NRMSE vs truth raw %.4f (prior midpoint %.4f), range-normalised %.3f; truth inside 95%%: %v",
					*p.MAPNRMSERaw, *p.MidpointNRMSERaw, *p.MAPNRMSERange, *p.TruthInside95)
			}
			if p.OutOfBox > 0 {
				fmt.Fprintf(w, "; %.1f%% of samples outside the box", 100*p.OutOfBox)
			}
			fmt.Fprintln(w)
		}
		if c.BestFit != nil {
			fmt.Fprintf(w, "best in-box fit found: RMSE %.2f, NRMSE %.4f, R² %.3f\n", c.BestFit.RMSE, c.BestFit.NRMSE, c.BestFit.R2)
		}
	}
	fmt.Fprintln(w)
}

func reusedNote(reused bool) string {
	if reused {
		return ", models reused"
	}
	return ""
}
