//go:build !purego

#include "textflag.h"

DATA packlanes<>+0(SB)/4, $0
DATA packlanes<>+4(SB)/4, $1
DATA packlanes<>+8(SB)/4, $2
DATA packlanes<>+12(SB)/4, $3
DATA packlanes<>+16(SB)/4, $4
DATA packlanes<>+20(SB)/4, $5
DATA packlanes<>+24(SB)/4, $6
DATA packlanes<>+28(SB)/4, $7
DATA packlanes<>+32(SB)/4, $8
DATA packlanes<>+36(SB)/4, $9
DATA packlanes<>+40(SB)/4, $10
DATA packlanes<>+44(SB)/4, $11
DATA packlanes<>+48(SB)/4, $12
DATA packlanes<>+52(SB)/4, $13
DATA packlanes<>+56(SB)/4, $14
DATA packlanes<>+60(SB)/4, $15
GLOBL packlanes<>(SB), RODATA|NOPTR, $64

// func packTailAVX2(dst, src *float32, k, ldb, cols, w int)
//
// Row r of dst (w = 8 or 16 floats) gets the first cols floats of src's row
// r and zeros after them: masked loads read only the columns below cols
// (masked-off lanes load zero and never fault).
TEXT ·packTailAVX2(SB), NOSPLIT, $0-48
	MOVQ         dst+0(FP), DI
	MOVQ         src+8(FP), SI
	MOVQ         k+16(FP), CX
	MOVQ         ldb+24(FP), R8
	SHLQ         $2, R8
	MOVQ         cols+32(FP), AX
	MOVQ         w+40(FP), DX
	MOVQ         AX, X2
	VPBROADCASTD X2, Y2
	VPCMPGTD     packlanes<>+0(SB), Y2, Y0  // lane l < cols
	VPCMPGTD     packlanes<>+32(SB), Y2, Y1 // lane 8 + l < cols
	CMPQ         DX, $16
	JEQ          wide

narrow:
	VMASKMOVPS (SI), Y0, Y5
	VMOVUPS    Y5, (DI)
	ADDQ       R8, SI
	ADDQ       $32, DI
	DECQ       CX
	JNZ        narrow
	VZEROUPPER
	RET

wide:
	VMASKMOVPS (SI), Y0, Y5
	VMASKMOVPS 32(SI), Y1, Y6
	VMOVUPS    Y5, (DI)
	VMOVUPS    Y6, 32(DI)
	ADDQ       R8, SI
	ADDQ       $64, DI
	DECQ       CX
	JNZ        wide
	VZEROUPPER
	RET
