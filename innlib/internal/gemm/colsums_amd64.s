//go:build !purego

#include "textflag.h"

// func addColSumsAVX2(dst, src *float32, rows, cols, cols8 int)
//
// For each block of 32 columns (then of 8), the dst values are loaded once,
// every row of src is added onto them in order, and they are stored once.
// Registers: DI dst, SI src, R8 rows, R9 the row stride in bytes, R10 the
// columns left, BX the column offset in bytes, DX the row pointer, CX rows
// left; Y0-Y3 the sums.
TEXT ·addColSumsAVX2(SB), NOSPLIT, $0-40
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ rows+16(FP), R8
	MOVQ cols+24(FP), R9
	SHLQ $2, R9
	MOVQ cols8+32(FP), R10
	XORQ BX, BX

wide:
	CMPQ    R10, $32
	JLT     narrow
	VMOVUPS (DI)(BX*1), Y0
	VMOVUPS 32(DI)(BX*1), Y1
	VMOVUPS 64(DI)(BX*1), Y2
	VMOVUPS 96(DI)(BX*1), Y3
	LEAQ    (SI)(BX*1), DX
	MOVQ    R8, CX

wrow:
	VADDPS (DX), Y0, Y0
	VADDPS 32(DX), Y1, Y1
	VADDPS 64(DX), Y2, Y2
	VADDPS 96(DX), Y3, Y3
	ADDQ   R9, DX
	DECQ   CX
	JNZ    wrow
	VMOVUPS Y0, (DI)(BX*1)
	VMOVUPS Y1, 32(DI)(BX*1)
	VMOVUPS Y2, 64(DI)(BX*1)
	VMOVUPS Y3, 96(DI)(BX*1)
	ADDQ    $128, BX
	SUBQ    $32, R10
	JMP     wide

narrow:
	CMPQ    R10, $8
	JLT     done
	VMOVUPS (DI)(BX*1), Y0
	LEAQ    (SI)(BX*1), DX
	MOVQ    R8, CX

nrow:
	VADDPS (DX), Y0, Y0
	ADDQ   R9, DX
	DECQ   CX
	JNZ    nrow
	VMOVUPS Y0, (DI)(BX*1)
	ADDQ    $32, BX
	SUBQ    $8, R10
	JMP     narrow

done:
	VZEROUPPER
	RET
