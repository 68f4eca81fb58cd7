package inn

import (
	"fmt"
	"math"
)

// transform maps parameters and outputs between original units and the
// standardised space the flow works in. Parameters with a box first go through
// the box map (logit of the box-normalised value, or linear), then every column
// is standardised with the training mean and standard deviation.
type transform struct {
	Lo         []float64 `json:"lo,omitempty"`
	Hi         []float64 `json:"hi,omitempty"`
	Box        string    `json:"box,omitempty"`
	XMean      []float64 `json:"x_mean"`
	XStd       []float64 `json:"x_std"`
	YMean      []float64 `json:"y_mean"`
	YStd       []float64 `json:"y_std"`
	NoiseStd   []float64 `json:"noise_std,omitempty"` // Observation noise per output, standardised units.
	BoxEpsilon float64   `json:"box_epsilon,omitempty"`
}

func newTransform(c Config, x, y [][]float64) (*transform, error) {
	t := &transform{Lo: c.Lo, Hi: c.Hi, Box: c.BoxTransform, BoxEpsilon: DefaultBoxEps}
	if c.Lo == nil {
		t.Box = ""
	}
	n, m := len(x[0]), len(y[0])
	boxed := make([][]float64, len(x))
	for i, r := range x {
		boxed[i] = make([]float64, n)
		t.boxMap(r, boxed[i])
	}
	var err error
	if t.XMean, t.XStd, err = columnStats(boxed); err != nil {
		return nil, fmt.Errorf("inn: parameter %w", err)
	}
	if t.YMean, t.YStd, err = columnStats(y); err != nil {
		return nil, fmt.Errorf("inn: output %w", err)
	}
	if modelsNoise(c.ObsNoise) {
		t.NoiseStd = make([]float64, m)
		for j := range t.NoiseStd {
			s := c.ObsNoise[0]
			if len(c.ObsNoise) == m {
				s = c.ObsNoise[j]
			}
			t.NoiseStd[j] = s / t.YStd[j]
		}
	}
	return t, nil
}

func columnStats(rows [][]float64) (mean, std []float64, err error) {
	d := len(rows[0])
	mean = make([]float64, d)
	std = make([]float64, d)
	for _, r := range rows {
		for j, v := range r {
			mean[j] += v
		}
	}
	for j := range mean {
		mean[j] /= float64(len(rows))
	}
	for _, r := range rows {
		for j, v := range r {
			std[j] += (v - mean[j]) * (v - mean[j])
		}
	}
	for j := range std {
		std[j] = math.Sqrt(std[j] / float64(len(rows)))
		if !(std[j] > 1e-12*math.Max(1, math.Abs(mean[j]))) {
			return nil, nil, fmt.Errorf("column %d is constant (%g) in the training data: it carries no information; remove it", j, mean[j])
		}
	}
	return mean, std, nil
}

// boxMap applies the box map to one parameter vector (identity without a box).
func (t *transform) boxMap(x, dst []float64) {
	for j, v := range x {
		if t.Box == "" {
			dst[j] = v
			continue
		}
		u := (v - t.Lo[j]) / (t.Hi[j] - t.Lo[j])
		if t.Box == BoxLinear {
			dst[j] = u
			continue
		}
		u = math.Min(math.Max(u, t.BoxEpsilon), 1-t.BoxEpsilon)
		dst[j] = math.Log(u / (1 - u))
	}
}

// xToNet maps parameters in original units to standardised network units.
func (t *transform) xToNet(x, dst []float64) {
	t.boxMap(x, dst)
	for j := range dst {
		dst[j] = (dst[j] - t.XMean[j]) / t.XStd[j]
	}
}

// xFromNet maps standardised network units back to original units.
func (t *transform) xFromNet(s, dst []float64) {
	for j, v := range s {
		b := v*t.XStd[j] + t.XMean[j]
		switch t.Box {
		case "":
			dst[j] = b
		case BoxLinear:
			dst[j] = t.Lo[j] + b*(t.Hi[j]-t.Lo[j])
		default:
			// Logistic, written to stay finite for large |b|.
			var u float64
			if b >= 0 {
				u = 1 / (1 + math.Exp(-b))
			} else {
				e := math.Exp(b)
				u = e / (1 + e)
			}
			dst[j] = t.Lo[j] + u*(t.Hi[j]-t.Lo[j])
		}
	}
}

func (t *transform) yToNet(y, dst []float64) {
	for j, v := range y {
		dst[j] = (v - t.YMean[j]) / t.YStd[j]
	}
}

func (t *transform) yFromNet(s, dst []float64) {
	for j, v := range s {
		dst[j] = v*t.YStd[j] + t.YMean[j]
	}
}
