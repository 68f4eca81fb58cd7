package toy

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Smooth is a small smooth simulator for testing calibration end to end
// without downloading data: 3 parameters (a, b, c) in a box and Outputs
// outputs y_1..y_m, a curve over t_k = (k−1)/(m−1):
//
//	y_k = exp(a/2)·(1 − t_k) + b·t_k + c·sin(π t_k)
//
// Every parameter moves the outputs by a comparable amount over its box
// (a at t = 0, b at t = 1, c in the middle), so all three are identified
// from m ≥ 3 outputs; a enters nonlinearly.
//
//	s := toy.Smooth{Outputs: 7}
//	x, y := s.Sample(400, 1) // runs drawn uniformly from the box
type Smooth struct {
	Outputs int // Number of outputs, at least 3.
}

// SmoothLo and SmoothHi are the box Sample draws from: a ∈ [0, 2],
// b ∈ [1, 3], c ∈ [−1, 1].
var (
	SmoothLo = []float64{0, 1, -1}
	SmoothHi = []float64{2, 3, 1}
)

// Names returns the parameter names (a, b, c) and the output names (y1..ym).
func (s Smooth) Names() (params, outputs []string) {
	outputs = make([]string, s.Outputs)
	for k := range outputs {
		outputs[k] = fmt.Sprintf("y%d", k+1)
	}
	return []string{"a", "b", "c"}, outputs
}

// Apply returns the outputs at parameters x = (a, b, c).
func (s Smooth) Apply(x []float64) []float64 {
	if len(x) != 3 || s.Outputs < 3 {
		panic(fmt.Sprintf("toy: Smooth with %d outputs at %d parameters: want at least 3 outputs and 3 parameters", s.Outputs, len(x)))
	}
	y := make([]float64, s.Outputs)
	for k := range y {
		t := float64(k) / float64(s.Outputs-1)
		y[k] = math.Exp(x[0]/2)*(1-t) + x[1]*t + x[2]*math.Sin(math.Pi*t)
	}
	return y
}

// Sample draws n parameter sets uniformly from the box and returns them with
// their outputs (noise-free, as a deterministic simulator gives them).
func (s Smooth) Sample(n int, seed uint64) (x, y [][]float64) {
	rng := rand.New(rand.NewPCG(seed, 0x736d6f6f))
	x, y = make([][]float64, n), make([][]float64, n)
	for i := range x {
		x[i] = make([]float64, 3)
		for j := range x[i] {
			x[i][j] = SmoothLo[j] + rng.Float64()*(SmoothHi[j]-SmoothLo[j])
		}
		y[i] = s.Apply(x[i])
	}
	return x, y
}
