package progress

import (
	"strings"
	"testing"
)

func TestNilWriterGivesNilBar(t *testing.T) {
	b := New(nil, 3, "x")
	if b != nil {
		t.Fatal("New(nil, ...) is not nil")
	}
	b.Step("no-op") // A nil bar must not panic.
	b.Finish()
}

func TestBarShowsDescriptionAndCount(t *testing.T) {
	var out strings.Builder
	b := New(&out, 2, "training")
	b.Step("loss 0.5")
	b.Step("loss 0.25")
	b.Finish()
	s := out.String()
	// Redraws are throttled, so only the first step is sure to show.
	for _, want := range []string{"loss 0.5", "/2)"} {
		if !strings.Contains(s, want) {
			t.Errorf("bar output %q lacks %q", s, want)
		}
	}
}
