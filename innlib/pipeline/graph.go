package pipeline

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// The stages' work runs as jobs of a graph: each job starts when the jobs it
// needs are done, so that work which does not need the bidirectional INN
// (the MCMC runs on the MLP emulator, the conditional flow's refinement
// rounds, its sampling and comparisons, its calibration) runs while the INN
// trains. Each job computes into its own place in the experiment and keeps
// its own seeded generator, so the numbers do not depend on the order in
// which jobs run; the stages' record steps then write the results in stage
// order once every job is done (run.go).

// job is one piece of a stage's work.
type job struct {
	name  string // Names the job in errors and timing.jobs, e.g. "refining the conditional flow, case observed".
	stage string // The stage it belongs to (stageHook).
	// timing are the spans its run counts toward (graph.seconds).
	timing []string
	deps   []*job // Done before it starts; nil entries are ready.
	run    func() error
	done   chan struct{} // Closed when the job finished, failed or was skipped.
	err    error         // Set before done is closed.
}

// errSkipped marks a job that never ran because another failed.
var errSkipped = errors.New("skipped: the run stopped")

// graph runs jobs, each as soon as its dependencies are done, with at most
// slots running at once. Every job is heavy enough to keep a core busy
// (training, sampling, MCMC, C2ST); some use GOMAXPROCS goroutines for a
// part of their time, so slots = GOMAXPROCS keeps the cores busy without
// piling up runnable goroutines. A free slot goes to the ready job added
// first: the stages add their jobs in the order they should have the cores
// (the INN's training, the longest, first of all).
type graph struct {
	slots int
	jobs  []*job

	mu      sync.Mutex
	spans   map[string]*span // Keyed by timing name.
	ranJobs []ranJob         // The jobs that ran, in the order they finished.
}

// ranJob is when a job ran.
type ranJob struct {
	name   string
	t0, t1 time.Time
}

// span is the wall time from the first start to the last end of its jobs.
type span struct{ start, end time.Time }

func newGraph(slots int) *graph {
	return &graph{slots: max(slots, 1), spans: map[string]*span{}}
}

// add adds a job to run once deps are done; it starts with graph.run. Its
// running time counts toward each of the timing spans.
func (g *graph) add(name, stage string, deps []*job, run func() error, timing ...string) *job {
	j := &job{name: name, stage: stage, timing: timing, deps: deps, run: run, done: make(chan struct{})}
	g.jobs = append(g.jobs, j)
	return j
}

// run runs every job and returns when all are done. When a job fails, the
// jobs that have not started are skipped, those running finish, and run
// returns the first failure, naming the job.
func (g *graph) run() error {
	var (
		pending  = slices.Clone(g.jobs)
		running  int
		finished = make(chan *job)
		started  = map[string]bool{} // Stages whose first job started.
		first    error
	)
	for {
		// Start the ready jobs, in the order they were added, while there
		// are free slots.
		for i := 0; first == nil && running < g.slots && i < len(pending); {
			j := pending[i]
			ready, err := j.ready()
			if !ready {
				i++
				continue
			}
			pending = slices.Delete(pending, i, i+1)
			if err != nil { // A dependency failed in an earlier graph.
				j.err, first = err, err
				close(j.done)
				continue
			}
			running++
			hook := !started[j.stage]
			started[j.stage] = true
			go func() {
				if hook && stageHook != nil {
					stageHook(j.stage)
				}
				t0 := time.Now()
				if err := j.run(); err != nil {
					j.err = &jobError{job: j.name, err: err}
				}
				g.ran(j, t0, time.Now())
				finished <- j
			}()
		}
		if running == 0 {
			break
		}
		j := <-finished
		running--
		close(j.done)
		if j.err != nil && first == nil {
			first = j.err
		}
	}
	for _, j := range pending {
		j.err = errSkipped
		close(j.done)
	}
	if first == nil && len(pending) > 0 {
		return fmt.Errorf("pipeline: %d jobs never became ready (first %q): a dependency outside the graph", len(pending), pending[0].name)
	}
	return first
}

// ready says whether j's dependencies are done, and returns the error of
// one that failed.
func (j *job) ready() (bool, error) {
	for _, d := range j.deps {
		if d == nil {
			continue
		}
		select {
		case <-d.done:
			if d.err != nil {
				return true, &jobError{job: j.name, err: d.err}
			}
		default:
			return false, nil
		}
	}
	return true, nil
}

func (g *graph) ran(j *job, t0, t1 time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.ranJobs = append(g.ranJobs, ranJob{j.name, t0, t1})
	for _, k := range j.timing {
		s := g.spans[k]
		if s == nil {
			g.spans[k] = &span{t0, t1}
			continue
		}
		if t0.Before(s.start) {
			s.start = t0
		}
		if t1.After(s.end) {
			s.end = t1
		}
	}
}

// seconds is the wall time of a timing span so far: from the first start to
// the last end of its jobs; 0 when none ran.
func (g *graph) seconds(key string) float64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	if s := g.spans[key]; s != nil {
		return s.end.Sub(s.start).Seconds()
	}
	return 0
}

// jobError is a job's failure, naming the job.
type jobError struct {
	job string
	err error
}

func (e *jobError) Error() string {
	var inner *jobError
	if errors.As(e.err, &inner) { // A failed dependency names itself.
		return e.err.Error()
	}
	return "pipeline: " + e.job + ": " + strings.TrimPrefix(e.err.Error(), "pipeline: ")
}

func (e *jobError) Unwrap() error { return e.err }

// caseJob names a job for one case.
func caseJob(what string, c Case) string { return what + ", case " + c.Name }
