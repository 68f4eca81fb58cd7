package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// Exit reports a command's error and returns its exit status: 0 for none
// and for -h (the flag package has already printed the usage), 1 otherwise,
// after printing "name: err" to w.
func Exit(name string, err error, w io.Writer) int {
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	default:
		fmt.Fprintf(w, "%s: %v\n", name, err)
		return 1
	}
}
