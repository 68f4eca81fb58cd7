package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"testing"
)

// -h is a success; any other error is reported with the command's name.
func TestExit(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	help := fs.Parse([]string{"-h"})
	var w strings.Builder
	if c := Exit("x", help, &w); c != 0 || w.Len() != 0 {
		t.Errorf("-h: exit %d, printed %q", c, w.String())
	}
	if c := Exit("x", nil, &w); c != 0 {
		t.Errorf("no error: exit %d", c)
	}
	if c := Exit("x", fmt.Errorf("reading: %w", errors.New("boom")), &w); c != 1 || w.String() != "x: reading: boom\n" {
		t.Errorf("error: exit %d, printed %q", c, w.String())
	}
}
