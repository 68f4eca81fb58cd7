//go:build !purego

package mmd

import (
	"unsafe"

	"golang.org/x/sys/cpu"
)

var hasAVX2 = cpu.X86.HasAVX2

// imqAVX2 is imqGo on blocks of 8 columns from b (= &bT[j0]); stride is in
// values; acc is nil or d lane groups (imq_amd64.s).
//
//go:noescape
func imqAVX2(a *float32, d int, b *float32, stride, blocks int, cs *float32, k int, sum *lanes, acc *lanes)

// imqVector runs imqGo's loop on the given number of whole blocks of 8
// columns from j0 with AVX2, where the CPU has it, and returns how many
// columns it did.
func imqVector(a, bT []float32, stride, j0, blocks int, cs []float32, sum *lanes, acc []lanes) int {
	if !hasAVX2 || blocks == 0 || len(a) == 0 || len(cs) == 0 {
		return 0
	}
	if j0+8*blocks > stride || len(bT) < (len(a)-1)*stride+j0+8*blocks || acc != nil && len(acc) != len(a) {
		panic("mmd: internal error: imqVector's columns out of range")
	}
	var ap *lanes
	if acc != nil {
		ap = &acc[0]
	}
	imqAVX2(unsafe.SliceData(a), len(a), &bT[j0], stride, blocks, unsafe.SliceData(cs), len(cs), sum, ap)
	return 8 * blocks
}
