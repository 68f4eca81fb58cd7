package inn

import "fmt"

// FineTune returns a copy of m trained further on (x, y), starting from m's
// weights, for epochs epochs at learning rate lr (the schedule of
// m's TrainConfig), with (xVal, yVal) choosing the kept epoch; m itself is
// unchanged. The copy keeps m's standardisation, box map and noise model, so
// data from a part of the box are read as m reads them.
//
// This is the refinement round of truncated sequential neural posterior
// estimation (Deistler et al. 2022): train the amortized conditional flow a
// little more on runs drawn uniformly from the part of the prior box where
// its posterior for one observation has its mass, simulated (or emulated).
// The refined flow is for that observation; the amortized one stays valid for
// every other.
func (m *Model) FineTune(x, y, xVal, yVal [][]float64, epochs int, lr float64, seed uint64) (*Model, error) {
	n, o := m.lay.N, m.lay.M
	for _, d := range []struct {
		name string
		rows [][]float64
		cols int
	}{{"x", x, n}, {"y", y, o}, {"validation x", xVal, n}, {"validation y", yVal, o}} {
		if err := checkMatrix("FineTune "+d.name, d.rows, d.cols); err != nil {
			return nil, err
		}
	}
	if len(x) != len(y) || len(xVal) != len(yVal) {
		return nil, fmt.Errorf("inn: FineTune: x/y rows differ: training %d vs %d, validation %d vs %d", len(x), len(y), len(xVal), len(yVal))
	}
	if len(x) < 2 || len(xVal) < 2 {
		return nil, fmt.Errorf("inn: FineTune: need at least 2 training and 2 validation rows, got %d and %d", len(x), len(xVal))
	}
	if epochs < 1 || !(lr > 0) {
		return nil, fmt.Errorf("inn: FineTune: %d epochs at learning rate %v; want at least 1 and a rate > 0", epochs, lr)
	}
	cfg := m.cfg
	if cfg.Lo != nil {
		if err := checkInBox("FineTune x", x, cfg.Lo, cfg.Hi); err != nil {
			return nil, err
		}
		if err := checkInBox("FineTune validation x", xVal, cfg.Lo, cfg.Hi); err != nil {
			return nil, err
		}
	}
	cfg.Train.Epochs, cfg.Train.LearningRate, cfg.Train.Seed = epochs, lr, seed
	// The source's progress bar and epoch callback describe its own training.
	cfg.Train.OnEpoch, cfg.Train.Progress = nil, nil
	c, err := newModel(cfg, m.lay, m.tf)
	if err != nil {
		return nil, err
	}
	p, err := m.net.Params()
	if err != nil {
		return nil, fmt.Errorf("inn: FineTune: reading the weights: %w", err)
	}
	if err := c.net.SetPerms(m.net.Perms()); err != nil {
		return nil, fmt.Errorf("inn: FineTune: %w", err)
	}
	if err := c.net.SetParams(p); err != nil {
		return nil, fmt.Errorf("inn: FineTune: %w", err)
	}
	if err := newTrainer(c, x, y, xVal, yVal).run(); err != nil {
		return nil, err
	}
	return c, nil
}
