package metrics

import (
	"fmt"
	"math"
)

// CalibrationConfig sets up Calibration.
type CalibrationConfig struct {
	Levels []float64 // Credibility levels for Coverage. Default DefaultLevels().
	// Bins for RankChiSquare. Default min(20, L+1, S/5), at least 2: about
	// 5 or more expected ranks per bin, as the chi-square approximation needs.
	Bins int
	// PriorVar holds the prior variance of each parameter for Contraction
	// (UniformVariances for a box prior); nil leaves Contraction NaN.
	PriorVar []float64
}

// ParamCalibration summarises the calibration of one parameter over S
// simulations.
type ParamCalibration struct {
	Ranks     []int   // SBC rank in each simulation, 0..L.
	RankChi2  float64 // RankChiSquare statistic and p-value.
	RankChi2P float64
	RankKS    float64 // RankKS statistic and p-value.
	RankKSP   float64
	Coverage  []float64 // At each level of the config.
	// CalibrationError is the median |coverage − level| (CalibrationError).
	CalibrationError float64
	// Contraction is the mean over simulations of Contraction, NaN without
	// prior variances.
	Contraction float64
	// ZMean and ZSD are the mean and standard deviation (S − 1) of the
	// posterior z-scores over simulations: ≈ 0 and ≈ 1 when calibrated; ZSD
	// above 1 means overconfidence (≈ 2 when the posterior sd is halved).
	ZMean, ZSD float64
}

// Calibration runs the diagnostics of this package over S simulations with
// known truth: truths[s] is the parameter that generated data set s and
// posts[s] are L posterior draws for it (every posts[s] with the same L and
// at least two draws). It returns one summary per parameter.
func Calibration(truths [][]float64, posts [][][]float64, cfg CalibrationConfig) ([]ParamCalibration, error) {
	dim, l, err := checkSims("Calibration", truths, posts, true)
	if err != nil {
		return nil, err
	}
	if l < 2 {
		return nil, fmt.Errorf("metrics.Calibration: %d draw per posterior, need at least 2: %w", l, ErrEmpty)
	}
	if cfg.Levels == nil {
		cfg.Levels = DefaultLevels()
	}
	S := len(truths)
	if cfg.Bins == 0 {
		cfg.Bins = defaultBins(l, S)
	}
	if cfg.PriorVar != nil && len(cfg.PriorVar) != dim {
		return nil, fmt.Errorf("metrics.Calibration: %d prior variances for %d parameters: %w", len(cfg.PriorVar), dim, ErrShape)
	}
	cov, err := Coverage(cfg.Levels, truths, posts)
	if err != nil {
		return nil, err
	}
	ranks, err := Ranks(truths, posts)
	if err != nil {
		return nil, err
	}
	out := make([]ParamCalibration, dim)
	z := make([][]float64, dim)
	for j := range out {
		out[j].Coverage = cov[j]
		out[j].Ranks = make([]int, S)
		z[j] = make([]float64, S)
		if cfg.PriorVar == nil {
			out[j].Contraction = math.NaN()
		}
	}
	zs := make([]float64, dim)
	con := make([]float64, dim)
	for s := range S {
		if _, err := ZScores(zs, posts[s], truths[s]); err != nil {
			return nil, fmt.Errorf("simulation %d: %w", s, err)
		}
		for j := range dim {
			out[j].Ranks[s] = ranks[s][j]
			z[j][s] = zs[j]
		}
		if cfg.PriorVar != nil {
			if _, err := Contraction(con, posts[s], cfg.PriorVar); err != nil {
				return nil, fmt.Errorf("simulation %d: %w", s, err)
			}
			for j := range dim {
				out[j].Contraction += con[j] / float64(S)
			}
		}
	}
	for j := range out {
		o := &out[j]
		if o.RankChi2, o.RankChi2P, err = RankChiSquare(o.Ranks, l, cfg.Bins); err != nil {
			return nil, err
		}
		if o.RankKS, o.RankKSP, err = RankKS(o.Ranks, l); err != nil {
			return nil, err
		}
		if o.CalibrationError, err = CalibrationError(cfg.Levels, o.Coverage); err != nil {
			return nil, err
		}
		var m, v float64
		for _, x := range z[j] {
			m += x / float64(S)
		}
		for _, x := range z[j] {
			v += (x - m) * (x - m)
		}
		o.ZMean = m
		o.ZSD = math.NaN()
		if S > 1 {
			o.ZSD = math.Sqrt(v / float64(S-1))
		}
	}
	return out, nil
}
