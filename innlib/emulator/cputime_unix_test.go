//go:build unix

package emulator

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time (user + system) the process has used so
// far, so that a benchmark can also report what a step costs in CPU, which
// other processes on a shared machine disturb far less than wall time.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
