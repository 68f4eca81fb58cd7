package pipeline

import (
	"bufio"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// quickConfig runs the toy experiment in a few seconds: few epochs and
// samples, no refinement, no calibration, short chains.
func quickConfig(dir string) Config {
	cfg := toyConfig(dir)
	cfg.INN.Train.Epochs, cfg.CINN.Train.Epochs, cfg.MLP.Epochs = 3, 3, 30
	cfg.Samples, cfg.MAPDraws, cfg.FitSteps = 300, 100, 10
	cfg.Refine.Skip, cfg.Calibration.Skip = true, true
	cfg.MCMC.Paper.Steps, cfg.MCMC.Paper.BurnIn = 400, 200
	cfg.MCMC.Reference.Steps, cfg.MCMC.Reference.BurnIn = 600, 300
	cfg.MCMC.INNSurrogate = false
	return cfg
}

// deadPID returns the pid of a process that has exited.
func deadPID(t *testing.T) int {
	t.Helper()
	c := exec.Command("true")
	if err := c.Run(); err != nil {
		t.Skip("no true(1):", err)
	}
	return c.Process.Pid
}

// TestRunFolderLock checks that a second run into a held folder fails at
// once naming the first, and that a run that finds what a dead run left
// (its lock record, staging folder and temporary files) cleans it up and
// says so.
func TestRunFolderLock(t *testing.T) {
	dir := t.TempDir()
	a, err := openRunFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	_, err = openRunFolder(dir)
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), fmt.Sprintf("pid %d on ", os.Getpid())) || !strings.Contains(err.Error(), os.Args[0]) {
		t.Errorf("second run: %v, want ErrLocked naming pid %d and the command", err, os.Getpid())
	}
	if time.Since(t0) > 5*time.Second {
		t.Errorf("the second run waited %v for the lock instead of failing at once", time.Since(t0))
	}
	a.close()

	// What a killed run leaves: its record in the lock file, its staging
	// folder, a temporary file of an atomic write.
	pid := deadPID(t)
	lock := fmt.Sprintf(`{"pid":%d,"host":"h","started":"2026-01-01T00:00:00Z","command":"ozark -out x"}`, pid)
	stale := filepath.Join(dir, stagingPrefix+strconv.Itoa(pid))
	for _, p := range []string{filepath.Join(stale, "models"), filepath.Join(dir, "samples")} {
		if err := os.MkdirAll(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for p, text := range map[string]string{filepath.Join(dir, lockName): lock, filepath.Join(stale, "results.json"): "{}",
		filepath.Join(dir, ".results.json.tmp-123"): "x", filepath.Join(dir, "samples", ".a.csv.tmp-9"): "x"} {
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := openRunFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer b.close()
	found := strings.Join(b.found, "\n")
	if !strings.Contains(found, fmt.Sprintf("did not finish (pid %d on h", pid)) || !strings.Contains(found, "removed "+filepath.Base(stale)) {
		t.Errorf("found %q, want the dead run named and its staging folder removed", found)
	}
	for _, p := range []string{stale, filepath.Join(dir, ".results.json.tmp-123"), filepath.Join(dir, "samples", ".a.csv.tmp-9")} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s left behind", p)
		}
	}
}

// TestCommit checks that a commit replaces the previous results as a whole
// (entries the new run does not write go), that CheckRun notices a changed
// file, and that a replacement cut short is finished by the next run.
func TestCommit(t *testing.T) {
	dir := t.TempDir()
	write := func(root string, files map[string]string) {
		for p, text := range files {
			p = filepath.Join(root, p)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	run := func(files map[string]string) {
		f, err := openRunFolder(dir)
		if err != nil {
			t.Fatal(err)
		}
		write(f.staging, files)
		if err := f.commit(&Manifest{Run: f.owner}); err != nil {
			t.Fatal(err)
		}
		f.close()
	}
	write(dir, map[string]string{"notes.txt": "the user's"})
	run(map[string]string{"results.json": "1", "figures/sbc.html": "old", "models/mlp.ckpt": "m1"})
	run(map[string]string{"results.json": "2", "models/mlp.ckpt": "m2"})
	m, err := CheckRun(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Files) != 2 || m.Files[0].Path != "models/mlp.ckpt" {
		t.Errorf("manifest lists %+v", m.Files)
	}
	for p, want := range map[string]string{"results.json": "2", "models/mlp.ckpt": "m2", "notes.txt": "the user's"} {
		if b, err := os.ReadFile(filepath.Join(dir, p)); err != nil || string(b) != want {
			t.Errorf("%s: %q (%v), want %q", p, b, err, want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "figures")); err == nil {
		t.Error("the previous run's figures were left behind")
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), stagingPrefix) || strings.HasPrefix(e.Name(), oldPrefix) {
			t.Errorf("%s left behind", e.Name())
		}
	}
	write(dir, map[string]string{"results.json": "3"})
	if _, err := CheckRun(dir); err == nil || !strings.Contains(err.Error(), "results.json changed") {
		t.Errorf("changed results.json: %v", err)
	}

	// Cut short after two of the moves: no manifest in dir, the new
	// results.json in place, the rest still staged.
	pid := deadPID(t)
	staging := filepath.Join(dir, stagingPrefix+strconv.Itoa(pid))
	write(staging, map[string]string{"results.json": "4", "samples/a.csv": "s4"})
	if err := writeManifest(staging, &Manifest{}); err != nil {
		t.Fatal(err)
	}
	old := filepath.Join(dir, oldPrefix+strconv.Itoa(pid))
	os.MkdirAll(old, 0o755)
	for _, mv := range [][2]string{{filepath.Join(dir, ManifestName), filepath.Join(old, ManifestName)},
		{filepath.Join(dir, "results.json"), filepath.Join(old, "results.json")},
		{filepath.Join(staging, "results.json"), filepath.Join(dir, "results.json")}} {
		if err := os.Rename(mv[0], mv[1]); err != nil {
			t.Fatal(err)
		}
	}
	f, err := openRunFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	f.close()
	if !strings.Contains(strings.Join(f.found, "\n"), "killed while replacing the results; its replacement was finished") {
		t.Errorf("found %q", f.found)
	}
	if m, err := CheckRun(dir); err != nil || len(m.Files) != 2 {
		t.Errorf("after the finished replacement: %v, %+v", err, m)
	}
	if _, err := os.Stat(filepath.Join(dir, "models")); err == nil {
		t.Error("the replaced run's models were left behind")
	}
}

// TestOutputFolderChecks checks the folder checks made before training: an
// empty name, a folder that cannot be written, too little free space.
func TestOutputFolderChecks(t *testing.T) {
	if _, err := openRunFolder(""); err == nil || !strings.Contains(err.Error(), "no output folder") {
		t.Errorf("empty folder name: %v", err)
	}
	dir := t.TempDir()
	if err := checkWritable(dir, 1<<62); err == nil || !strings.Contains(err.Error(), "MiB free, a run needs at least") {
		t.Errorf("4 EiB needed: %v", err)
	}
	if os.Getuid() != 0 { // root writes anywhere.
		ro := filepath.Join(dir, "ro")
		os.Mkdir(ro, 0o555)
		if _, err := openRunFolder(ro); err == nil || !strings.Contains(err.Error(), "not writable") {
			t.Errorf("read-only folder: %v", err)
		}
	}
}

// childEnv makes the test binary run TestChildRun: one toy run into the
// folder it names, reusing the models saved there, which sleeps as the MCMC
// stage starts so that the parent can act while it runs.
const childEnv = "INNLIB_PIPELINE_TEST_CHILD"

func TestChildRun(t *testing.T) {
	dir := os.Getenv(childEnv)
	if dir == "" {
		t.Skip("run by TestKillDuringMCMC")
	}
	stageHook = func(s string) {
		fmt.Printf("stage %s\n", s)
		if s == "mcmc" {
			time.Sleep(time.Minute)
		}
	}
	cfg := quickConfig(dir)
	cfg.Reuse = true
	if _, _, err := Run(toyInputs(t), cfg); err != nil {
		t.Fatal(err)
	}
}

// TestKillDuringMCMC kills a run (SIGKILL, then SIGINT) in its MCMC stage
// and checks that the previous results stay intact and consistent, that a
// second run started meanwhile fails at once naming the first, and that the
// next run reports the interrupted one, cleans up after it and replaces the
// results as a whole (the previous run's extra figure goes).
func TestKillDuringMCMC(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a model")
	}
	dir := t.TempDir()
	cfg := quickConfig(dir)
	cfg.MCMC.Skip = true
	cfg.Finish = func(d string) error {
		os.MkdirAll(filepath.Join(d, "figures"), 0o755)
		return os.WriteFile(filepath.Join(d, "figures", "sbc.html"), []byte("<html>"), 0o644)
	}
	if _, _, err := Run(toyInputs(t), cfg); err != nil {
		t.Fatal(err)
	}
	before, err := CheckRun(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, sig := range []syscall.Signal{syscall.SIGKILL, syscall.SIGINT} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestChildRun$", "-test.v")
		cmd.Env = append(os.Environ(), childEnv+"="+dir)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = cmd.Stdout
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		var lines []string
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines = append(lines, sc.Text())
			if sc.Text() == "stage mcmc" {
				break
			}
		}
		if len(lines) == 0 || lines[len(lines)-1] != "stage mcmc" {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("the child run never reached the MCMC stage:\n%s", strings.Join(lines, "\n"))
		}
		// A second run now fails at once, naming the first.
		_, _, err = Run(toyInputs(t), quickConfig(dir))
		if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), fmt.Sprintf("pid %d on ", cmd.Process.Pid)) {
			t.Errorf("second run during the first: %v, want ErrLocked naming pid %d", err, cmd.Process.Pid)
		}
		cmd.Process.Signal(sig)
		go func() { // Drain, so that the child never blocks on its output.
			for sc.Scan() {
			}
		}()
		if err := cmd.Wait(); err == nil {
			t.Fatalf("%v: the child run finished", sig)
		}
		if _, err := os.Stat(filepath.Join(dir, stagingPrefix+strconv.Itoa(cmd.Process.Pid))); err != nil {
			t.Errorf("%v: the child run left no staging folder: was it past its staging?", sig)
		}
		after, err := CheckRun(dir)
		if err != nil {
			t.Fatalf("%v: previous results not intact: %v", sig, err)
		}
		if fmt.Sprint(after.Files) != fmt.Sprint(before.Files) {
			t.Errorf("%v: the files changed:\n%v\nbefore:\n%v", sig, after.Files, before.Files)
		}
	}

	// The next run says what happened and replaces the results.
	var log strings.Builder
	cfg = quickConfig(dir)
	cfg.Reuse, cfg.MCMC.Skip, cfg.Log = true, true, &log
	res, _, err := Run(toyInputs(t), cfg)
	if err != nil {
		t.Fatal(err)
	}
	w := strings.Join(res.Warnings, "\n")
	if !strings.Contains(w, "did not finish (pid ") || !strings.Contains(w, "the unfinished files of an interrupted run") || !strings.Contains(log.String(), "warning: a previous run") {
		t.Errorf("warnings %q, log %q: want the interrupted run reported", w, log.String())
	}
	if _, err := CheckRun(dir); err != nil {
		t.Error(err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if n := e.Name(); n == "figures" || strings.HasPrefix(n, stagingPrefix) || strings.HasPrefix(n, oldPrefix) {
			t.Errorf("%s left behind", n)
		}
	}
}

// TestImplausibleObservation runs a case whose observation lies far outside
// every training run's outputs: the run warns before it trains and finishes,
// the MAP falling back from the KDE mode where the draws pile up on an edge.
func TestImplausibleObservation(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a model")
	}
	in := toyInputs(t)
	in.Cases[2].Obs = []float64{500, 500, 500, 500}
	var log strings.Builder
	cfg := quickConfig(t.TempDir())
	cfg.Log = &log
	res, _, err := Run(in, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log.String(), "case observed: observed y1 = 500 lies outside the training runs' range") {
		t.Errorf("log %q: want a warning about the observation", log.String())
	}
	for _, p := range res.Cases[2].Posteriors {
		if len(p.MAP) != 3 || p.MAPPredR2 != nil { // R² across four equal observations is undefined.
			t.Errorf("%s: MAP %v (%s), R² %v", p.Recipe, p.MAP, p.MAPMethod, p.MAPPredR2)
		}
	}
}

// TestMAPFallback checks that draws with a constant column (a posterior
// piled on a box edge) get the per-parameter median as MAP, said so in
// map_method, instead of failing on the KDE's covariance.
func TestMAPFallback(t *testing.T) {
	in := toyInputs(t)
	sm := summariser{ens: in.Train, mapDraws: 200, seed: 1,
		predict: func(x [][]float64) ([][]float64, error) {
			out := make([][]float64, len(x))
			for i := range x {
				out[i] = []float64{1, 2, 3, 4}
			}
			return out, nil
		}}
	s := make([][]float64, 300)
	for i := range s {
		s[i] = []float64{in.Train.Hi[0], 1.5 + float64(i%7)/10, 0.2 + float64(i%11)/50}
	}
	ps, _, _, err := sm.summarise(RecipeCINN, s, nil, in.Cases[2])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(ps.MAPMethod, MAPFallback) || !strings.Contains(ps.MAPMethod, "not positive definite") {
		t.Errorf("map method %q", ps.MAPMethod)
	}
	if ps.MAP[0] != in.Train.Hi[0] || ps.MAP[1] != 1.8 || math.Abs(ps.MAP[2]-0.3) > 1e-12 {
		t.Errorf("MAP %v, want the medians [%g 1.8 0.3]", ps.MAP, in.Train.Hi[0])
	}
}
