//go:build !linux

package gemm

import "time"

// threadTime falls back to wall time where no thread CPU clock is wired up.
func threadTime() time.Duration { return wallTime() }
