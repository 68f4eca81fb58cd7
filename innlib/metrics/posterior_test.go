package metrics

import (
	"errors"
	"testing"
)

// Hand case: column 0 = 1,3,5 has variance 4; its prior box [0, 12] has
// variance 144/12 = 12, so contraction = 1 − 4/12 = 2/3. Column 1 =
// 0,10,20 has variance 100 > prior variance 6²/12 = 3: clipped to 0.
// z-scores: (3 − 2)/2 = 0.5 and (10 − 0)/10 = 1.
func TestContractionZScoreHand(t *testing.T) {
	post := [][]float64{{1, 0}, {3, 10}, {5, 20}}
	pv, err := UniformVariances(nil, []float64{0, 0}, []float64{12, 6})
	if err != nil {
		t.Fatal(err)
	}
	nearAll(t, "UniformVariances", pv, []float64{12, 3}, 1e-14)
	c, err := Contraction(nil, post, pv)
	if err != nil {
		t.Fatal(err)
	}
	nearAll(t, "Contraction", c, []float64{2.0 / 3, 0}, 1e-14)
	z, err := ZScores(nil, post, []float64{2, 0})
	if err != nil {
		t.Fatal(err)
	}
	nearAll(t, "ZScores", z, []float64{0.5, 1}, 1e-14)
}

func TestPosteriorBadInput(t *testing.T) {
	post := [][]float64{{1, 0}, {3, 10}}
	if _, err := Contraction(nil, post, []float64{1}); !errors.Is(err, ErrShape) {
		t.Errorf("short priorVar: err = %v, want ErrShape", err)
	}
	if _, err := Contraction(nil, post, []float64{1, 0}); !errors.Is(err, ErrDomain) {
		t.Errorf("zero prior variance: err = %v, want ErrDomain", err)
	}
	if _, err := Contraction(nil, post[:1], []float64{1, 1}); !errors.Is(err, ErrEmpty) {
		t.Errorf("one draw: err = %v, want ErrEmpty", err)
	}
	if _, err := ZScores(nil, [][]float64{{1, 2}, {1, 3}}, []float64{0, 0}); !errors.Is(err, ErrDomain) {
		t.Errorf("constant column: err = %v, want ErrDomain", err)
	}
}
