package metrics

import (
	"fmt"
	"math"
)

// This file holds the emulation and point-estimate scores of the paper
// (appendix C): R², RMSE and NRMSE, plus a range-normalised NRMSE for
// parameter vectors whose entries differ in scale by ten orders of magnitude.

// R2 returns the coefficient of determination of sim as a prediction of obs,
//
//	R² = 1 − SSE/SST,  SSE = Σ (obs_i − sim_i)²,  SST = Σ (obs_i − mean(obs))²,
//
// as the paper defines it. It is 1 for a perfect prediction, 0 for predicting
// the mean, and negative for worse. R2 is not symmetric in its arguments.
// It returns an error if obs is constant (SST = 0), where R² is undefined.
func R2(obs, sim []float64) (float64, error) {
	if err := checkPair("R2", "obs", obs, "sim", sim); err != nil {
		return 0, err
	}
	var mean float64
	for _, v := range obs {
		mean += v
	}
	mean /= float64(len(obs))
	var sse, sst float64
	for i, o := range obs {
		sse += (o - sim[i]) * (o - sim[i])
		sst += (o - mean) * (o - mean)
	}
	if sst == 0 {
		return 0, fmt.Errorf("metrics.R2: obs is constant (SST = 0), R² is undefined: %w", ErrDomain)
	}
	return 1 - sse/sst, nil
}

// R2Columns returns R2 of each column of sim against the same column of obs
// (rows are cases, columns are outputs, e.g. one column per year of LH). dst
// may be nil; otherwise it must have one entry per column. The mean of the
// result is scikit-learn's default multi-output r2_score ("uniform_average").
func R2Columns(dst []float64, obs, sim [][]float64) ([]float64, error) {
	dim, err := checkMatPair("R2Columns", "obs", obs, "sim", sim)
	if err != nil {
		return nil, err
	}
	if len(obs) != len(sim) {
		return nil, fmt.Errorf("metrics.R2Columns: obs has %d rows, sim has %d: %w", len(obs), len(sim), ErrShape)
	}
	if dst, err = useDst("R2Columns", dst, dim); err != nil {
		return nil, err
	}
	o := make([]float64, len(obs))
	s := make([]float64, len(sim))
	for j := range dst {
		if dst[j], err = R2(column(o, obs, j), column(s, sim, j)); err != nil {
			return nil, fmt.Errorf("column %d: %w", j, err)
		}
	}
	return dst, nil
}

// R2Pooled returns R2 of all entries of sim against all entries of obs taken
// as one vector: SST is about the grand mean of obs. Columns with a larger
// spread weigh more than in the mean of R2Columns.
func R2Pooled(obs, sim [][]float64) (float64, error) {
	if _, err := checkMatPair("R2Pooled", "obs", obs, "sim", sim); err != nil {
		return 0, err
	}
	if len(obs) != len(sim) {
		return 0, fmt.Errorf("metrics.R2Pooled: obs has %d rows, sim has %d: %w", len(obs), len(sim), ErrShape)
	}
	var o, s []float64
	for i := range obs {
		o = append(o, obs[i]...)
		s = append(s, sim[i]...)
	}
	return R2(o, s)
}

// RMSE returns the root-mean-square error sqrt(Σ (obs_i − sim_i)² / n).
func RMSE(obs, sim []float64) (float64, error) {
	if err := checkPair("RMSE", "obs", obs, "sim", sim); err != nil {
		return 0, err
	}
	var sse float64
	for i, o := range obs {
		sse += (o - sim[i]) * (o - sim[i])
	}
	return math.Sqrt(sse / float64(len(obs))), nil
}

// NRMSE returns the normalised root-mean-square error of the paper
// (appendix C),
//
//	NRMSE = sqrt( Σ (obs_i − sim_i)² / Σ obs_i² ),
//
// i.e. the relative L2 error |obs − sim| / |obs|. It is not the RMSE divided
// by a range or a mean. On a raw parameter vector it is dominated by the
// entries of largest magnitude (crit_dayl ≈ 4e4 in the paper); use NRMSERange
// to weigh parameters equally. It returns an error if obs is all zeros.
func NRMSE(obs, sim []float64) (float64, error) {
	if err := checkPair("NRMSE", "obs", obs, "sim", sim); err != nil {
		return 0, err
	}
	var sse, ss float64
	for i, o := range obs {
		sse += (o - sim[i]) * (o - sim[i])
		ss += o * o
	}
	if ss == 0 {
		return 0, fmt.Errorf("metrics.NRMSE: obs is all zeros, NRMSE is undefined: %w", ErrDomain)
	}
	return math.Sqrt(sse / ss), nil
}

// NRMSERange returns the root-mean-square difference of a and b after scaling
// each entry by the width of its prior box,
//
//	NRMSERange = sqrt( (1/n) Σ ((a_i − b_i) / (hi_i − lo_i))² ),
//
// so every parameter counts equally whatever its units: 0 is a perfect match
// and 1/sqrt(6) ≈ 0.41 is the expected value for two independent uniform
// draws from the box. It requires lo_i < hi_i.
func NRMSERange(a, b, lo, hi []float64) (float64, error) {
	if err := checkPair("NRMSERange", "a", a, "b", b); err != nil {
		return 0, err
	}
	if err := checkBox("NRMSERange", lo, hi, len(a)); err != nil {
		return 0, err
	}
	var s float64
	for i := range a {
		d := (a[i] - b[i]) / (hi[i] - lo[i])
		s += d * d
	}
	return math.Sqrt(s / float64(len(a))), nil
}
