package pipeline

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ozarkinn/inn/innlib/dataset"
	"github.com/ozarkinn/inn/innlib/metrics"
)

// gaussDraws returns n draws of (u, ρu + √(1−ρ²)v) + shift with u, v
// independent standard normals.
func gaussDraws(n int, rho float64, shift []float64, seed uint64) [][]float64 {
	rng := rand.New(rand.NewPCG(seed, 1))
	out := make([][]float64, n)
	for i := range out {
		u, v := rng.NormFloat64(), rng.NormFloat64()
		out[i] = []float64{u + shift[0], rho*u + math.Sqrt(1-rho*rho)*v + shift[1]}
	}
	return out
}

// TestCompareDraws checks the comparison's figures on Gaussians whose
// distances are known: W1 between N(0,1) and N(1,1) is 1 (0.1 of a box 10
// wide) and their KS distance 2Φ(0.5) − 1 = 0.383; draws of one
// distribution are close on every figure.
func TestCompareDraws(t *testing.T) {
	e := &dataset.Ensemble{ParamNames: []string{"p", "q"}, Lo: []float64{-5, -5}, Hi: []float64{5, 5}}
	ref := gaussDraws(3000, 0.8, []float64{0, 0}, 1)
	same, err := compareDraws("a", "b", gaussDraws(3000, 0.8, []float64{0, 0}, 2), ref, e, 1000, metrics.C2STConfig{}, 3)
	if err != nil {
		t.Fatal(err)
	}
	if same.MaxW1 > 0.01 || same.KS[0] > 0.05 || same.C2ST > 0.56 || same.MMD > 0.01 {
		t.Errorf("one distribution: max W1/width %g, KS %v, C2ST %g, MMD %g", same.MaxW1, same.KS, same.C2ST, same.MMD)
	}
	if same.CorrPair != [2]string{"p", "q"} || math.Abs(same.CorrRecipe-0.8) > 0.03 || math.Abs(same.CorrReference-0.8) > 0.03 {
		t.Errorf("correlation of %v: %g and %g, want 0.8", same.CorrPair, same.CorrRecipe, same.CorrReference)
	}
	shifted, err := compareDraws("a", "b", gaussDraws(3000, 0.8, []float64{1, 0}, 2), ref, e, 1000, metrics.C2STConfig{}, 3)
	if err != nil {
		t.Fatal(err)
	}
	// Standard errors at 3000 draws: W1 about 0.003 of the width, KS about 0.015.
	if math.Abs(shifted.W1Range[0]-0.1) > 0.01 || shifted.W1Range[1] > 0.01 || math.Abs(shifted.KS[0]-0.383) > 0.05 {
		t.Errorf("shifted by 1 in p: W1/width %v, KS %v; want 0.1 and 0.383 in p", shifted.W1Range, shifted.KS)
	}
	if shifted.C2ST < 0.6 || shifted.MMD < 5*same.MMD {
		t.Errorf("shifted by 1 sd: C2ST %g, MMD %g (unshifted %g)", shifted.C2ST, shifted.MMD, same.MMD)
	}
	// The paper's pair is compared where the ensemble has it.
	e.ParamNames = []string{"flnr", "slatop"}
	if c, _ := compareDraws("a", "b", ref, ref, e, 200, metrics.C2STConfig{}, 3); c.CorrPair != [2]string{"slatop", "flnr"} {
		t.Errorf("pair %v, want slatop and flnr", c.CorrPair)
	}
}

// TestCompareStage checks which posteriors the stage compares and that each
// comparison is the one compareDraws gives for its draws and seed.
func TestCompareStage(t *testing.T) {
	x := toyExperiment(t, "mcmc")
	if err := x.compare(); err != nil {
		t.Fatal(err)
	}
	for i, c := range x.res.Cases {
		got := [][2]string{}
		for _, cmp := range c.Comparisons {
			got = append(got, [2]string{cmp.Recipe, cmp.Reference})
		}
		want := [][2]string{{RecipeINN, RecipeMCMC}, {RecipeCINN, RecipeMCMC}, {RecipeINN, ReferenceINNSurrogate}}
		if len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
			t.Fatalf("case %s compares %v, want %v", c.Name, got, want)
		}
		if i == 1 {
			cmp, err := compareDraws(RecipeCINN, RecipeMCMC, x.draws[RecipeCINN][1], x.draws[RecipeMCMC][1], x.in.Train,
				x.cfg.MCMC.CompareDraws, x.cfg.MCMC.C2ST, x.cfg.Seed+311)
			if err != nil || cmp.C2ST != c.Comparisons[1].C2ST || cmp.W1Range[2] != c.Comparisons[1].W1Range[2] {
				t.Errorf("case %s cINN vs MCMC: stage %+v, direct %+v (%v)", c.Name, c.Comparisons[1], cmp, err)
			}
		}
	}
}
