package metrics

import (
	"errors"
	"math"
	"testing"
)

// Hand cases, exact: 2 of the draws 1,3,2,0 lie strictly below 2 (the tie
// does not count); 3 of 4 draws lie below 10 in column 1.
func TestRankHand(t *testing.T) {
	r, err := Rank(nil, []float64{2, 10}, [][]float64{{1, 11}, {3, 9}, {2, 9}, {0, 9}})
	if err != nil {
		t.Fatal(err)
	}
	if r[0] != 2 || r[1] != 3 {
		t.Errorf("ranks %v, want [2 3]", r)
	}
}

// Hand cases:
//   - ranks 0,1,2,3 of L = 3 in 2 bins: 2 and 2 observed, 2 and 2 expected:
//     χ² = 0, p = 1.
//   - ranks 0,0,0 of L = 2 in 2 bins of sizes 2 ({0,1}) and 1 ({2}):
//     observed 3, 0; expected 2, 1; χ² = 1/2 + 1 = 1.5 with 1 df:
//     p = erfc(√0.75) = 0.2206713619.
//   - RankKS: ranks 0,0 of L = 1: ECDF(0) = 1, F(0) = 1/2, D = 1/2.
//
// Tolerance 1e-9 (gonum's incomplete gamma).
func TestRankTestsHand(t *testing.T) {
	chi2, p, err := RankChiSquare([]int{0, 1, 2, 3}, 3, 2)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "chi2 flat", chi2, 0, 1e-15)
	near(t, "p flat", p, 1, 1e-12)
	chi2, p, _ = RankChiSquare([]int{0, 0, 0}, 2, 2)
	near(t, "chi2 unequal bins", chi2, 1.5, 1e-15)
	near(t, "p unequal bins", p, math.Erfc(math.Sqrt(0.75)), 1e-9)
	d, _, _ := RankKS([]int{0, 0}, 1)
	near(t, "RankKS D", d, 0.5, 1e-15)

	if _, _, err := RankChiSquare([]int{0, 4}, 3, 2); !errors.Is(err, ErrDomain) {
		t.Errorf("rank above L: err = %v, want ErrDomain", err)
	}
	if _, _, err := RankChiSquare([]int{0, 1}, 3, 5); !errors.Is(err, ErrDomain) {
		t.Errorf("more bins than rank values: err = %v, want ErrDomain", err)
	}
	if _, _, err := RankKS(nil, 3); !errors.Is(err, ErrEmpty) {
		t.Errorf("no ranks: err = %v, want ErrEmpty", err)
	}
}

// Hand case: draws 1..5 (unsorted), truth 2. The 50% interval is
// [Q(0.25), Q(0.75)] = [2, 4] and holds 2 (closed); the 10% interval is
// [2.8, 3.2] and does not. Calibration error: |0−0.1|, |1−0.5| -> median 0.3.
func TestCoverageHand(t *testing.T) {
	levels := []float64{0.1, 0.5}
	cov, err := Coverage(levels, [][]float64{{2}}, [][][]float64{{{5}, {1}, {3}, {2}, {4}}})
	if err != nil {
		t.Fatal(err)
	}
	nearAll(t, "coverage", cov[0], []float64{0, 1}, 0)
	ce, _ := CalibrationError(levels, cov[0])
	near(t, "calibration error", ce, 0.3, 1e-15)
	ce, _ = CalibrationError([]float64{0.1, 0.5, 0.9}, []float64{0.2, 0.5, 0.5})
	near(t, "calibration error, odd count", ce, 0.1, 1e-15)
	if l := DefaultLevels(); len(l) != 19 || l[0] != 0.05 || l[18] != 0.95 {
		t.Errorf("DefaultLevels() = %v", l)
	}
}
