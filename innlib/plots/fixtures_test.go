package plots

import (
	"math"
	"math/rand/v2"
)

// Small synthetic inputs shared by the tests (fixed seeds: deterministic).

var elmParams = []Param{
	{"rootb_par", "m-1", 0.5, 4.5},
	{"slatop", "m2 gC-1", 0.01, 0.05},
	{"flnr", "gN gN-1", 0.05, 0.25},
	{"frootcn", "gC gN-1", 25, 65},
	{"froot_leaf", "", 0.3, 1.8},
	{"br_mr", "umol m-2 s-1", 1, 4},
	{"crit_dayl", "s", 36000, 43000},
	{"crit_onset_gdd", "degree-days", 100, 900},
}

func midpoints(ps []Param, shift float64) []float64 {
	out := make([]float64, len(ps))
	for j, p := range ps {
		out[j] = p.Lo + (0.5+shift)*(p.Hi-p.Lo)
	}
	return out
}

// posterior draws n samples around the box centre (sd 5% of the box), with
// slatop and flnr correlated so the joint panel has a tilted ridge.
func posterior(seed uint64, n int, ps []Param, shift float64) [][]float64 {
	r := rand.New(rand.NewPCG(seed, 1))
	c := midpoints(ps, shift)
	out := make([][]float64, n)
	for k := range out {
		row := make([]float64, len(ps))
		z0 := r.NormFloat64()
		for j, p := range ps {
			z := r.NormFloat64()
			if j == 2 {
				z = 0.9*z0 + math.Sqrt(1-0.81)*z
			}
			if j == 1 {
				z = z0
			}
			row[j] = c[j] + 0.05*(p.Hi-p.Lo)*z
		}
		out[k] = row
	}
	return out
}

func predictive(seed uint64, n int, base []float64) [][]float64 {
	r := rand.New(rand.NewPCG(seed, 2))
	out := make([][]float64, n)
	for k := range out {
		out[k] = make([]float64, len(base))
		for t, b := range base {
			out[k][t] = b + 3*r.NormFloat64()
		}
	}
	return out
}

func emulationPanels(n int) []EmulationPanel {
	r := rand.New(rand.NewPCG(3, 3))
	var ps []EmulationPanel
	for y := 2006; y <= 2010; y++ {
		m, e := make([]float64, n), make([]float64, n)
		val := make([]bool, n)
		for k := range m {
			m[k] = 35 + 50*r.Float64()
			e[k] = m[k] + 2*r.NormFloat64()
			val[k] = k%5 == 0
		}
		ps = append(ps, EmulationPanel{Label: itoa(y), Model: m, Emulator: e, R2: 0.97, Validation: val})
	}
	return ps
}

func itoa(i int) string {
	const digits = "0123456789"
	if i == 0 {
		return "0"
	}
	s := ""
	for ; i > 0; i /= 10 {
		s = string(digits[i%10]) + s
	}
	return s
}

func moons(n int) (data [][]float64, labels []int) {
	r := rand.New(rand.NewPCG(4, 4))
	for k := range n {
		t := math.Pi * r.Float64()
		if k%2 == 0 {
			data = append(data, []float64{math.Cos(t) + 0.08*r.NormFloat64(), math.Sin(t) + 0.08*r.NormFloat64()})
		} else {
			data = append(data, []float64{1 - math.Cos(t) + 0.08*r.NormFloat64(), 0.5 - math.Sin(t) + 0.08*r.NormFloat64()})
		}
		labels = append(labels, k%2)
	}
	return data, labels
}

func gaussian2(seed uint64, n int) [][]float64 {
	r := rand.New(rand.NewPCG(seed, 5))
	out := make([][]float64, n)
	for k := range out {
		out[k] = []float64{r.NormFloat64(), r.NormFloat64()}
	}
	return out
}

// allFigures builds one figure of each kind (for render tests and the demo).
func allFigures() (map[string]*Figure, error) {
	figs := map[string]*Figure{}
	truth := midpoints(elmParams, 0.02)
	var err error
	figs["marginals"], err = PosteriorMarginals(MarginalsInput{
		Title: "Posterior marginals (synthetic case)", Params: elmParams, Truth: truth,
		Methods: []MethodSamples{
			{Name: "INN", Samples: posterior(1, 2000, elmParams, 0), MAP: midpoints(elmParams, 0.01)},
			{Name: "cINN", Samples: posterior(3, 2000, elmParams, -0.01), MAP: midpoints(elmParams, -0.012)},
			{Name: "MCMC", Samples: posterior(2, 2000, elmParams, 0.01), MAP: midpoints(elmParams, 0.015)},
		},
		Joint: &Joint{X: 1, Y: 2},
	})
	if err != nil {
		return nil, err
	}
	years := []int{2006, 2007, 2008, 2009, 2010}
	base := []float64{55, 60, 52, 58, 61}
	figs["predictive"], err = PosteriorPredictive(PredictiveInput{
		Title: "Posterior predictive LH", Years: years, Observed: []float64{56, 59, 53, 57, 62},
		Methods: []PredictiveMethod{
			{Name: "INN", Samples: predictive(5, 500, base), MAP: base},
			{Name: "cINN", Samples: predictive(7, 500, base), MAP: []float64{56, 59, 51, 57, 62}},
			{Name: "MCMC", Samples: predictive(6, 500, base), MAP: []float64{54, 61, 52, 58, 60}},
		},
	})
	if err != nil {
		return nil, err
	}
	figs["emulation"], err = EmulationScatter(EmulationInput{Title: "Forward emulation", Panels: emulationPanels(200)})
	if err != nil {
		return nil, err
	}
	n := 60
	tr, va, t2, v2 := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range n {
		tr[i] = 2 * math.Exp(-float64(i)/15)
		va[i] = tr[i]*1.1 + 0.01*float64(i)/float64(n)
		t2[i] = 0.5 * math.Exp(-float64(i)/25)
		v2[i] = t2[i] * 1.2
	}
	figs["training"], err = TrainingCurves(TrainingInput{Title: "Training", BestEpoch: 42,
		Terms: []LossTerm{{Name: "MSE(y)", Train: tr, Valid: va}, {Name: "MMD(z)", Train: t2, Valid: v2}}})
	if err != nil {
		return nil, err
	}
	levels := []float64{0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9}
	emp := make([]float64, len(levels))
	for i, l := range levels {
		emp[i] = l * 0.9
	}
	figs["coverage"], err = CoverageCurves(CoverageInput{Title: "Coverage", Trials: 200,
		Curves: []CoverageCurve{{Name: "slatop", Nominal: levels, Empirical: emp}, {Name: "flnr", Nominal: levels, Empirical: levels}}})
	if err != nil {
		return nil, err
	}
	r := rand.New(rand.NewPCG(7, 7))
	ranks := make([][]int, 300)
	for s := range ranks {
		ranks[s] = make([]int, len(elmParams))
		for j := range ranks[s] {
			ranks[s][j] = r.IntN(100)
		}
	}
	names := make([]string, len(elmParams))
	for j, p := range elmParams {
		names[j] = p.Name
	}
	figs["sbc"], err = SBCHistograms(SBCInput{Title: "SBC ranks", Params: names, Ranks: ranks, L: 99})
	if err != nil {
		return nil, err
	}
	data, labels := moons(400)
	figs["moons"], err = FlowPicture(FlowInput{Title: "Two moons through a flow", Data: data, Labels: labels,
		Latent: gaussian2(8, 400), Generated: gaussian2(9, 400)})
	if err != nil {
		return nil, err
	}
	return figs, nil
}
