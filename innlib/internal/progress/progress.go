// Package progress draws the one-line progress bar of innlib's training
// loops (package inn, package emulator) on a writer such as os.Stderr. A nil
// *Bar does nothing, so a loop calls it unconditionally:
//
//	bar := progress.New(cfg.Progress, epochs, "training") // nil writer: nil bar
//	for epoch := range epochs {
//		...
//		bar.Step(fmt.Sprintf("loss %.3g", loss))
//	}
//	bar.Finish()
package progress

import (
	"io"
	"time"

	"github.com/schollz/progressbar/v3"
)

// Bar counts steps (epochs) towards a total, showing a description that
// changes at each step. It redraws at most every 200 ms and clears itself
// when finished.
type Bar struct{ b *progressbar.ProgressBar }

// New returns a bar of total steps on w, or nil when w is nil.
func New(w io.Writer, total int, desc string) *Bar {
	if w == nil {
		return nil
	}
	return &Bar{progressbar.NewOptions(total, progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(desc), progressbar.OptionShowCount(),
		progressbar.OptionSetWidth(20), progressbar.OptionThrottle(200*time.Millisecond),
		progressbar.OptionClearOnFinish())}
}

// Step sets the description and counts one step.
func (b *Bar) Step(desc string) {
	if b == nil {
		return
	}
	b.b.Describe(desc)
	_ = b.b.Add(1)
}

// Finish completes the bar and clears it.
func (b *Bar) Finish() {
	if b == nil {
		return
	}
	_ = b.b.Finish()
}
