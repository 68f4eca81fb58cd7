package backend

import "github.com/gomlx/gomlx/backends"

// xlaCompiledIn reports whether the XLA backend was compiled into this program.
func xlaCompiledIn() bool {
	for _, n := range backends.List() {
		if n == "xla" {
			return true
		}
	}
	return false
}
