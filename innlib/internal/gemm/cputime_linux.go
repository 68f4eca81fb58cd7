package gemm

import (
	"time"

	"golang.org/x/sys/unix"
)

// threadTime returns the CPU time of the calling thread: the peak loop is
// timed by it, so that other processes sharing the core do not lower it.
func threadTime() time.Duration {
	var ts unix.Timespec
	if unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts) != nil {
		return wallTime()
	}
	return time.Duration(ts.Nano())
}
