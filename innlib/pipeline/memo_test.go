package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// digest keys the caches that previous runs wrote, so its text must stay
// fmt's %x of each value and a comma: the reference here is that formula.
func TestDigestKeepsFormat(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	draws := [][]float64{{0, math.Copysign(0, -1), 1, -1, 0.1, 1e-310, math.MaxFloat64, math.SmallestNonzeroFloat64},
		{math.Inf(1), math.Inf(-1), math.NaN()}}
	for range 200 {
		row := make([]float64, 8)
		for j := range row {
			if j%2 == 0 {
				row[j] = math.Float64frombits(r.Uint64())
			} else {
				row[j] = r.NormFloat64() * math.Pow(10, float64(r.IntN(40)-20))
			}
		}
		draws = append(draws, row)
	}
	h := sha256.New()
	for _, row := range draws {
		for _, v := range row {
			fmt.Fprintf(h, "%x,", v)
		}
	}
	if got, want := digest(draws), hex.EncodeToString(h.Sum(nil)); got != want {
		t.Errorf("digest = %s, want %s (fmt's %%x text)", got, want)
	}
	if digest(draws[:1]) == digest(draws[1:2]) {
		t.Error("different draws, same digest")
	}
}
