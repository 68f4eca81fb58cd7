package pipeline

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/ozarkinn/inn/innlib/internal/ckpt"
)

// memo returns the value stored at path, or else at prev (the same file in
// the previous run's results; "" for none), when it was computed from the
// same inputs (key, hashed), and otherwise computes it; either way it stores
// it at path, atomically. The MCMC runs and the comparisons are
// deterministic given their inputs, so a rerun with -reuse reads them back
// instead of spending most of its time on them again.
func memo[T any](path, prev string, key any, compute func() (T, error)) (T, error) {
	c, err := lookup[T](path, prev, key)
	if err != nil || c.Found {
		return c.Value, err
	}
	v, err := compute()
	if err != nil {
		var zero T
		return zero, err
	}
	return v, c.store(v)
}

// cached is what lookup found: the stored value (Found), or where to store
// the value once the caller has computed it.
type cached[T any] struct {
	Value T
	Found bool
	path  string
	k     string // the hashed key
}

// lookup is memo's first half, for callers that compute several values at
// once: the value stored at path or prev under key (then also stored at
// path), or a cached whose store the caller calls with the value.
func lookup[T any](path, prev string, key any) (cached[T], error) {
	k, err := memoKey(key)
	if err != nil {
		return cached[T]{}, err
	}
	for _, p := range []string{path, prev} {
		if p == "" {
			continue
		}
		if v, data, ok := memoRead[T](p, k); ok {
			// The file holds exactly what memoWrite would write (JSON
			// round-trips float64 exactly), so it is stored as read: the
			// MCMC records are megabytes of numbers to format again.
			return cached[T]{Value: v, Found: true}, memoWriteData(path, data)
		}
	}
	return cached[T]{path: path, k: k}, nil
}

// store stores v where lookup did not find it.
func (c cached[T]) store(v T) error { return memoWrite(c.path, c.k, v) }

// memoEntry is what memo stores: the hashed key and the value.
type memoEntry[T any] struct {
	Key   string `json:"key"`
	Value T      `json:"value"`
}

// memoKey hashes a key.
func memoKey(key any) (string, error) {
	keyJSON, err := json.Marshal(key)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(keyJSON)
	return hex.EncodeToString(sum[:]), nil
}

// memoRead returns the value stored at path under the hashed key k, and
// the file's content.
func memoRead[T any](path, k string) (T, []byte, bool) {
	var e memoEntry[T]
	data, err := os.ReadFile(path)
	if err != nil || !bytes.HasPrefix(data, []byte(`{"key":"`+k+`"`)) || json.Unmarshal(data, &e) != nil || e.Key != k {
		var zero T
		return zero, nil, false
	}
	return e.Value, data, true
}

// memoWrite stores v at path under the hashed key k, atomically.
func memoWrite[T any](path, k string, v T) error {
	data, err := json.Marshal(memoEntry[T]{Key: k, Value: v})
	if err != nil {
		return err
	}
	return memoWriteData(path, data)
}

// memoWriteData writes an entry's JSON to path, atomically.
func memoWriteData(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	if err := ckpt.WriteFileAtomic(path, data); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// digest is a SHA-256 of draws, to key memoised results on them: of each
// value as fmt's %x writes it (hexadecimal mantissa and exponent, exact)
// followed by a comma. strconv.AppendFloat writes the same text at a
// fraction of fmt's cost, so caches written before keep their keys.
func digest(draws [][]float64) string {
	h := sha256.New()
	var b []byte
	for _, r := range draws {
		b = b[:0]
		for _, v := range r {
			b = strconv.AppendFloat(b, v, 'x', -1, 64)
			b = append(b, ',')
		}
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))
}
