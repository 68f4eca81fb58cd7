package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A changed number and a missing key are reported; timings are not.
func TestDiff(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.json")
	b := filepath.Join(dir, "b.json")
	os.WriteFile(a, []byte(`{"timing":{"total":1},"x":[1,2,3],"name":"n","only":1}`), 0o644)
	os.WriteFile(b, []byte(`{"timing":{"total":2},"x":[1,2.5,3],"name":"n"}`), 0o644)
	var out strings.Builder
	if err := run([]string{a, b}, &out); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{"compared 4 values; 2 differ", "x[1]: 2 vs 2.5 (relative 0.2)", "only: only in the first file"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "timing") {
		t.Errorf("timings compared:\n%s", got)
	}
	if err := run([]string{a}, &out); err == nil {
		t.Error("one file: no error")
	}
}
