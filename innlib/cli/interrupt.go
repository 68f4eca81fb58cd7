package cli

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// onInterrupt makes Ctrl-C (SIGINT) and SIGTERM end a run with a message
// that says what became of the output folder, instead of Go's silent exit.
// A run writes into its staging folder and replaces the previous results
// only in its last step (package pipeline), so they are still there; the
// next run into dir removes what this one left, or finishes the replacement
// when the signal came during it. The returned function removes the handler.
func onInterrupt(dir string, w io.Writer, exit func(code int)) (stop func()) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case s := <-ch:
			fmt.Fprintf(w, "interrupted (%v): %s keeps the previous run's results; the next run into it removes what this one left (or finishes replacing them, if this run was in its last step)\n", s, dir)
			exit(130) // 128 + SIGINT, as shells report it.
		case <-done:
		}
	}()
	return func() {
		signal.Stop(ch)
		close(done)
	}
}
