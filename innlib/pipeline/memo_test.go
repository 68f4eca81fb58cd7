package pipeline

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
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

// memo computes once, reads back under the same key (from the run's own
// file or the previous run's), stores what it read byte for byte, and
// computes again under another key.
func TestMemo(t *testing.T) {
	dir := t.TempDir()
	prev, path := filepath.Join(dir, "prev", "m.json"), filepath.Join(dir, "run", "m.json")
	type rec struct {
		X [][]float64
		N int
	}
	calls := 0
	compute := func() (rec, error) {
		calls++
		return rec{[][]float64{{0.1, 1e-300, -2}, {math.Pi, 3, 5e22}}, calls}, nil
	}
	key := struct{ A, B string }{"a", digest([][]float64{{1, 2}})}
	first, err := memo(prev, "", key, compute)
	if err != nil || calls != 1 {
		t.Fatalf("first memo: %v, %d computations", err, calls)
	}
	got, err := memo(path, prev, key, compute)
	if err != nil || calls != 1 {
		t.Fatalf("memo with the previous run's file: %v, %d computations, want 1", err, calls)
	}
	if !reflect.DeepEqual(got, first) {
		t.Errorf("read back %v, stored %v", got, first)
	}
	a, errA := os.ReadFile(prev)
	b, errB := os.ReadFile(path)
	if errA != nil || errB != nil || !bytes.Equal(a, b) {
		t.Errorf("the run's copy differs from the previous run's file (%v, %v)", errA, errB)
	}
	// What memoWrite would write: the same bytes.
	k, _ := memoKey(key)
	fresh := filepath.Join(dir, "fresh.json")
	if err := memoWrite(fresh, k, first); err != nil {
		t.Fatal(err)
	}
	if c, _ := os.ReadFile(fresh); !bytes.Equal(c, a) {
		t.Errorf("memoWrite of the value read back writes other bytes:\n%s\n%s", c, a)
	}
	key.A = "b"
	if got, err := memo(path, prev, key, compute); err != nil || calls != 2 || got.N != 2 {
		t.Errorf("another key: %v, %d computations, N %d; want a second computation", err, calls, got.N)
	}
	if _, _, ok := memoRead[rec](path, k); ok {
		t.Error("the run's file still answers the old key after the new one was stored")
	}
}

// The KDE MAP is stored under its draws: a rerun with the same draws reads
// it back from the previous results (marked here, so that a search would
// show), other draws get their own search.
func TestKDEMAPCached(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	draws := make([][]float64, 500)
	for i := range draws {
		a, b, c := r.NormFloat64(), r.NormFloat64(), r.NormFloat64()
		draws[i] = []float64{a, 0.5*a + b, 2 + c}
	}
	prev, run := t.TempDir(), t.TempDir()
	sm := summariser{mapDraws: 300, seed: 1, outDir: prev}
	got, err := sm.kdeMAPCached("c_inn", draws)
	if err != nil {
		t.Fatal(err)
	}
	want, err := kdeMAP(draws, 300, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("cached MAP %v, kdeMAP %v", got, want)
	}
	path := filepath.Join(prev, "cache", "map_c_inn.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var e memoEntry[[]float64]
	if err := json.Unmarshal(data, &e); err != nil {
		t.Fatal(err)
	}
	marked := []float64{7, 8, 9}
	if err := memoWrite(path, e.Key, marked); err != nil {
		t.Fatal(err)
	}
	again := summariser{mapDraws: 300, seed: 1, outDir: run, prev: prev}
	if got, err := again.kdeMAPCached("c_inn", draws); err != nil || !reflect.DeepEqual(got, marked) {
		t.Errorf("rerun: MAP %v (%v), want the stored %v", got, err, marked)
	}
	if _, err := os.Stat(filepath.Join(run, "cache", "map_c_inn.json")); err != nil {
		t.Errorf("the rerun did not store the MAP in its own cache: %v", err)
	}
	draws[0][0] += 1e-9
	if got, err := again.kdeMAPCached("c_inn", draws); err != nil || reflect.DeepEqual(got, marked) {
		t.Errorf("other draws: MAP %v (%v), want a new search", got, err)
	}
}
