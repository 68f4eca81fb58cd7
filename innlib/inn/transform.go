package inn

import (
	"fmt"
	"math"

	"github.com/ozarkinn/inn/innlib/internal/rows"
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
	LogitW     float64   `json:"logit_weight,omitempty"` // Weight w of the logit in the box map.
}

func newTransform(c Config, x, y [][]float64) (*transform, error) {
	t := &transform{Lo: c.Lo, Hi: c.Hi, Box: c.BoxTransform, BoxEpsilon: DefaultBoxEps, LogitW: c.LogitWeight}
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
	if t.XMean, t.XStd, err = rows.Stats(boxed); err != nil {
		return nil, fmt.Errorf("inn: parameter %w", err)
	}
	if t.YMean, t.YStd, err = rows.Stats(y); err != nil {
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

// boxMap applies the box map to one parameter vector (identity without a box).
//
// The logit map is g(u) = √12·(u − ½) + w·logit(u) of the box-normalised value
// u: strictly increasing, onto the real line, so its inverse keeps every
// sample inside the box; the linear part keeps the interior nearly linear,
// where a regression of y on x is easiest (a pure logit stretches the edges of
// the box and cost the emulator accuracy).
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
		dst[j] = logitMap(u, t.LogitW)
	}
}

var sqrt12 = math.Sqrt(12)

func logitMap(u, w float64) float64 {
	return sqrt12*(u-0.5) + w*math.Log(u/(1-u))
}

// logitMapInverse solves logitMap(u, w) = s for u in [0, 1] by safeguarded
// Newton iterations (the map is increasing, so bisection always converges).
// It is the reference solve; xFromNet uses the faster logitInverter, which
// agrees with it to float64 round-off.
func logitMapInverse(s, w float64) float64 {
	// Start from the pure-logit or pure-linear solution, whichever dominates.
	u := 1 / (1 + math.Exp(-s/math.Max(w, 1e-12)))
	if lin := s/sqrt12 + 0.5; lin > 0 && lin < 1 && w < 0.5 {
		u = lin
	}
	return logitMapSolve(s, w, u)
}

// logitMapSolve is logitMapInverse from the first guess u.
func logitMapSolve(s, w, u float64) float64 {
	lo, hi := 0.0, 1.0
	for it := 0; it < 200; it++ {
		if u <= lo || u >= hi || math.IsNaN(u) {
			u = 0.5 * (lo + hi)
		}
		f := logitMap(u, w) - s
		if f > 0 {
			hi = u
		} else {
			lo = u
		}
		step := f / (sqrt12 + w/(u*(1-u)))
		// Near an edge of the box the derivative is huge and every step
		// tiny: a step counts as converged only against the distance to
		// the nearer edge (an absolute 1e-14 stopped far from the root).
		// x = lo + u·(hi − lo): 1e-15 of u is far below float32 network precision.
		edge := math.Min(u, 1-u)
		u -= step
		if math.Abs(step) < 1e-15*edge || hi <= math.Nextafter(lo, 1) {
			break
		}
	}
	return math.Min(math.Max(u, 0), 1)
}

// logJacobian returns log|det ∂x̃/∂x| of xToNet at x (diagonal map).
func (t *transform) logJacobian(x []float64) float64 {
	var s float64
	for j, v := range x {
		s -= math.Log(t.XStd[j])
		switch t.Box {
		case BoxLinear:
			s -= math.Log(t.Hi[j] - t.Lo[j])
		case BoxLogit:
			w := t.Hi[j] - t.Lo[j]
			u := math.Min(math.Max((v-t.Lo[j])/w, t.BoxEpsilon), 1-t.BoxEpsilon)
			s += math.Log((sqrt12 + t.LogitW/(u*(1-u))) / w)
		}
	}
	return s
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
	var inv *logitInverter
	if t.Box != "" && t.Box != BoxLinear { // the logit map: xFromNet's default case
		inv = inverterFor(t.LogitW)
	}
	for j, v := range s {
		b := v*t.XStd[j] + t.XMean[j]
		switch t.Box {
		case "":
			dst[j] = b
		case BoxLinear:
			dst[j] = t.Lo[j] + b*(t.Hi[j]-t.Lo[j])
		default:
			dst[j] = t.Lo[j] + inv.inverse(b)*(t.Hi[j]-t.Lo[j])
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

// yFromNet32 is yFromNet on a float32 network output.
func (t *transform) yFromNet32(s []float32, dst []float64) {
	for j, v := range s {
		dst[j] = float64(v)*t.YStd[j] + t.YMean[j]
	}
}
