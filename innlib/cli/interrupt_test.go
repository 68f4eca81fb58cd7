//go:build unix

package cli

import (
	"bytes"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestInterruptMessage: SIGINT during a run prints what became of the
// output folder and exits with 130; after stop, the handler is gone.
func TestInterruptMessage(t *testing.T) {
	var buf bytes.Buffer
	codes := make(chan int, 1)
	stop := onInterrupt("out/somewhere", &buf, func(code int) { codes <- code })
	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-codes:
		if code != 130 {
			t.Errorf("exit code %d, want 130", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no exit after SIGINT")
	}
	stop()
	msg := buf.String()
	for _, want := range []string{"interrupted", "out/somewhere", "previous run's results"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
}
