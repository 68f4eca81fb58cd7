// Package ckpt reads and writes innlib's single-file checkpoints:
//
//	magic | uint64 header length | JSON header | payload | SHA-256 of all before
//
// Writes are atomic (temporary file in the same directory, synced, renamed),
// so a crash never leaves a half-written file under the final name; reads
// tell a truncated file, a corrupted one and a file of another kind apart.
//
// A valid checksum proves only that the file is whole, not that its header
// is sane: readers (inn.Load, emulator.Load) check every size it declares
// against the payload before they allocate, and Floats rejects a count the
// payload cannot hold and non-finite values. FuzzDecode and the readers'
// FuzzLoad tests (run for a bounded time by scripts/test.sh) check that no
// file makes them panic or allocate much.
package ckpt

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
)

// Write encodes header as JSON and writes the checkpoint to path atomically.
func Write(path, magic string, header any, payload []byte) error {
	js, err := json.Marshal(header)
	if err != nil {
		return fmt.Errorf("encoding the header: %w", err)
	}
	return WriteFileAtomic(path, Encode(magic, js, payload))
}

// Encode returns the bytes of a checkpoint with the given JSON header and
// payload, checksum included (what Write writes; tests forge files with it).
func Encode(magic string, header, payload []byte) []byte {
	var buf bytes.Buffer
	buf.Grow(len(magic) + 8 + len(header) + len(payload) + sha256.Size)
	buf.WriteString(magic)
	_ = binary.Write(&buf, binary.LittleEndian, uint64(len(header)))
	buf.Write(header)
	buf.Write(payload)
	sum := sha256.Sum256(buf.Bytes())
	buf.Write(sum[:])
	return buf.Bytes()
}

// Read returns the JSON header and the payload of the checkpoint at path
// (see Decode).
func Read(path, magic string) (header, payload []byte, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	return Decode(data, magic)
}

// Decode splits the bytes of a checkpoint into its JSON header and payload
// (slices of data), after checking the magic, the lengths and the checksum.
func Decode(data []byte, magic string) (header, payload []byte, err error) {
	if !bytes.HasPrefix(data, []byte(magic)) {
		if bytes.HasPrefix([]byte(magic), data) {
			return nil, nil, fmt.Errorf("truncated: only %d bytes", len(data))
		}
		return nil, nil, fmt.Errorf("not a checkpoint of this kind (missing the %q header)", bytes.TrimSpace([]byte(magic)))
	}
	minLen := len(magic) + 8 + sha256.Size
	if len(data) < minLen {
		return nil, nil, fmt.Errorf("truncated: %d bytes, a checkpoint has at least %d", len(data), minLen)
	}
	hlen := binary.LittleEndian.Uint64(data[len(magic):])
	start := uint64(len(magic) + 8)
	if hlen > uint64(len(data))-start-sha256.Size {
		return nil, nil, fmt.Errorf("truncated: the header says %d bytes of metadata but the file has %d bytes", hlen, len(data))
	}
	body, sum := data[:len(data)-sha256.Size], data[len(data)-sha256.Size:]
	if got := sha256.Sum256(body); !bytes.Equal(got[:], sum) {
		return nil, nil, fmt.Errorf("checksum mismatch: the file is corrupted or truncated")
	}
	return body[start : start+hlen], body[start+hlen:], nil
}

// WriteFileAtomic writes data to a temporary file next to path, syncs it and
// renames it over path (see WriteAtomic).
func WriteFileAtomic(path string, data []byte) error {
	return WriteAtomic(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// WriteAtomic lets fill write a temporary file next to path, syncs it, makes
// it readable by all (0644: CreateTemp makes it private, and these are
// ordinary user files) and renames it over path. Readers never see a
// half-written file; on failure the temporary file is removed and path is
// left as it was.
func WriteAtomic(path string, fill func(io.Writer) error) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err = fill(f); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Chmod(0o644); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// PutFloats appends vals little-endian as float32 (size 4) or float64 (size 8).
func PutFloats(buf *bytes.Buffer, vals []float64, size int) {
	var b [8]byte
	for _, v := range vals {
		if size == 8 {
			binary.LittleEndian.PutUint64(b[:], math.Float64bits(v))
			buf.Write(b[:8])
		} else {
			binary.LittleEndian.PutUint32(b[:], math.Float32bits(float32(v)))
			buf.Write(b[:4])
		}
	}
}

// Floats reads n values of the given size (4 or 8) from the front of payload
// and returns them with the rest of the payload. A count the payload cannot
// hold is an error before anything is allocated, and so is a non-finite
// value: no innlib checkpoint stores NaN or Inf weights (one such weight
// makes every output NaN).
func Floats(payload []byte, n, size int) ([]float64, []byte, error) {
	if size != 4 && size != 8 {
		return nil, nil, fmt.Errorf("values of %d bytes, want 4 or 8", size)
	}
	if n < 0 || n > len(payload)/size {
		return nil, nil, fmt.Errorf("truncated weights: %d bytes left, want %d values of %d bytes", len(payload), n, size)
	}
	out := make([]float64, n)
	for i := range out {
		if size == 8 {
			out[i] = math.Float64frombits(binary.LittleEndian.Uint64(payload[i*8:]))
		} else {
			out[i] = float64(math.Float32frombits(binary.LittleEndian.Uint32(payload[i*4:])))
		}
		if math.IsNaN(out[i]) || math.IsInf(out[i], 0) {
			return nil, nil, fmt.Errorf("value %d (0-based) of %d is %g; weights must be finite", i, n, out[i])
		}
	}
	return out, payload[n*size:], nil
}
