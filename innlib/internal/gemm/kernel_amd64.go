//go:build !purego

package gemm

import (
	"unsafe"

	"golang.org/x/sys/cpu"
)

// What the CPU (and OS, for the register state) support.
var (
	hasAVX2   = cpu.X86.HasAVX2 && cpu.X86.HasFMA
	hasAVX512 = hasAVX2 && cpu.X86.HasAVX512F
)

// kern16 and kern8 compute an mr×16 or mr×8 tile (1 ≤ mr ≤ 6): rows of A
// lda floats apart and its columns astep floats apart (1; a transposed A has
// lda 1), rows of the panel b bstride floats apart, rows of C ldc floats
// apart; the epilogue follows flags. See kernel_amd64.s.
//
// kern16 does np tiles side by side (np ≥ 1): panels pstep bytes apart,
// their columns of C and of the bias 16 floats apart.
//
//go:noescape
func kern16(k int, a *float32, lda int, b *float32, bstride int, c *float32, ldc int, mr int, bias *float32, flags int, alpha float32, astep int, np int, pstep int)

//go:noescape
func kern8(k int, a *float32, lda int, b *float32, bstride int, c *float32, ldc int, mr int, bias *float32, flags int, alpha float32, astep int)

// kern16z is kern16 with ZMM registers (kernel_avx512_amd64.s).
//
//go:noescape
func kern16z(k int, a *float32, lda int, b *float32, bstride int, c *float32, ldc int, mr int, bias *float32, flags int, alpha float32, astep int)

// kern32z computes an mr×32 tile from two 16-wide panels, the second boff
// floats after the first (kernel_avx512_amd64.s).
//
//go:noescape
func kern32z(k int, a *float32, lda int, b *float32, bstride int, boff int, c *float32, ldc int, mr int, bias *float32, flags int, alpha float32, astep int)

// asmPair computes C[0:mr, 0:32] from panel p and the one after it (p.next > 0).
func asmPair(mr, k int, a []float32, lda, astep int, p *panel, c []float32, ldc int, bias []float32, flags int, alpha float32) {
	if mr < 1 || mr > tileRows || k < 1 || astep < 1 || len(c) < (mr-1)*ldc+2*wideCols ||
		len(a) < (mr-1)*lda+(k-1)*astep+1 || len(p.b) < p.next+(k-1)*p.stride+wideCols ||
		flags&flagBias != 0 && len(bias) < 2*wideCols {
		panic("gemm: internal error: tile out of bounds")
	}
	kern32z(k, unsafe.SliceData(a), lda, unsafe.SliceData(p.b), p.stride, p.next, unsafe.SliceData(c), ldc, mr, unsafe.SliceData(bias), flags, alpha, astep)
}

// asmTile checks the extent of every operand (a handful of comparisons per
// tile) before handing raw pointers to the assembly.
func asmTile(avx512 bool, mr, k int, a []float32, lda, astep int, p *panel, c []float32, ldc int, bias []float32, flags int, alpha float32) {
	w := p.width
	if mr < 1 || mr > tileRows || astep < 1 || len(c) < (mr-1)*ldc+w ||
		k > 0 && (len(a) < (mr-1)*lda+(k-1)*astep+1 || len(p.b) < (k-1)*p.stride+w) ||
		flags&flagBias != 0 && len(bias) < w {
		panic("gemm: internal error: tile out of bounds")
	}
	ap, bp, cp := unsafe.SliceData(a), unsafe.SliceData(p.b), unsafe.SliceData(c)
	biasp := unsafe.SliceData(bias)
	switch {
	case w == wideCols && avx512:
		kern16z(k, ap, lda, bp, p.stride, cp, ldc, mr, biasp, flags, alpha, astep)
	case w == wideCols:
		kern16(k, ap, lda, bp, p.stride, cp, ldc, mr, biasp, flags, alpha, astep, 1, 0)
	default:
		kern8(k, ap, lda, bp, p.stride, cp, ldc, mr, biasp, flags, alpha, astep)
	}
}

// asmTiles computes C[0:mr, 0:16·np] from panel p and the np − 1 panels
// after it, which p.next links (each full, 16 wide, p.next floats after
// the one before): one call of the AVX2 kernel for the whole row of tiles.
func asmTiles(mr, k int, a []float32, lda, astep int, p *panel, np int, c []float32, ldc int, bias []float32, flags int, alpha float32) {
	if mr < 1 || mr > tileRows || k < 1 || astep < 1 || np < 1 || np > 1 && p.next <= 0 ||
		p.width != wideCols || p.cols != wideCols || len(c) < (mr-1)*ldc+np*wideCols ||
		len(a) < (mr-1)*lda+(k-1)*astep+1 || len(p.b) < (np-1)*p.next+(k-1)*p.stride+wideCols ||
		flags&flagBias != 0 && len(bias) < np*wideCols {
		panic("gemm: internal error: tiles out of bounds")
	}
	kern16(k, unsafe.SliceData(a), lda, unsafe.SliceData(p.b), p.stride, unsafe.SliceData(c), ldc, mr,
		unsafe.SliceData(bias), flags, alpha, astep, np, 4*p.next)
}

// fmaLoopAVX2 and fmaLoopAVX512 run n iterations of twelve independent FMAs on
// YMM or ZMM registers (peak_amd64.s), for PeakGFLOPS.
//
//go:noescape
func fmaLoopAVX2(n int)

//go:noescape
func fmaLoopAVX512(n int)
