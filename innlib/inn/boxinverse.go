package inn

import (
	"math"
	"sync"
)

// The box map's inverse, fast. logitMapInverse solves logitMap(u, w) = s by
// Newton iterations from a rough start (about ten, each with a logarithm):
// a quarter of the CPU time of 10,000 posterior draws. A logitInverter
// starts instead from a table of the solution u(s) at evenly spaced s, whose
// neighbouring entries bracket the root (u is increasing in s) and whose
// cubic Hermite interpolant is close to it (about 1e-9 for the default
// weight), and stops Newton's iterations as soon as the quadratic
// convergence bound puts the error below logitInverseTol: for the default
// weight one logarithm per value, rarely two. Values of s
// outside the table (u within logitTableEdge of the box's edges, where
// inputs are clipped anyway) start from the map's asymptote. Both agree with
// logitMapInverse to float64 round-off (TestLogitInverter).
const (
	logitTableIntervals = 1024
	logitTableEdge      = DefaultBoxEps
	// logitInverseTol bounds the error in u left after the last Newton
	// step: below the spacing of float64 values near 1 (1.1e-16).
	logitInverseTol = 1e-17
)

// logitInverter inverts logitMap for one weight w.
type logitInverter struct {
	w, s0, h, invH float64
	u, du          []float64 // u(s) and du/ds at the knots s0 + i·h
}

// logitInverters caches one logitInverter per weight (a model has one).
var logitInverters sync.Map // float64 -> *logitInverter

// inverterFor returns the cached logitInverter for weight w.
func inverterFor(w float64) *logitInverter {
	if li, ok := logitInverters.Load(w); ok {
		return li.(*logitInverter)
	}
	li, _ := logitInverters.LoadOrStore(w, newLogitInverter(w))
	return li.(*logitInverter)
}

func newLogitInverter(w float64) *logitInverter {
	top := logitMap(1-logitTableEdge, w) // the map is odd about u = ½
	li := &logitInverter{w: w, s0: -top, h: 2 * top / logitTableIntervals}
	li.invH = 1 / li.h
	li.u = make([]float64, logitTableIntervals+1)
	li.du = make([]float64, logitTableIntervals+1)
	for i := range li.u {
		u := logitMapInverse(li.s0+float64(i)*li.h, w)
		li.u[i] = u
		li.du[i] = 1 / (sqrt12 + w/(u*(1-u)))
	}
	return li
}

// inverse returns u in [0, 1] with logitMap(u, w) = s.
func (li *logitInverter) inverse(s float64) float64 {
	x := (s - li.s0) * li.invH
	if !(x >= 0 && x < logitTableIntervals) { // NaN too
		return li.tail(s)
	}
	i := int(x)
	t := x - float64(i)
	lo, hi := li.u[i], li.u[i+1]
	// Cubic Hermite interpolation between the knots.
	t2 := t * t
	t3 := t2 * t
	u := (2*t3-3*t2+1)*lo + (t3-2*t2+t)*li.h*li.du[i] + (3*t2-2*t3)*hi + (t3-t2)*li.h*li.du[i+1]
	// The table's entries carry round-off: widen the bracket by a little.
	lo, hi = math.Max(lo-1e-15, 0), math.Min(hi+1e-15, 1)
	w := li.w
	for it := 0; it < 100; it++ {
		if !(u > lo && u < hi) {
			u = 0.5 * (lo + hi)
		}
		r := 1 / (u * (1 - u))
		f := sqrt12*(u-0.5) + w*math.Log(u*u*r) - s // logitMap(u, w) − s, u/(1−u) = u²·r
		if f > 0 {
			hi = u
		} else {
			lo = u
		}
		d1 := sqrt12 + w*r          // f'
		d2 := w * (2*u - 1) * r * r // f''
		step := f / d1
		u -= step
		// After a Newton step of size δ the error is about |f''/(2f')|·δ².
		if math.Abs(d2)*step*step < 2*logitInverseTol*d1 || hi-lo < 1e-15 {
			break
		}
	}
	return math.Min(math.Max(u, 0), 1)
}

// tail solves for s beyond the table, from the asymptote of the map at the
// nearer edge: logitMap(u, w) ≈ −√12/2 + w·log(u) for small u (the map is
// odd about u = ½). NaN stays NaN.
func (li *logitInverter) tail(s float64) float64 {
	if math.IsNaN(s) {
		return logitMapInverse(s, li.w)
	}
	if s < 0 {
		return logitMapSolve(s, li.w, math.Exp((s+sqrt12/2)/li.w))
	}
	return logitMapSolve(s, li.w, 1-math.Exp(-(s-sqrt12/2)/li.w))
}
