package inn

import "fmt"

// layout fixes where each quantity sits in the flow's D columns.
//
// Bidirectional: input  [x (n) | ε (noise) | pad]   output [y (m) | z (k) | pad]
// Conditional:   input  [x (n) | pad]               output z (D), condition y (m)
//
// ε is the standardised observation noise when it is modelled (noise = m):
// the forward map (x, ε) → y + σε is then deterministic, as the bidirectional
// network needs.
type layout struct {
	Recipe Recipe
	N, M   int // Parameters and outputs.
	K      int // Latent width (bidirectional).
	Noise  int // Modelled noise inputs (bidirectional): m when ObsNoise > 0, else 0.
	D      int // Flow width.
}

func newLayout(c Config, n, m int) (layout, error) {
	l := layout{Recipe: c.Recipe, N: n, M: m}
	if c.Recipe == Conditional {
		l.D = max(n, 2)
		if c.Width > 0 {
			if c.Width < n {
				return l, fmt.Errorf("inn: flow width %d is below the %d parameters", c.Width, n)
			}
			l.D = max(c.Width, 2)
		}
		l.K = l.D
		return l, nil
	}
	if modelsNoise(c.ObsNoise) {
		l.Noise = m
	}
	in := n + l.Noise
	l.K = c.LatentDim
	if l.K == 0 {
		l.K = max(in-m, 1)
	}
	l.D = max(in, m+l.K, 2)
	if c.Width > 0 {
		if c.Width < l.D {
			return l, fmt.Errorf("inn: flow width %d cannot hold %d inputs (parameters and noise) and %d outputs + %d latent", c.Width, in, m, l.K)
		}
		l.D = c.Width
	}
	return l, nil
}

func modelsNoise(s []float64) bool {
	for _, v := range s {
		if v > 0 {
			return true
		}
	}
	return false
}

// inWidth is the width of the meaningful input side (parameters and modelled noise).
func (l layout) inWidth() int { return l.N + l.Noise }

// padIn is the number of padding columns on the input side.
func (l layout) padIn() int { return l.D - l.inWidth() }

// padOut is the number of padding columns on the output side (bidirectional).
func (l layout) padOut() int {
	if l.Recipe == Conditional {
		return 0
	}
	return l.D - l.M - l.K
}
