package inn

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ozarkinn/inn/innlib/dense"
	"github.com/ozarkinn/inn/innlib/flow"
	"github.com/ozarkinn/inn/innlib/internal/tensorutil"
	"github.com/ozarkinn/inn/innlib/lingauss"
)

// tinyConfig trains fast: for tests of plumbing, not of accuracy.
func tinyConfig(recipe Recipe) Config {
	return Config{
		Recipe: recipe,
		Flow:   flow.Config{Blocks: 2, Subnet: dense.MLPConfig{Layers: 2, Width: 16}},
		Train:  TrainConfig{Epochs: 2, BatchSize: 32, Seed: 5},
	}
}

func boxData(rows int) (x, y [][]float64, lo, hi []float64) {
	x, y, lo, hi = paperData(rows, 2)
	return x, y, lo, hi
}

func TestSaveLoadBitIdentical(t *testing.T) {
	for _, recipe := range []Recipe{Bidirectional, Conditional} {
		t.Run(string(recipe), func(t *testing.T) {
			x, y, lo, hi := boxData(300)
			cfg := tinyConfig(recipe)
			cfg.Lo, cfg.Hi = lo, hi
			cfg.ObsNoise = []float64{0.5}
			m, err := Train(x, y, cfg)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "model.inn")
			if err := m.Save(path); err != nil {
				t.Fatal(err)
			}
			m2, err := Load(path)
			if err != nil {
				t.Fatal(err)
			}
			a, err := m.Posterior(y[0], 200, 9)
			if err != nil {
				t.Fatal(err)
			}
			b, err := m2.Posterior(y[0], 200, 9)
			if err != nil {
				t.Fatal(err)
			}
			assertIdentical(t, "posterior", a, b)
			if recipe == Bidirectional {
				fa, _ := m.Forward(x[:50])
				fb, err := m2.Forward(x[:50])
				if err != nil {
					t.Fatal(err)
				}
				assertIdentical(t, "forward", fa, fb)
			}
			if len(m2.History().Epochs) != 2 || m2.Config().Train.Seed != 5 {
				t.Fatalf("history or config not restored: %d epochs, seed %d", len(m2.History().Epochs), m2.Config().Train.Seed)
			}
		})
	}
}

func assertIdentical(t *testing.T, what string, a, b [][]float64) {
	t.Helper()
	for i := range a {
		for j := range a[i] {
			if a[i][j] != b[i][j] {
				t.Fatalf("%s differs after Load at [%d][%d]: %v vs %v", what, i, j, a[i][j], b[i][j])
			}
		}
	}
}

func savedModel(t *testing.T) (string, []byte) {
	t.Helper()
	x, y, _, _ := boxData(200)
	cfg := tinyConfig(Bidirectional)
	cfg.Train.Epochs = 1
	m, err := Train(x, y, cfg)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "model.inn")
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return path, data
}

func TestLoadRejectsDamagedFiles(t *testing.T) {
	path, data := savedModel(t)
	write := func(b []byte) {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		name, want string
		data       []byte
	}{
		{"truncated", "truncated", data[:len(data)/2]},
		{"truncated header", "truncated", data[:5]},
		{"flipped byte", "checksum", flip(data, len(data)/3)},
		{"not a checkpoint", "not a checkpoint", []byte("hello world, this is not a model at all")},
		{"empty", "truncated", nil},
	} {
		write(c.data)
		_, err := Load(path)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: want an error containing %q, got %v", c.name, c.want, err)
		}
	}
	// A well-formed file whose header declares a different network than its weights.
	hlen := binary.LittleEndian.Uint64(data[len(checkpointMagic):])
	start := len(checkpointMagic) + 8
	header := string(data[start : start+int(hlen)])
	tampered := strings.Replace(header, `"Blocks":2`, `"Blocks":3`, 1)
	if tampered == header {
		t.Fatal("test setup: header has no Blocks field to tamper with")
	}
	var buf bytes.Buffer
	buf.WriteString(checkpointMagic)
	_ = binary.Write(&buf, binary.LittleEndian, uint64(len(tampered)))
	buf.WriteString(tampered)
	buf.Write(data[start+int(hlen) : len(data)-sha256.Size])
	sum := sha256.Sum256(buf.Bytes())
	buf.Write(sum[:])
	write(buf.Bytes())
	if _, err := Load(path); err == nil || !strings.Contains(err.Error(), "incompatible") {
		t.Errorf("tampered config: want an 'incompatible' error, got %v", err)
	}
}

func flip(b []byte, i int) []byte {
	c := append([]byte(nil), b...)
	c[i] ^= 0x40
	return c
}

func TestSaveIsAtomic(t *testing.T) {
	path, before := savedModel(t)
	// Saving into a directory that does not exist fails and leaves nothing behind.
	m, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(filepath.Dir(path), "missing", "model.inn")
	if err := m.Save(bad); err == nil {
		t.Fatal("save into a missing directory: want an error")
	}
	// Overwriting leaves a complete file and no temporary files.
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Fatal("saving a loaded model changed the file")
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Fatalf("directory holds %d entries after save, want only the model", len(entries))
	}
}

func TestBadInputErrors(t *testing.T) {
	x, y, lo, hi := boxData(100)
	nan := cloneRows(x)
	nan[7][3] = math.NaN()
	ragged := cloneRows(x)
	ragged[4] = ragged[4][:5]
	constant := cloneRows(y)
	for i := range constant {
		constant[i][2] = 1
	}
	outside := cloneRows(x)
	outside[9][1] = hi[1] * 2
	cfgBox := tinyConfig(Bidirectional)
	cfgBox.Lo, cfgBox.Hi = lo, hi
	for _, c := range []struct {
		name string
		x, y [][]float64
		cfg  Config
		want []string
	}{
		{"nan", nan, y, tinyConfig(Bidirectional), []string{"row 7", "column 3", "NaN"}},
		{"ragged", ragged, y, tinyConfig(Bidirectional), []string{"row 4", "5 values", "want 8"}},
		{"empty", nil, nil, tinyConfig(Bidirectional), []string{"no rows"}},
		{"rows differ", x, y[:50], tinyConfig(Bidirectional), []string{"100 rows", "50"}},
		{"constant output", x, constant, tinyConfig(Bidirectional), []string{"column 2", "constant"}},
		{"outside box", outside, y, cfgBox, []string{"column 1", "outside the prior box"}},
		{"bad recipe", x, y, Config{Recipe: "magic"}, []string{"unknown recipe"}},
		{"noise count", x, y, Config{ObsNoise: []float64{1, 2}}, []string{"observation-noise"}},
	} {
		_, err := Train(c.x, c.y, c.cfg)
		if err == nil {
			t.Errorf("%s: want an error", c.name)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not mention %q", c.name, err, w)
			}
		}
	}
	m, err := Train(x, y, cfgBox)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Posterior([]float64{1, 2}, 10, 1); err == nil || !strings.Contains(err.Error(), "want 5") {
		t.Errorf("short observation: got %v", err)
	}
	if _, err := m.Posterior([]float64{1, 2, 3, math.Inf(1), 5}, 10, 1); err == nil || !strings.Contains(err.Error(), "finite") {
		t.Errorf("infinite observation: got %v", err)
	}
	if _, err := m.Forward([][]float64{{1, 2}}); err == nil || !strings.Contains(err.Error(), "want 8") {
		t.Errorf("short parameter vector: got %v", err)
	}
	if _, err := m.Posterior(y[0], 0, 1); err == nil {
		t.Error("zero samples: want an error")
	}
	mc, err := Train(x, y, tinyConfig(Conditional))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mc.Forward(x[:2]); err == nil || !strings.Contains(err.Error(), "no forward model") {
		t.Errorf("conditional Forward: got %v", err)
	}
}

func cloneRows(a [][]float64) [][]float64 {
	out := make([][]float64, len(a))
	for i := range a {
		out[i] = append([]float64(nil), a[i]...)
	}
	return out
}

// TestBoxMap: with the logit map every posterior sample lies inside the prior
// box; with the linear map some fall outside for an observation at the edge
// of the data, and OutOfBoxFraction reports them.
// TestConfigCheck checks that Config.Check rejects, without training, the
// settings that training rejects, and accepts the ones it trains with.
func TestConfigCheck(t *testing.T) {
	const n, m = 8, 5 // 8 + 5 noise inputs need a flow at least 13 wide.
	noisy := tinyConfig(Bidirectional)
	noisy.ObsNoise = []float64{1}
	for _, c := range []struct {
		name string
		cfg  Config
		want string // "" for a valid configuration.
	}{
		{"bidirectional", tinyConfig(Bidirectional), ""},
		{"conditional", tinyConfig(Conditional), ""},
		{"noise, natural width", noisy, ""},
		{"noise, too narrow", func() Config { c := noisy; c.Width = 10; return c }(), "flow width 10"},
		{"conditional, too narrow", func() Config { c := tinyConfig(Conditional); c.Width = 6; return c }(), "flow width 6"},
		{"bad recipe", Config{Recipe: "magic"}, "unknown recipe"},
		{"noise count", Config{ObsNoise: []float64{1, 2}}, "observation-noise"},
	} {
		err := c.cfg.Check(n, m)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: error %v, want one mentioning %q", c.name, err, c.want)
		}
	}
}

func TestBoxMap(t *testing.T) {
	x, y, lo, hi := boxData(400)
	obs := []float64{40, 38, 70, 72, 80} // Far outside the data: the flow extrapolates.
	for _, box := range []string{BoxLogit, BoxLinear} {
		cfg := tinyConfig(Conditional)
		cfg.Lo, cfg.Hi, cfg.BoxTransform = lo, hi, box
		m, err := Train(x, y, cfg)
		if err != nil {
			t.Fatal(err)
		}
		s, err := m.Posterior(obs, 2000, 3)
		if err != nil {
			t.Fatal(err)
		}
		frac := m.OutOfBoxFraction(s)
		t.Logf("%s: %.1f%% of samples outside the box", box, 100*frac)
		if box == BoxLogit && frac != 0 {
			t.Errorf("logit box map: %.3f of samples outside the box, want 0", frac)
		}
		if box == BoxLinear && frac == 0 {
			t.Errorf("linear box map: no sample outside the box for an extreme observation; the check would prove nothing")
		}
	}
}

func TestTransformRoundTrip(t *testing.T) {
	x, y, lo, hi := boxData(50)
	for _, box := range []string{BoxLogit, BoxLinear, ""} {
		cfg := Config{BoxTransform: box}
		if box != "" {
			cfg.Lo, cfg.Hi = lo, hi
		}
		tf, err := newTransform(cfg, x, y)
		if err != nil {
			t.Fatal(err)
		}
		s := make([]float64, 8)
		back := make([]float64, 8)
		for _, r := range x {
			tf.xToNet(r, s)
			tf.xFromNet(s, back)
			for j := range r {
				if math.Abs(back[j]-r[j]) > 1e-9*math.Max(1, math.Abs(r[j])) {
					t.Fatalf("box %q: column %d: %g -> %g -> %g", box, j, r[j], s[j], back[j])
				}
			}
		}
		if box == BoxLogit {
			tf.xFromNet([]float64{1e3, -1e3, 40, -40, 0, 0, 0, 0}, back)
			for j, v := range back {
				if v < lo[j] || v > hi[j] || math.IsNaN(v) {
					t.Fatalf("logit map sent an extreme value outside the box: column %d = %g", j, v)
				}
			}
		}
	}
}

func TestRepeatable(t *testing.T) {
	p := lingauss.Default()
	x, y := p.Sample(300, 1, true)
	run := func() (History, [][]float64) {
		m, err := Train(x, y, tinyConfig(Bidirectional))
		if err != nil {
			t.Fatal(err)
		}
		s, err := m.Posterior([]float64{0.5, 0.5}, 20, 4)
		if err != nil {
			t.Fatal(err)
		}
		return m.History(), s
	}
	h1, s1 := run()
	h2, s2 := run()
	for i := range h1.Epochs {
		if h1.Epochs[i].Train[TermTotal] != h2.Epochs[i].Train[TermTotal] {
			t.Fatalf("epoch %d loss %v vs %v: training is not repeatable", i, h1.Epochs[i].Train[TermTotal], h2.Epochs[i].Train[TermTotal])
		}
	}
	assertIdentical(t, "posterior", s1, s2)
}

func TestSchedules(t *testing.T) {
	tr := &trainer{cfg: Config{Train: TrainConfig{Epochs: 11, LearningRate: 1e-3, LRSchedule: "cosine", MinLRFactor: 0.01},
		Loss: LossConfig{BackwardMMD: 2, BackwardRamp: "ardizzone"}}}
	if got := tr.learningRate(0); math.Abs(got-1e-3) > 1e-15 {
		t.Errorf("cosine start %g, want 1e-3", got)
	}
	if got := tr.learningRate(10); math.Abs(got-1e-5) > 1e-15 {
		t.Errorf("cosine end %g, want 1e-5", got)
	}
	if got, want := tr.learningRate(5), 1e-3*(0.01+0.99*0.5); math.Abs(got-want) > 1e-15 {
		t.Errorf("cosine middle %g, want %g", got, want)
	}
	// Ramp: 2 * min(1, 2·0.002^(1−t)), t = (epoch+1)/epochs.
	if got, want := tr.weightsFor(0, true)[TermBackwardMMD], 2*2*math.Pow(0.002, 1-1.0/11); math.Abs(got-want) > 1e-12 {
		t.Errorf("ramp at epoch 0: %g, want %g", got, want)
	}
	if got := tr.weightsFor(10, true)[TermBackwardMMD]; got != 2 {
		t.Errorf("ramp at the last epoch: %g, want the full weight 2", got)
	}
	if got := tr.weightsFor(0, false)[TermBackwardMMD]; got != 2 {
		t.Errorf("unramped weight %g, want 2", got)
	}
}

// TestLatentInvertsPosterior: the conditional flow's latent code of x, sent
// back through the inverse with the same y, returns x.
func TestLatentInvertsPosterior(t *testing.T) {
	x, y, lo, hi := boxData(200)
	cfg := tinyConfig(Conditional)
	cfg.Lo, cfg.Hi = lo, hi
	m, err := Train(x, y, cfg)
	if err != nil {
		t.Fatal(err)
	}
	z, err := m.Latent(x[:20], y[:20])
	if err != nil {
		t.Fatal(err)
	}
	d, lay := m.lay.D, m.lay
	v := make([]float64, 0, 20*d)
	cond := make([]float64, 20*lay.M)
	for i, r := range z {
		v = append(v, r...)
		m.tf.yToNet(y[i], cond[i*lay.M:(i+1)*lay.M])
	}
	u, err := m.runInverse(v, cond, 20)
	if err != nil {
		t.Fatal(err)
	}
	back := make([]float64, lay.N)
	for i := 0; i < 20; i++ {
		m.tf.xFromNet(u[i*d:i*d+lay.N], back)
		for j, want := range x[i] {
			if math.Abs(back[j]-want) > 1e-3*(hi[j]-lo[j]) {
				t.Fatalf("row %d col %d: %g after Latent and back, want %g", i, j, back[j], want)
			}
		}
	}
	if _, err := m.Latent(x[:3], y[:2]); err == nil {
		t.Error("mismatched rows: want an error")
	}
	if e, err := m.RoundTripError(x, y); err != nil || e > 1e-4 {
		t.Errorf("round-trip error %g (err %v), want <= 1e-4 in standardised units", e, err)
	}
}

// TestLogDensityIntegratesToOne: the conditional flow's density over a 2-D
// box, integrated on a fine grid, is 1 (the Jacobians of the box map and the
// standardisation are accounted for).
func TestLogDensityIntegratesToOne(t *testing.T) {
	x, label := boxMoons(400)
	cfg := tinyConfig(Conditional)
	cfg.Lo, cfg.Hi = []float64{-2, -2}, []float64{3, 2}
	m, err := Train(x, label, cfg)
	if err != nil {
		t.Fatal(err)
	}
	const n = 300
	var grid [][]float64
	dx, dy := 5.0/n, 4.0/n
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			grid = append(grid, []float64{-2 + (float64(i)+0.5)*dx, -2 + (float64(j)+0.5)*dy})
		}
	}
	ld, err := m.LogDensity(grid, []float64{0.5})
	if err != nil {
		t.Fatal(err)
	}
	total := 0.0
	for _, v := range ld {
		total += math.Exp(v) * dx * dy
	}
	// Midpoint rule on a smooth density; the mass near the box edges is
	// squeezed by the logit map, so allow 3%.
	if math.Abs(total-1) > 0.03 {
		t.Fatalf("density integrates to %.4f over the box, want 1", total)
	}
}

func boxMoons(n int) (x, y [][]float64) {
	for i := 0; i < n; i++ {
		t := math.Pi * float64(i) / float64(n)
		if i%2 == 0 {
			x = append(x, []float64{math.Cos(t), math.Sin(t)})
			y = append(y, []float64{0})
		} else {
			x = append(x, []float64{1 - math.Cos(t), 0.5 - math.Sin(t)})
			y = append(y, []float64{1})
		}
	}
	return x, y
}

// TestPaddedModelsInvert: with padding on both sides (flow wider than the
// parameters and than outputs + latent), and with a condition, the model's
// forward and inverse passes undo each other once the blocks are far from
// the identity.
func TestPaddedModelsInvert(t *testing.T) {
	x, y, lo, hi := boxData(100)
	for _, c := range []struct {
		recipe Recipe
		width  int
	}{{Bidirectional, 12}, {Conditional, 11}, {Bidirectional, 0}} {
		cfg := tinyConfig(c.recipe)
		cfg.Lo, cfg.Hi, cfg.Width = lo, hi, c.width
		cfg = cfg.WithDefaults()
		lay, err := newLayout(cfg, 8, 5)
		if err != nil {
			t.Fatal(err)
		}
		if c.width > 0 && (lay.padIn() == 0 || (c.recipe == Bidirectional && lay.padOut() == 0)) {
			t.Fatalf("%+v: no padding in layout %+v", c, lay)
		}
		tf, err := newTransform(cfg, x, y)
		if err != nil {
			t.Fatal(err)
		}
		m, err := newModel(cfg, lay, tf)
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(3, 3))
		for _, v := range m.net.Variables() {
			vals := make([]float64, v.Shape().Size())
			for i := range vals {
				vals[i] = rng.NormFloat64() * 0.2
			}
			v.MustSetValue(tensorutil.FromFloat64(m.dtype, vals, v.Shape().Dimensions...))
		}
		m.weightsChanged()
		rows := 50
		u := make([]float64, rows*lay.D)
		for i := range u {
			u[i] = rng.NormFloat64()
		}
		var cond []float64
		if c.recipe == Conditional {
			cond = make([]float64, rows*lay.M)
			for i := range cond {
				cond[i] = rng.NormFloat64()
			}
		}
		var v []float64
		if c.recipe == Conditional {
			f, err := m.fastFlow()
			if err != nil {
				t.Fatal(err)
			}
			v32, _, err := f.Forward(tensorutil.Float32s(u), tensorutil.Float32s(cond), rows)
			if err != nil {
				t.Fatal(err)
			}
			v, _ = fromF32(v32)
		} else if v, err = m.runForward(u, rows); err != nil {
			t.Fatal(err)
		}
		back, err := m.runInverse(v, cond, rows)
		if err != nil {
			t.Fatal(err)
		}
		worst, moved := 0.0, 0.0
		for i := range u {
			worst = math.Max(worst, math.Abs(back[i]-u[i]))
			moved = math.Max(moved, math.Abs(v[i]-u[i]))
		}
		if worst > 1e-4 || moved < 0.1 {
			t.Errorf("%+v: inverse error %g (want <= 1e-4), largest change %g (want >= 0.1)", c, worst, moved)
		}
	}
}
