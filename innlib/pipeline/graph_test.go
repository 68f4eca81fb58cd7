package pipeline

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestGraphOrder checks that every job starts after its dependencies are
// done, that no more jobs run at once than there are slots, and that a free
// slot goes to the ready job added first.
func TestGraphOrder(t *testing.T) {
	for _, slots := range []int{1, 2, 3} {
		g := newGraph(slots)
		var (
			mu      sync.Mutex
			order   []string
			running atomic.Int32
			most    atomic.Int32
		)
		step := func(name string) func() error {
			return func() error {
				if n := running.Add(1); n > most.Load() {
					most.Store(n)
				}
				time.Sleep(5 * time.Millisecond)
				mu.Lock()
				order = append(order, name)
				mu.Unlock()
				running.Add(-1)
				return nil
			}
		}
		// a and b are ready at once, c needs a, d needs b and c, e is ready at once.
		a := g.add("a", "s", nil, step("a"))
		b := g.add("b", "s", nil, step("b"))
		c := g.add("c", "s", []*job{a, nil}, step("c"))
		g.add("d", "s", []*job{b, c}, step("d"))
		g.add("e", "s", nil, step("e"))
		if err := g.run(); err != nil {
			t.Fatal(err)
		}
		pos := map[string]int{}
		for i, n := range order {
			pos[n] = i
		}
		if len(order) != 5 || pos["c"] < pos["a"] || pos["d"] < pos["b"] || pos["d"] < pos["c"] {
			t.Errorf("%d slots: order %v", slots, order)
		}
		if int(most.Load()) > slots {
			t.Errorf("%d slots: %d jobs ran at once", slots, most.Load())
		}
		// One slot: a, b and e are ready at once and take it in the order
		// they were added; c (added before e) becomes ready after a, so after
		// b (added before c) it is next, before e.
		if slots == 1 && fmt.Sprint(order) != "[a b c d e]" {
			t.Errorf("one slot: order %v, want [a b c d e]", order)
		}
		if g.seconds("none") != 0 {
			t.Error("a span without jobs has a time")
		}
	}
}

// TestGraphFailure checks that a failing job stops the graph: its dependents
// and the jobs waiting for a slot never run, the running ones finish before
// run returns, and the error names the failed job.
func TestGraphFailure(t *testing.T) {
	g := newGraph(2)
	boom := errors.New("boom")
	var slowDone, ran atomic.Bool
	started := make(chan struct{})
	slow := g.add("slow", "s", nil, func() error {
		close(started)
		time.Sleep(50 * time.Millisecond)
		slowDone.Store(true)
		return nil
	})
	bad := g.add("bad job, case x", "s", nil, func() error {
		<-started
		return fmt.Errorf("pipeline: %w", boom)
	})
	after := g.add("after", "s", []*job{bad}, func() error { ran.Store(true); return nil })
	waiting := g.add("waiting", "s", nil, func() error { ran.Store(true); return nil })
	err := g.run()
	if !errors.Is(err, boom) || err.Error() != "pipeline: bad job, case x: boom" {
		t.Errorf("error %q, want the failed job named", err)
	}
	if ran.Load() {
		t.Error("a job ran after the failure")
	}
	if !slowDone.Load() || slow.err != nil {
		t.Errorf("run returned before the running job finished (%v)", slow.err)
	}
	for _, j := range []*job{after, waiting} {
		select {
		case <-j.done:
		default:
			t.Errorf("job %s not done", j.name)
		}
		if j.err == nil {
			t.Errorf("job %s has no error", j.name)
		}
	}

	// A job that needs a job which failed in an earlier graph fails, naming it.
	h := newGraph(1)
	h.add("later", "s", []*job{bad}, func() error { ran.Store(true); return nil })
	if err := h.run(); !errors.Is(err, boom) || !strings.Contains(err.Error(), "bad job, case x") || ran.Load() {
		t.Errorf("dependency failed earlier: %v (ran %v)", err, ran.Load())
	}
}

// TestRunJobFails checks that a job failing in the middle of Run stops it
// with the job named, and leaves no results behind.
func TestRunJobFails(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a model")
	}
	dir := t.TempDir()
	cfg := quickConfig(dir)
	cfg.MCMC.C2ST.Folds = 1 // C2ST refuses it, so every comparison fails.
	_, _, err := Run(toyInputs(t), cfg)
	if err == nil || !strings.Contains(err.Error(), "pipeline: comparing ") || !strings.Contains(err.Error(), ", case ") || !strings.Contains(err.Error(), "1 folds") {
		t.Fatalf("Run with a failing comparison: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "results.json")); err == nil {
		t.Error("a failed run left results.json")
	}
}

// TestRunMatchesStages checks that Run, whose jobs run concurrently in
// whatever order the cores allow, gives the results of the stages run one
// after another (toyExperiment), all but the times.
func TestRunMatchesStages(t *testing.T) {
	if testing.Short() {
		t.Skip("trains models")
	}
	x := toyExperiment(t, "calibrate")
	if err := x.report(); err != nil {
		t.Fatal(err)
	}
	res, _, err := Run(toyInputs(t), toyConfig(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	if !(res.Timing.Training > 0 && res.Timing.MCMC > 0 && res.Timing.Total >= res.Timing.Training && res.Timing.Total >= res.Timing.MCMC) {
		t.Errorf("timing %+v", res.Timing)
	}
	// The job timeline: in the order the jobs started, each inside the run,
	// every job once.
	seen := map[string]bool{}
	for i, j := range res.Timing.Jobs {
		if seen[j.Name] || j.Start < 0 || j.Seconds < 0 || j.Start+j.Seconds > res.Timing.Total || i > 0 && j.Start < res.Timing.Jobs[i-1].Start {
			t.Errorf("job %d of the timeline: %+v (after %+v; total %.3f s)", i, j, res.Timing.Jobs[max(i-1, 0)], res.Timing.Total)
		}
		seen[j.Name] = true
	}
	for _, name := range []string{"training inn", "MCMC on the emulator, every case", "MCMC on the INN's forward pass, cases synthetic-1", "calibration pass bounds", "calibration of cinn"} {
		if !seen[name] {
			t.Errorf("no job %q in the timeline %+v", name, res.Timing.Jobs)
		}
	}
	a, b := untimed(t, x.res), untimed(t, res)
	if a != b {
		i := 0
		for i < min(len(a), len(b)) && a[i] == b[i] {
			i++
		}
		t.Errorf("Run's results differ from the stages' at %q, want %q", b[max(i-200, 0):min(i+200, len(b))], a[max(i-200, 0):min(i+200, len(a))])
	}
}

// untimed returns res as JSON without the times and the creation date.
func untimed(t *testing.T, res *Results) string {
	t.Helper()
	js, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(js, &v); err != nil {
		t.Fatal(err)
	}
	var strip func(v any) any
	strip = func(v any) any {
		switch v := v.(type) {
		case map[string]any:
			for k := range v {
				switch k {
				case "timing", "seconds", "train_seconds", "created":
					delete(v, k)
				default:
					v[k] = strip(v[k])
				}
			}
		case []any:
			for i := range v {
				v[i] = strip(v[i])
			}
		}
		return v
	}
	out, err := json.Marshal(strip(v))
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// TestPlanOrder checks that Run plans every stage once, and each after the
// stages whose jobs it needs.
func TestPlanOrder(t *testing.T) {
	pos := map[string]int{}
	for i, name := range planOrder {
		if _, dup := pos[name]; dup {
			t.Errorf("stage %s planned twice", name)
		}
		pos[name] = i
		stageNamed(name) // Panics for a name that is no stage.
	}
	for _, s := range stages {
		if _, ok := pos[s.name]; !ok {
			t.Errorf("stage %s never planned", s.name)
		}
	}
	needs := map[string][]string{"forward": {"train"}, "invert": {"train"}, "mcmc": {"train"}, "calibrate": {"train"},
		"compare": {"invert", "mcmc"}, "best fit": {"invert", "mcmc"}}
	for s, before := range needs {
		for _, b := range before {
			if pos[b] > pos[s] {
				t.Errorf("stage %s planned before %s, whose jobs it needs", s, b)
			}
		}
	}
}
