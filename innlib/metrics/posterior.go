package metrics

import (
	"fmt"
	"math"
)

// This file compares one posterior sample post [n][dim] with its prior and
// with the true parameter (Schad, Betancourt & Vasishth 2021; the BayesFlow
// diagnostics): how much the data shrank the uncertainty, and how far the
// posterior mean is from the truth in posterior standard deviations.

// UniformVariances returns the variance (hi_j − lo_j)²/12 of a uniform prior
// on the box [lo, hi], the prior of the paper's eight parameters. dst may be
// nil; otherwise it must have len(lo) entries.
func UniformVariances(dst, lo, hi []float64) ([]float64, error) {
	if err := checkBox("UniformVariances", lo, hi, len(lo)); err != nil {
		return nil, err
	}
	dst, err := useDst("UniformVariances", dst, len(lo))
	if err != nil {
		return nil, err
	}
	for j := range dst {
		w := hi[j] - lo[j]
		dst[j] = w * w / 12
	}
	return dst, nil
}

// Contraction returns the posterior contraction of each parameter,
//
//	c_j = clip(1 − Var_post_j / Var_prior_j, 0, 1),
//
// with Var_post the sample variance of column j of post (n − 1 divisor) and
// priorVar the prior variances (UniformVariances for a box prior). 0 means the
// data taught nothing about the parameter, 1 that it is pinned down. The clip
// hides sampling noise that makes Var_post exceed Var_prior slightly for an
// unidentified parameter. post needs at least two draws.
func Contraction(dst []float64, post [][]float64, priorVar []float64) ([]float64, error) {
	if err := checkDraws("Contraction", post); err != nil {
		return nil, err
	}
	v, err := Variances(nil, post)
	if err != nil {
		return nil, err
	}
	if err := checkVec("Contraction", "priorVar", priorVar); err != nil {
		return nil, err
	}
	if len(priorVar) != len(v) {
		return nil, fmt.Errorf("metrics.Contraction: post has %d columns, priorVar %d: %w", len(v), len(priorVar), ErrShape)
	}
	if dst, err = useDst("Contraction", dst, len(v)); err != nil {
		return nil, err
	}
	for j, pv := range priorVar {
		if !(pv > 0) {
			return nil, fmt.Errorf("metrics.Contraction: priorVar[%d] = %g, want > 0: %w", j, pv, ErrDomain)
		}
		dst[j] = math.Min(1, math.Max(0, 1-v[j]/pv))
	}
	return dst, nil
}

// ZScores returns the posterior z-score of each parameter,
//
//	z_j = (mean(post_j) − truth_j) / sd(post_j),
//
// with the n − 1 standard deviation. Over many simulations from a calibrated
// posterior z has mean ≈ 0 and standard deviation ≈ 1; |z| much larger than
// 1 with high contraction signals an overconfident, biased posterior. A
// column with zero spread has no z-score and is an error.
func ZScores(dst []float64, post [][]float64, truth []float64) ([]float64, error) {
	if err := checkDraws("ZScores", post); err != nil {
		return nil, err
	}
	m, err := Means(nil, post)
	if err != nil {
		return nil, err
	}
	sd, err := SDs(nil, post)
	if err != nil {
		return nil, err
	}
	if err := checkVec("ZScores", "truth", truth); err != nil {
		return nil, err
	}
	if len(truth) != len(m) {
		return nil, fmt.Errorf("metrics.ZScores: post has %d columns, truth %d values: %w", len(m), len(truth), ErrShape)
	}
	if dst, err = useDst("ZScores", dst, len(m)); err != nil {
		return nil, err
	}
	for j := range dst {
		if sd[j] == 0 {
			return nil, fmt.Errorf("metrics.ZScores: column %d of post is constant, z-score undefined: %w", j, ErrDomain)
		}
		dst[j] = (m[j] - truth[j]) / sd[j]
	}
	return dst, nil
}

// checkDraws checks a posterior sample with at least two draws, the least
// that has a variance.
func checkDraws(fn string, post [][]float64) error {
	if _, err := checkMat(fn, "post", post); err != nil {
		return err
	}
	if len(post) < 2 {
		return fmt.Errorf("metrics.%s: post has %d draw, need at least 2: %w", fn, len(post), ErrEmpty)
	}
	return nil
}
