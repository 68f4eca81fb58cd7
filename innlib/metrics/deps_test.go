package metrics

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestNoGoMLX keeps the statistics packages pure Go: neither they nor
// anything they import may be a GoMLX package, so using them never builds
// GoMLX (package mmd's graph version lives in mmd/mmdgraph for this reason).
func TestNoGoMLX(t *testing.T) {
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := exec.LookPath(goTool); err != nil {
		if goTool, err = exec.LookPath("go"); err != nil {
			t.Skip("no go command to list dependencies with")
		}
	}
	const module = "github.com/ozarkinn/inn/innlib/"
	for _, pkg := range []string{"metrics", "calib", "mmd", "kde"} {
		out, err := exec.Command(goTool, "list", "-deps", module+pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list -deps %s: %v\n%s", pkg, err, out)
		}
		deps := strings.Fields(string(out))
		if len(deps) < 2 || deps[len(deps)-1] != module+pkg {
			t.Fatalf("go list -deps %s printed %q, not a dependency list ending in the package", pkg, out)
		}
		var bad []string
		for _, d := range deps {
			if strings.HasPrefix(d, "github.com/gomlx/") {
				bad = append(bad, d)
			}
		}
		if len(bad) > 0 {
			t.Errorf("innlib/%s depends on %d GoMLX packages (%s); it must not import GoMLX, directly or indirectly", pkg, len(bad), strings.Join(bad, ", "))
		}
	}
}
