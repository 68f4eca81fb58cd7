package inn

import (
	"math"
	"strings"
	"testing"

	"github.com/ozarkinn/inn/innlib/lingauss"
)

// FineTune continues training from the model's weights and leaves the model
// as it was. On the linear-Gaussian problem a conditional flow trained for 3
// epochs on 400 runs has a rough posterior; fine-tuned for 20 epochs on 4000
// more, its posterior mean for an observation is nearer the exact one, in
// exact posterior sds (averaged over the 4 parameters; 4000 draws, so the
// means' own noise is about 0.016 sd).
func TestFineTune(t *testing.T) {
	p := lingauss.Default()
	x, y := p.Sample(400, 1, false)
	cfg := Config{Recipe: Conditional, ObsNoise: []float64{p.Sigma}, Flow: tinyConfig(Conditional).Flow,
		Train: TrainConfig{Epochs: 3, BatchSize: 32, Seed: 5}}
	m, err := Train(x, y, cfg)
	if err != nil {
		t.Fatal(err)
	}
	obs := []float64{0.7, -0.4}
	before, _ := m.Posterior(obs, 4000, 9)
	x2, y2 := p.Sample(4400, 2, false)
	ft, err := m.FineTune(x2[:4000], y2[:4000], x2[4000:], y2[4000:], 20, 1e-3, 3)
	if err != nil {
		t.Fatal(err)
	}
	after, _ := m.Posterior(obs, 4000, 9)
	assertIdentical(t, "the fine-tuned model's source posterior", before, after)
	tuned, err := ft.Posterior(obs, 4000, 9)
	if err != nil {
		t.Fatal(err)
	}
	mean, cov, _ := p.Posterior(obs)
	dist := func(s [][]float64) float64 {
		d := 0.0
		for j := range mean {
			mu := 0.0
			for _, r := range s {
				mu += r[j] / float64(len(s))
			}
			d += math.Abs(mu-mean[j]) / math.Sqrt(cov[j][j]) / float64(len(mean))
		}
		return d
	}
	t.Logf("posterior mean error in sds: amortized %.3f, fine-tuned %.3f", dist(before), dist(tuned))
	if dist(tuned) > 0.7*dist(before) || dist(tuned) > 0.15 {
		t.Errorf("fine-tuned posterior mean %.3f sds from the exact one, amortized %.3f", dist(tuned), dist(before))
	}
	if ft.Config().Train.Epochs != 20 || len(ft.History().Epochs) == 0 {
		t.Errorf("fine-tuned config %+v, %d epochs of history", ft.Config().Train, len(ft.History().Epochs))
	}
}

func TestFineTuneBadInput(t *testing.T) {
	x, y, lo, hi := boxData(60)
	cfg := tinyConfig(Conditional)
	cfg.Lo, cfg.Hi = lo, hi
	m, err := Train(x, y, cfg)
	if err != nil {
		t.Fatal(err)
	}
	out := cloneRows(x)
	out[3][0] = hi[0] + 1
	for _, c := range []struct {
		name         string
		x, y, xv, yv [][]float64
		epochs       int
		lr           float64
		want         string
	}{
		{"no epochs", x, y, x, y, 0, 1e-3, "0 epochs"},
		{"no rate", x, y, x, y, 2, 0, "learning rate 0"},
		{"rows", x[:10], y, x, y, 2, 1e-3, "rows differ"},
		{"columns", y, y, x, y, 2, 1e-3, "FineTune x"},
		{"outside the box", out, y, x, y, 2, 1e-3, "FineTune x"},
	} {
		if _, err := m.FineTune(c.x, c.y, c.xv, c.yv, c.epochs, c.lr, 1); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want one containing %q", c.name, err, c.want)
		}
	}
}
