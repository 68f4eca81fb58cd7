package metrics

import (
	"errors"
	"math"
	"strings"
	"testing"
)

// Every entry point rejects empty, ragged, mismatched and non-finite input
// with an error of the right kind whose message names the function and the
// offending argument.
func TestBadInput(t *testing.T) {
	nan := math.NaN()
	v3 := []float64{1, 2, 3}
	m := [][]float64{{1, 2}, {3, 4}, {5, 7}}
	ragged := [][]float64{{1, 2}, {3}}
	withNaN := [][]float64{{1, 2}, {3, nan}}
	wrap := func(f func() (float64, error)) func() error { return func() error { _, err := f(); return err } }
	wrapS := func(f func() ([]float64, error)) func() error { return func() error { _, err := f(); return err } }
	for _, c := range []struct {
		name string
		call func() error
		want error
		says string // Must appear in the message.
	}{
		{"R2 empty", wrap(func() (float64, error) { return R2(nil, nil) }), ErrEmpty, "metrics.R2: obs"},
		{"R2 lengths", wrap(func() (float64, error) { return R2(v3, v3[:2]) }), ErrShape, "obs has 3 values, sim has 2"},
		{"RMSE NaN", wrap(func() (float64, error) { return RMSE(v3, []float64{1, nan, 3}) }), ErrNotFinite, "sim[1] = NaN"},
		{"NRMSE Inf", wrap(func() (float64, error) { return NRMSE([]float64{math.Inf(-1)}, v3[:1]) }), ErrNotFinite, "obs[0] = -Inf"},
		{"NRMSERange box length", wrap(func() (float64, error) { return NRMSERange(v3, v3, v3[:2], v3[:2]) }), ErrShape, "bounds have 2 values, want 3"},
		{"R2Columns ragged", wrapS(func() ([]float64, error) { return R2Columns(nil, ragged, ragged) }), ErrShape, "obs row 1 has 1 values"},
		{"Means NaN", wrapS(func() ([]float64, error) { return Means(nil, withNaN) }), ErrNotFinite, "x[1][1] = NaN"},
		{"Means empty", wrapS(func() ([]float64, error) { return Means(nil, [][]float64{}) }), ErrEmpty, "no rows"},
		{"Column index", wrapS(func() ([]float64, error) { return Column(nil, m, 2) }), ErrDomain, "column 2 of 2"},
		{"Wasserstein1 empty", wrap(func() (float64, error) { return Wasserstein1(v3, nil) }), ErrEmpty, "b"},
		{"Wasserstein1 NaN", wrap(func() (float64, error) { return Wasserstein1([]float64{nan}, v3) }), ErrNotFinite, "a[0]"},
		{"Wasserstein1Columns columns", wrapS(func() ([]float64, error) {
			return Wasserstein1Columns(nil, m, [][]float64{{1}}, nil, nil)
		}), ErrShape, "a has 2 columns, b has 1"},
		{"Wasserstein1Range", wrap(func() (float64, error) { return Wasserstein1Range(v3, v3, 1, 1) }), ErrDomain, "range"},
		{"KS2 NaN", func() error { _, _, err := KS2(v3, []float64{nan}); return err }, ErrNotFinite, "b[0]"},
		{"Pearson lengths", wrap(func() (float64, error) { return Pearson(v3, v3[:1]) }), ErrShape, "x has 3 values, y has 1"},
		{"ZScores truth", wrapS(func() ([]float64, error) { return ZScores(nil, m, v3) }), ErrShape, "truth 3 values"},
		{"Contraction ragged", wrapS(func() ([]float64, error) { return Contraction(nil, ragged, v3) }), ErrShape, "post row 1"},
		{"Rank truth", func() error { _, err := Rank(nil, v3, m); return err }, ErrShape, "truth has 3 values, draws 2 columns"},
		{"Rank dst", func() error { _, err := Rank(make([]int, 1), v3[:2], m); return err }, ErrShape, "dst has length 1"},
		{"Quantiles no p", wrapS(func() ([]float64, error) { return Quantiles(nil, nil, v3) }), ErrEmpty, "no probabilities"},
		{"JointMode few draws", wrapS(func() ([]float64, error) { return JointMode(nil, m[:2]) }), ErrEmpty, "need more draws"},
		{"ScaledMMD ragged", func() error { _, err := ScaledMMD(m, ragged, nil); return err }, ErrShape, "y row 1"},
	} {
		err := c.call()
		if !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
			continue
		}
		if !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: message %q does not say %q", c.name, err, c.says)
		}
	}
}
