//go:build !purego

#include "textflag.h"

// func transpose8AVX2(dst, src *float32, rows, cols int)
//
// For each 8×8 block of src (rows&^7 × cols&^7): load its 8 rows, transpose
// in registers (unpack pairs, shuffle quads, swap 128-bit halves) and store
// 8 rows of dst. Register use: DI dst, SI src, R8 rows, R9 cols,
// R10 src row stride (bytes), R11 dst row stride, R12 block row, R13 block
// column, AX/BX/DX addresses, R14 = 3·stride.
TEXT ·transpose8AVX2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ rows+16(FP), R8
	MOVQ cols+24(FP), R9
	MOVQ R9, R10
	SHLQ $2, R10              // src row stride
	MOVQ R8, R11
	SHLQ $2, R11              // dst row stride
	XORQ R12, R12             // i: block row (element index)

rowloop:
	MOVQ R12, AX
	ADDQ $8, AX
	CMPQ AX, R8
	JGT  done
	XORQ R13, R13             // j: block column

colloop:
	MOVQ R13, AX
	ADDQ $8, AX
	CMPQ AX, R9
	JGT  nextrow
	// AX = &src[i*cols + j]
	MOVQ R12, AX
	IMULQ R9, AX
	ADDQ R13, AX
	LEAQ (SI)(AX*4), AX
	LEAQ (R10)(R10*2), R14
	VMOVUPS (AX), Y0
	VMOVUPS (AX)(R10*1), Y1
	VMOVUPS (AX)(R10*2), Y2
	VMOVUPS (AX)(R14*1), Y3
	LEAQ (AX)(R10*4), AX
	VMOVUPS (AX), Y4
	VMOVUPS (AX)(R10*1), Y5
	VMOVUPS (AX)(R10*2), Y6
	VMOVUPS (AX)(R14*1), Y7
	VUNPCKLPS Y1, Y0, Y8      // a0 b0 a1 b1 | a4 b4 a5 b5
	VUNPCKHPS Y1, Y0, Y9      // a2 b2 a3 b3 | a6 b6 a7 b7
	VUNPCKLPS Y3, Y2, Y10
	VUNPCKHPS Y3, Y2, Y11
	VUNPCKLPS Y5, Y4, Y12
	VUNPCKHPS Y5, Y4, Y13
	VUNPCKLPS Y7, Y6, Y14
	VUNPCKHPS Y7, Y6, Y15
	VSHUFPS $0x44, Y10, Y8, Y0  // a0 b0 c0 d0 | a4 b4 c4 d4
	VSHUFPS $0xEE, Y10, Y8, Y1  // a1 b1 c1 d1 | a5 ...
	VSHUFPS $0x44, Y11, Y9, Y2  // a2 ... | a6 ...
	VSHUFPS $0xEE, Y11, Y9, Y3  // a3 ... | a7 ...
	VSHUFPS $0x44, Y14, Y12, Y4 // e0 f0 g0 h0 | e4 ...
	VSHUFPS $0xEE, Y14, Y12, Y5
	VSHUFPS $0x44, Y15, Y13, Y6
	VSHUFPS $0xEE, Y15, Y13, Y7
	VPERM2F128 $0x20, Y4, Y0, Y8  // column 0
	VPERM2F128 $0x20, Y5, Y1, Y9  // column 1
	VPERM2F128 $0x20, Y6, Y2, Y10 // column 2
	VPERM2F128 $0x20, Y7, Y3, Y11 // column 3
	VPERM2F128 $0x31, Y4, Y0, Y12 // column 4
	VPERM2F128 $0x31, Y5, Y1, Y13 // column 5
	VPERM2F128 $0x31, Y6, Y2, Y14 // column 6
	VPERM2F128 $0x31, Y7, Y3, Y15 // column 7
	// BX = &dst[j*rows + i]
	MOVQ R13, BX
	IMULQ R8, BX
	ADDQ R12, BX
	LEAQ (DI)(BX*4), BX
	LEAQ (R11)(R11*2), R14
	VMOVUPS Y8, (BX)
	VMOVUPS Y9, (BX)(R11*1)
	VMOVUPS Y10, (BX)(R11*2)
	VMOVUPS Y11, (BX)(R14*1)
	LEAQ (BX)(R11*4), BX
	VMOVUPS Y12, (BX)
	VMOVUPS Y13, (BX)(R11*1)
	VMOVUPS Y14, (BX)(R11*2)
	VMOVUPS Y15, (BX)(R14*1)
	ADDQ $8, R13
	JMP  colloop

nextrow:
	ADDQ $8, R12
	JMP  rowloop

done:
	VZEROUPPER
	RET
