// Package backend chooses the GoMLX backend every innlib computation runs on.
//
// The pure-Go SimpleGo backend is the default: it needs nothing installed and
// runs everywhere Go runs. XLA is an opt-in for users who have a PJRT plugin:
// build with `-tags xla` and set GOMLX_BACKEND=xla (see environment.md).
// A binary built without the tag never touches XLA, so a fresh machine never
// meets XLA's plugin auto-install.
//
// Usage:
//
//	b, err := backend.New()
//	if err != nil { ... }
//	fmt.Println(backend.Describe(b))
package backend

import (
	"fmt"
	"os"
	"strings"
	"sync"

	"github.com/gomlx/gomlx/backends"
	_ "github.com/gomlx/gomlx/backends/simplego" // The default backend, always compiled in.
)

// EnvVar is the environment variable that selects the backend, shared with GoMLX.
const EnvVar = backends.ConfigEnvVar

// DefaultConfig is the SimpleGo configuration used when EnvVar is unset.
//
// ops_sequential runs the graph's ops one after another: innlib graphs are
// thousands of small ops, for which SimpleGo's per-op goroutine scheduling
// costs about 2 us each against about 0.09 us sequentially, while the large
// matrix products still use both cores inside DotGeneral.
const DefaultConfig = "go:ops_sequential"

var (
	mu    sync.Mutex
	cache = map[string]backends.Backend{}
)

// New returns the backend named by $GOMLX_BACKEND, or SimpleGo (DefaultConfig)
// when it is unset or empty. Backends are created once per configuration and shared.
func New() (backends.Backend, error) {
	return NewWithConfig(os.Getenv(EnvVar))
}

// Name returns the name of the backend $GOMLX_BACKEND selects ("go" for
// SimpleGo, "xla", ...), without creating it.
func Name() string {
	config := strings.TrimSpace(os.Getenv(EnvVar))
	if config == "" {
		config = DefaultConfig
	}
	name, _, _ := strings.Cut(config, ":")
	return name
}

// NewWithConfig returns the backend for a GoMLX configuration string such as
// "go", "go:ops_parallel" or "xla:cpu". An empty string means DefaultConfig.
func NewWithConfig(config string) (backends.Backend, error) {
	config = strings.TrimSpace(config)
	if config == "" {
		config = DefaultConfig
	}
	name, _, _ := strings.Cut(config, ":")
	mu.Lock()
	defer mu.Unlock()
	if b, ok := cache[config]; ok {
		return b, nil
	}
	available := backends.List()
	found := false
	for _, a := range available {
		if a == name {
			found = true
		}
	}
	if !found {
		if name == "xla" || name == "stablehlo" {
			return nil, fmt.Errorf("backend: %s=%q asks for XLA, but this program was built without it; "+
				"rebuild with `-tags xla` and install a PJRT plugin (see environment.md), or unset %s to use the pure-Go SimpleGo backend",
				EnvVar, config, EnvVar)
		}
		return nil, fmt.Errorf("backend: unknown backend %q in %s=%q; compiled-in backends: %s",
			name, EnvVar, config, strings.Join(available, ", "))
	}
	var (
		b   backends.Backend
		err error
	)
	func() {
		// GoMLX reports some configuration problems by panicking; turn them into errors.
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("backend: creating %q failed: %v", config, r)
			}
		}()
		b, err = backends.NewWithConfig(config)
	}()
	if err != nil {
		return nil, fmt.Errorf("backend: creating %q: %w", config, err)
	}
	cache[config] = b
	return b, nil
}

// MustNew is New for programs and examples that cannot go on without a backend.
func MustNew() backends.Backend {
	b, err := New()
	if err != nil {
		panic(err)
	}
	return b
}

// Describe returns a one-line description of b for logs and results files.
func Describe(b backends.Backend) string {
	return fmt.Sprintf("%s (%s)", b.Name(), b.Description())
}
