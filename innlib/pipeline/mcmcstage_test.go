package pipeline

import (
	"path/filepath"
	"testing"

	"github.com/ozarkinn/inn/innlib/emulator"
)

// TestSurrogateProbe checks the MCMC cache's probe of the emulator: the same
// after a save and load (so -reuse finds the cached chains), different for an
// emulator that computes another function.
func TestSurrogateProbe(t *testing.T) {
	x := make([][]float64, 41) // 41 rows in calls of 8: a short last call.
	y := make([][]float64, 41)
	for i := range x {
		a, b := float64(i%7)/7, float64(i%5)/5
		x[i], y[i] = []float64{a, b}, []float64{a + b, a * b}
	}
	train := func(seed uint64) *emulator.MLP {
		m, err := emulator.Train(x[:30], y[:30], x[30:], y[30:], emulator.Config{Layers: 2, Width: 8, Epochs: 3, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	m := train(1)
	p1, err := surrogateProbe(m, x, 8)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "mlp.ckpt")
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	loaded, err := emulator.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if p2, err := surrogateProbe(loaded, x, 8); err != nil || p2 != p1 {
		t.Errorf("probe after save and load %s (%v), before %s", p2, err, p1)
	}
	if p3, err := surrogateProbe(train(2), x, 8); err != nil || p3 == p1 {
		t.Errorf("another emulator gave the same probe %s (%v)", p3, err)
	}
	// The probe hashes outputs, not weights: the same emulator at other
	// points, or without the last point, gives another probe.
	if p4, err := surrogateProbe(m, x[:40], 8); err != nil || p4 == p1 {
		t.Errorf("probe without the last row %s (%v), with it %s", p4, err, p1)
	}
	// The batch size does not change the outputs.
	if p5, err := surrogateProbe(m, x, 7); err != nil || p5 != p1 {
		t.Errorf("probe in calls of 7 rows %s (%v), of 8 rows %s", p5, err, p1)
	}
}
