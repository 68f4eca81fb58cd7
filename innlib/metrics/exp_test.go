package metrics

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

type gen func(r *rand.Rand) []float64

func draw(r *rand.Rand, n int, g gen) [][]float64 {
	s := make([][]float64, n)
	for i := range s {
		s[i] = g(r)
	}
	return s
}

func TestExpC2ST(t *testing.T) {
	d := 8
	std := func(r *rand.Rand) []float64 {
		v := make([]float64, d)
		for j := range v {
			v[j] = r.NormFloat64()
		}
		return v
	}
	shiftAll := func(r *rand.Rand) []float64 {
		v := std(r)
		for j := range v {
			v[j] += 1 / math.Sqrt(8)
		}
		return v
	}
	corr := func(r *rand.Rand) []float64 {
		v := std(r)
		v[2] = 0.6*v[1] + 0.8*v[2]
		return v
	}
	scale := func(r *rand.Rand) []float64 {
		v := std(r)
		v[0] *= 1.5
		return v
	}
	// Bayes for corr: LLR = log N(v; Σ) - log N(v; I) on (v1,v2)
	llrCorr := func(v []float64) float64 {
		a, b := v[1], v[2]
		rho := 0.6
		det := 1 - rho*rho
		q := (a*a - 2*rho*a*b + b*b) / det
		return -0.5*math.Log(det) - 0.5*q + 0.5*(a*a+b*b)
	}
	llrScale := func(v []float64) float64 {
		a := v[0]
		return -math.Log(1.5) - 0.5*a*a/2.25 + 0.5*a*a
	}
	bayes := func(gx, gy gen, llr func([]float64) float64) float64 {
		r := rand.New(rand.NewPCG(9, 9))
		c := 0
		N := 200000
		for range N {
			if llr(gx(r)) < 0 {
				c++
			}
			if llr(gy(r)) > 0 {
				c++
			}
		}
		return float64(c) / float64(2*N)
	}
	cases := []struct {
		name  string
		gy    gen
		bayes float64
	}{
		{"same", std, 0.5},
		{"shift", shiftAll, 0.6915},
		{"corr", corr, bayes(std, corr, llrCorr)},
		{"scale", scale, bayes(std, scale, llrScale)},
	}
	for _, c := range cases {
		r := rand.New(rand.NewPCG(1, 2))
		x := draw(r, 1600, std)
		y := draw(r, 1600, c.gy)
		for _, cfg := range []C2STConfig{
			{}, {ValFraction: -1, MaxEpochs: 60}, {Seed: 7},
		} {
			t0 := time.Now()
			res, err := C2ST(x, y, cfg)
			if err != nil {
				t.Fatal(err)
			}
			fmt.Printf("%-6s bayes %.3f batch %3d max %3d: acc %.3f epochs %v  %v\n", c.name, c.bayes, cfg.Batch, cfg.MaxEpochs, res.Accuracy, res.Epochs, time.Since(t0).Round(time.Millisecond))
		}
	}
}
