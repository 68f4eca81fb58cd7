// Command domcheck loads HTML pages in headless Chromium and checks that
// Plotly drew every figure on them: the rendered DOM must hold Plotly's SVG
// (class "main-svg") with traces, not just the page's script tags. It exits
// with status 1 naming the page that failed.
//
//	go run ./scripts/domcheck page.html...
package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/ozarkinn/inn/innlib/plots"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: domcheck page.html...")
		os.Exit(2)
	}
	failed := false
	for _, page := range os.Args[1:] {
		n, traces, err := drawn(page)
		switch {
		case err != nil:
			fmt.Printf("FAIL %s: %v\n", page, err)
			failed = true
		case n == 0 || traces == 0:
			fmt.Printf("FAIL %s: no plot drawn (%d Plotly SVG roots, %d traces)\n", page, n, traces)
			failed = true
		default:
			fmt.Printf("ok   %s: %d plots drawn, %d traces\n", page, n, traces)
		}
	}
	if failed {
		os.Exit(1)
	}
}

// drawn counts Plotly's SVG roots and trace groups in the page's rendered DOM.
func drawn(page string) (svgs, traces int, err error) {
	dom, err := plots.DumpDOM(page)
	if err != nil {
		return 0, 0, err
	}
	svgs = strings.Count(dom, `class="main-svg"`)
	traces = strings.Count(dom, `class="trace`) + strings.Count(dom, `class="scatterlayer`) + strings.Count(dom, `class="boxlayer`)
	return svgs, traces, nil
}
