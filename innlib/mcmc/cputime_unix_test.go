//go:build unix

package mcmc

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time (user + system) the process has used so
// far: benchmarks report it per operation, since other processes on a
// shared machine disturb it far less than wall time.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
