// Command resultsdiff compares two results.json files value by value,
// ignoring timings and creation dates, and prints every difference with its
// relative size: the check that a refactoring left the numbers unchanged.
//
// Usage:
//
//	go run ./scripts/resultsdiff before/results.json after/results.json
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strings"
)

// skipped are keys whose values change from run to run by design.
var skipped = []string{"timing", "created", "seconds", "train_seconds", "Seconds"}

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "resultsdiff:", err)
		os.Exit(2)
	}
}

func run(args []string, w io.Writer) error {
	if len(args) != 2 {
		return fmt.Errorf("usage: resultsdiff before.json after.json")
	}
	var docs [2]any
	for i, p := range args {
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := json.Unmarshal(b, &docs[i]); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
	}
	var d differ
	d.walk(docs[0], docs[1], "")
	fmt.Fprintf(w, "compared %d values; %d differ (largest relative difference of numbers %.2g)\n", d.n, len(d.lines), d.maxRel)
	for _, l := range d.lines {
		fmt.Fprintln(w, l)
	}
	return nil
}

type differ struct {
	n      int
	maxRel float64
	lines  []string
}

func (d *differ) walk(a, b any, path string) {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok {
			d.add("%s: object vs %T", path, b)
			return
		}
		keys := make([]string, 0, len(x)+len(y))
		for k := range x {
			keys = append(keys, k)
		}
		for k := range y {
			if _, ok := x[k]; !ok {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			if slices.Contains(skipped, k) {
				continue
			}
			u, inA := x[k]
			v, inB := y[k]
			switch {
			case !inA:
				d.add("%s/%s: only in the second file", path, k)
			case !inB:
				d.add("%s/%s: only in the first file", path, k)
			default:
				d.walk(u, v, path+"/"+k)
			}
		}
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			d.add("%s: list of %d vs %v", path, len(x), describe(b))
			return
		}
		for i := range x {
			d.walk(x[i], y[i], fmt.Sprintf("%s[%d]", path, i))
		}
	case float64:
		d.n++
		y, ok := b.(float64)
		if !ok {
			d.add("%s: %v vs %v", path, x, b)
			return
		}
		if x != y {
			rel := math.Abs(x-y) / math.Max(math.Max(math.Abs(x), math.Abs(y)), math.SmallestNonzeroFloat64)
			d.maxRel = math.Max(d.maxRel, rel)
			d.add("%s: %v vs %v (relative %.2g)", path, x, y, rel)
		}
	default:
		d.n++
		if fmt.Sprint(a) != fmt.Sprint(b) {
			d.add("%s: %v vs %v", path, a, b)
		}
	}
}

func (d *differ) add(format string, args ...any) {
	d.lines = append(d.lines, strings.TrimPrefix(fmt.Sprintf(format, args...), "/"))
}

func describe(v any) string {
	if l, ok := v.([]any); ok {
		return fmt.Sprintf("list of %d", len(l))
	}
	return fmt.Sprintf("%T", v)
}
