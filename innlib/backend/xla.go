//go:build xla

package backend

// Built with `-tags xla`: registers GoMLX's XLA backend. It is used only when
// GOMLX_BACKEND names it; the default stays SimpleGo.
import _ "github.com/gomlx/gomlx/backends/xla"
