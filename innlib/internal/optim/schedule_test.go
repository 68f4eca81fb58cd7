package optim

import (
	"fmt"
	"math"
	"testing"
)

func TestCosine(t *testing.T) {
	const base, floor, steps = 1e-3, 0.01, 11
	if got := Cosine(base, floor, 0, steps); got != base {
		t.Errorf("first step %g, want %g", got, base)
	}
	if got := Cosine(base, floor, steps-1, steps); math.Abs(got-floor*base) > 1e-18 {
		t.Errorf("last step %g, want %g", got, floor*base)
	}
	if got, want := Cosine(base, floor, 5, steps), base*(floor+(1-floor)/2); math.Abs(got-want) > 1e-18 {
		t.Errorf("middle step %g, want %g (halfway between)", got, want)
	}
	prev := math.Inf(1)
	for s := 0; s < steps; s++ {
		lr := Cosine(base, floor, s, steps)
		if lr > prev {
			t.Errorf("step %d: %g rises above the previous %g", s, lr, prev)
		}
		prev = lr
	}
	if got := Cosine(base, floor, 0, 1); got != base {
		t.Errorf("a one-step schedule gives %g, want the base %g", got, base)
	}
}

func ExampleCosine() {
	for _, s := range []int{0, 2, 4} {
		fmt.Printf("%.4f\n", Cosine(0.1, 0.01, s, 5))
	}
	// Output:
	// 0.1000
	// 0.0505
	// 0.0010
}
