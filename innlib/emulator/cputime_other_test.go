//go:build !unix

package emulator

import "time"

// processCPU is not measured on this system; the cpu-ms metrics read 0.
func processCPU() time.Duration { return 0 }
