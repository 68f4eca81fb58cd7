package kde

import "math"

// Bandwidth is a rule for the kernel width: the kernel covariance is the
// sample covariance times Factor(n, d)².
type Bandwidth int

const (
	Scott     Bandwidth = iota // n^(−1/(d+4)); scipy's and seaborn's default
	Silverman                  // (n(d+2)/4)^(−1/(d+4)); in 1-D 1.06 × Scott
)

// Factor returns the rule's scale factor for n points in d dimensions. Any
// value other than Silverman is Scott.
func (b Bandwidth) Factor(n, d int) float64 {
	fn, fd := float64(n), float64(d)
	if b == Silverman {
		return math.Pow(fn*(fd+2)/4, -1/(fd+4))
	}
	return math.Pow(fn, -1/(fd+4))
}
