package pipeline

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"
)

// progress renders the state of concurrent training runs on one line,
// refreshed at most every interval.
type progress struct {
	w        io.Writer
	mu       sync.Mutex
	state    map[string]string
	last     time.Time
	interval time.Duration
}

func newProgress(w io.Writer) *progress {
	return &progress{w: w, state: map[string]string{}, interval: 2 * time.Second}
}

// update records a model's status and prints the line if enough time passed.
func (p *progress) update(name, status string) {
	if p == nil || p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.state[name] = status
	if time.Since(p.last) < p.interval {
		return
	}
	p.last = time.Now()
	p.printLocked()
}

func (p *progress) printLocked() {
	keys := make([]string, 0, len(p.state))
	for k := range p.state {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + " " + p.state[k]
	}
	fmt.Fprintf(p.w, "training: %s\n", strings.Join(parts, " | "))
}

// done prints the final state.
func (p *progress) done() {
	if p == nil || p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.printLocked()
}
