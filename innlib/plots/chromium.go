package plots

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/MetalBlueberry/go-plotly/pkg/types"
)

// ChromiumEnv names the environment variable that overrides the browser
// used for PNG export.
const ChromiumEnv = "INNLIB_CHROMIUM"

// ErrNoChromium is returned by PNG export when no headless browser exists.
var ErrNoChromium = errors.New("headless Chromium not found: install the Debian package chromium " +
	"(scripts/setup_notebooks.sh does) or set " + ChromiumEnv + " to a Chrome/Chromium binary")

// ChromiumTimeout bounds one browser run (start, load, draw, capture).
var ChromiumTimeout = 90 * time.Second

// FindChromium returns the browser binary: $INNLIB_CHROMIUM, else the first
// of chromium, chromium-browser, google-chrome(-stable) on PATH.
func FindChromium() (string, error) {
	if p := os.Getenv(ChromiumEnv); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("%s=%s: %w", ChromiumEnv, p, err)
		}
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrNoChromium
}

// runChromium runs headless Chromium on a file:// page with the offline
// flags from the project notes (no network services, throw-away profile)
// plus extra, and returns its stdout. The virtual-time budget lets the page
// finish its scripts before the capture without a fixed sleep.
func runChromium(page string, extra ...string) ([]byte, error) {
	bin, err := FindChromium()
	if err != nil {
		return nil, err
	}
	profile, err := os.MkdirTemp("", "innlib-chromium-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(profile)
	args := []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-dev-shm-usage", "--hide-scrollbars", "--force-device-scale-factor=1",
		"--user-data-dir=" + profile, "--virtual-time-budget=8000",
	}
	args = append(args, extra...)
	args = append(args, "file://"+page)
	ctx, cancel := context.WithTimeout(context.Background(), ChromiumTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("plots: %s timed out after %v", bin, ChromiumTimeout)
		}
		return nil, fmt.Errorf("plots: %s: %w: %s", bin, err, tail(stderr.String(), 600))
	}
	return stdout.Bytes(), nil
}

func tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}

// DumpDOM loads a local HTML file in headless Chromium (offline flags) and
// returns the document after its scripts ran, for checks of pages built
// elsewhere (notebook exports, gonbplot output).
func DumpDOM(page string) (string, error) {
	abs, err := filepath.Abs(page)
	if err != nil {
		return "", err
	}
	out, err := runChromium(abs, "--dump-dom")
	return string(out), err
}

// RenderDOM loads fig in headless Chromium and returns the document after
// its scripts ran: the browser check that plotly really drew the figure
// (look for ReadyAttr and class="main-svg").
func RenderDOM(fig types.Fig) (string, error) {
	dir, page, err := tempPage(fig, 0, 0, false)
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	out, err := runChromium(page, "--dump-dom")
	return string(out), err
}
