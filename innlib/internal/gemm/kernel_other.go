//go:build !amd64 || purego

package gemm

// Only the pure-Go kernel exists in this build.
const hasAVX2, hasAVX512 = false, false

func asmTile(avx512 bool, mr, k int, a []float32, lda, astep int, p *panel, c []float32, ldc int, bias []float32, flags int, alpha float32) {
	panic("gemm: no assembly kernel in this build")
}

func asmPair(mr, k int, a []float32, lda, astep int, p *panel, c []float32, ldc int, bias []float32, flags int, alpha float32) {
	panic("gemm: no assembly kernel in this build")
}

func asmTiles(mr, k int, a []float32, lda, astep int, p *panel, np int, c []float32, ldc int, bias []float32, flags int, alpha float32) {
	panic("gemm: no assembly kernel in this build")
}

func fmaLoopAVX2(n int)   { panic("gemm: no assembly kernel in this build") }
func fmaLoopAVX512(n int) { panic("gemm: no assembly kernel in this build") }
