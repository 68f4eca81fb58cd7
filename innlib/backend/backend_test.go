package backend

import (
	"strings"
	"testing"
)

func TestDefaultIsSimpleGo(t *testing.T) {
	t.Setenv(EnvVar, "")
	b, err := New()
	if err != nil {
		t.Fatal(err)
	}
	if b.String() != "go" {
		t.Fatalf("default backend is %q, want SimpleGo (\"go\")", b.String())
	}
}

func TestXLAWithoutTagIsAClearError(t *testing.T) {
	if xlaCompiledIn() {
		t.Skip("built with -tags xla")
	}
	t.Setenv(EnvVar, "xla:cpu")
	_, err := New()
	if err == nil || !strings.Contains(err.Error(), "-tags xla") {
		t.Fatalf("want an error telling how to enable XLA, got %v", err)
	}
}

func TestUnknownBackend(t *testing.T) {
	_, err := NewWithConfig("nosuch")
	if err == nil || !strings.Contains(err.Error(), "nosuch") {
		t.Fatalf("want an error naming the unknown backend, got %v", err)
	}
}
