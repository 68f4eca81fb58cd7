package pipeline

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"

	"github.com/ozarkinn/inn/innlib/metrics"
)

// PrintSummary writes a short human-readable account of res.
func PrintSummary(w io.Writer, res *Results) {
	s := res.Settings
	fmt.Fprintf(w, "\n== %s: %d training and %d validation runs; backend %s; %.0f s in all (training %.0f s%s)\n",
		res.Dataset, s.TrainRuns, s.ValRuns, s.Backend, res.Timing.Total, res.Timing.Training, reusedNote(s.Reused))
	fmt.Fprintf(w, "observation noise sd %v; %d posterior samples per case and recipe\n", s.ObsNoise, s.Samples)
	for _, m := range res.Warnings {
		fmt.Fprintf(w, "warning: %s\n", m)
	}

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
			fmt.Fprintf(w, "%s: MAP fit to obs through the emulator: RMSE %.2f, NRMSE %.4f, R² %s; obs inside predictive 95%%: %v",
				strings.ToUpper(p.Recipe), p.MAPPredRMSE, p.MAPPredNRMSE, fmtR2(p.MAPPredR2), p.ObsInside95)
			if p.MAPNRMSERaw != nil {
				fmt.Fprintf(w, "; MAP NRMSE vs truth raw %.4f (prior midpoint %.4f), range-normalised %.3f; truth inside 95%%: %v",
					*p.MAPNRMSERaw, *p.MidpointNRMSERaw, *p.MAPNRMSERange, *p.TruthInside95)
			}
			fmt.Fprintf(w, "; draws' fits: RMSE min %.2f, 5%% %.2f, median %.2f", p.DrawFit.MinRMSE, p.DrawFit.Q05RMSE, p.DrawFit.MedianRMSE)
			if p.OutOfBox > 0 {
				fmt.Fprintf(w, "; %.1f%% of samples outside the box", 100*p.OutOfBox)
			}
			if r := p.Refined; r != nil && r.Error != "" {
				fmt.Fprintf(w, "; refinement failed, the amortized flow was sampled: %s", r.Error)
			} else if r != nil {
				fmt.Fprintf(w, "; refined for this observation on %d emulated runs (%.1f%% of proposals accepted), %d epochs, %.1f s", r.Runs, 100*r.Acceptance, r.Epochs, r.Seconds)
				if r.Cached {
					fmt.Fprint(w, " (read back from the cache)")
				}
			}
			fmt.Fprintln(w)
		}
		for _, r := range c.MCMC {
			fmt.Fprintf(w, "MCMC %s (%s surrogate): %d walkers × %d steps (burn-in %d, thin %d) → %d samples in %.1f s; acceptance %.2f; max τ %.0f steps, chain = %.0f τ; min ESS bulk %.0f; max R-hat %.3f\n",
				r.Name, r.Surrogate, r.Walkers, r.Steps, r.BurnIn, r.Thin, r.Samples, r.Seconds, r.MeanAcceptance, maxOf(r.Tau), r.ChainOverTau, minOf(r.ESSBulk), maxOf(r.RHat))
		}
		for _, cmp := range c.Comparisons {
			ref := "MCMC"
			if cmp.Reference == ReferenceINNSurrogate {
				ref = "MCMC on the INN's own forward pass"
			}
			fmt.Fprintf(w, "%s vs %s: C2ST %.3f, max W1/range %.3f, MMD %.4f, corr(%s, %s) %.2f vs %.2f\n",
				strings.ToUpper(cmp.Recipe), ref, cmp.C2ST, cmp.MaxW1, cmp.MMD, cmp.CorrPair[0], cmp.CorrPair[1], cmp.CorrRecipe, cmp.CorrReference)
		}
		if c.BestFit != nil {
			bf := c.BestFit
			fmt.Fprintf(w, "best in-box fit found: RMSE %.2f, NRMSE %.4f, R² %s; nearest training run %.2f away", bf.RMSE, bf.NRMSE, fmtR2(bf.R2), bf.NearestRunDistance)
			if bf.RunSpacing != nil {
				fmt.Fprintf(w, " (runs are typically %.2f apart)", *bf.RunSpacing)
			}
			if bf.INNRMSE != nil {
				fmt.Fprintf(w, "; the INN's forward pass there: RMSE %.2f", *bf.INNRMSE)
			}
			fmt.Fprintln(w)
			var near []string
			for _, p := range c.Posteriors {
				if d := p.DrawFit; d.NearBest != nil {
					near = append(near, fmt.Sprintf("%s MAP %s, %.2f%% of draws", strings.ToUpper(p.Recipe), yesNo(*d.MAPNearBest), 100*(*d.NearBest)))
				}
			}
			if len(near) > 0 {
				fmt.Fprintf(w, "near the best fit (RMSE ≤ %.2f, %.0f%% above it): %s\n", (1+NearBestTolerance)*bf.RMSE, 100*NearBestTolerance, strings.Join(near, "; "))
			}
			if f := bf.INNFit; f != nil {
				fmt.Fprintf(w, "the INN emulator's own best in-box fit: RMSE %.2f (the MLP emulator there: %.2f); nearest training run %.2f away\n", f.RMSE, f.MLPRMSE, f.NearestRunDistance)
			}
		}
	}
	if len(res.Calibration) > 0 {
		WriteCalibration(w, res.Calibration)
	}
	recipes := make([]string, 0, len(res.Timing.Sampling))
	for r := range res.Timing.Sampling {
		recipes = append(recipes, r)
	}
	sort.Strings(recipes)
	sampling := make([]string, len(recipes))
	for i, r := range recipes {
		sampling[i] = fmt.Sprintf("%s %.2f", r, res.Timing.Sampling[r])
	}
	// The stages run concurrently (graph.go): each figure is a stage's span.
	fmt.Fprintf(w, "\ntiming (s of wall time; stages overlap, so they do not add up to the total): data %.1f, training %.1f, sampling %s, analysis %.1f (refinement %.1f), MCMC %.1f, comparisons %.1f, calibration %.1f, best fits %.1f, total %.1f\n",
		res.Timing.Data, res.Timing.Training, strings.Join(sampling, " "), res.Timing.Analysis, res.Timing.Refine, res.Timing.MCMC, res.Timing.Compare, res.Timing.Calib, res.Timing.BestFit, res.Timing.Total)
	fmt.Fprintln(w)
}

func maxOf(v []float64) float64 {
	m := math.Inf(-1)
	for _, x := range v {
		m = math.Max(m, x)
	}
	return m
}

func minOf(v []float64) float64 {
	m := math.Inf(1)
	for _, x := range v {
		m = math.Min(m, x)
	}
	return m
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func reusedNote(reused bool) string {
	if reused {
		return ", models reused"
	}
	return ""
}

// WriteCalibration prints each recipe's calibration check: how the
// observations were made and the pass bounds, then per recipe the worst
// parameter, the mean beside it and the failing parameters with their
// verdicts, then every parameter's figures.
func WriteCalibration(w io.Writer, cal []RecipeCalibration) {
	if len(cal) == 0 {
		return
	}
	rc0 := cal[0]
	for _, rc := range cal {
		if rc.Error == "" {
			rc0 = rc
			break
		}
	}
	fmt.Fprintf(w, "\nCalibration over %d validation runs, %s; calibration error = median |coverage − level|\n", rc0.Runs, rc0.Observations)
	if b := rc0.Bounds; b.Params > 0 {
		fmt.Fprintf(w, "pass: error ≤ %.3f and rank χ² p ≥ %.3g per parameter (an exact posterior passes all %d with probability %.3f, simulated for %d runs × %d draws)\n",
			b.MaxError, b.MinRankChi2P, b.Params, b.ExactPassRate, b.Sims, b.Draws)
	}
	for _, rc := range cal {
		if rc.Error != "" {
			fmt.Fprintf(w, "%-5s failed: %s\n", strings.ToUpper(rc.Recipe), rc.Error)
			continue
		}
		verdict := "every parameter passes"
		if !rc.Passed {
			var f []string
			for _, p := range rc.Params {
				if p.Verdict != metrics.VerdictPass {
					f = append(f, p.Name+" "+p.Verdict)
				}
			}
			verdict = "fails: " + strings.Join(f, ", ")
		}
		fmt.Fprintf(w, "%-5s worst %s %.3f, mean %.3f; %s\n", strings.ToUpper(rc.Recipe), rc.Worst, rc.WorstError, rc.MeanError, verdict)
		for _, p := range rc.Params {
			fmt.Fprintf(w, "      %-15s error %.3f  χ² p %-8.2g  KS p %-8.2g  z %+.2f ± %.2f  contraction %.2f  %s\n",
				p.Name, p.CalibrationError, p.RankChi2P, p.RankKSP, p.ZMean, p.ZSD, p.Contraction, p.Verdict)
		}
	}
}
