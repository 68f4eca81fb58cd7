//go:build !purego

#include "textflag.h"

// func scaleBySignAVX2(dh, z *float32, n int, pos, neg float32)
//
// dh[i] *= (sign bit of z[i] ? neg : pos) for n a multiple of 8:
// VBLENDVPS picks by the sign bit of each lane of its mask, z itself.
TEXT ·scaleBySignAVX2(SB), NOSPLIT, $0-32
	MOVQ         dh+0(FP), DI
	MOVQ         z+8(FP), SI
	MOVQ         n+16(FP), CX
	VBROADCASTSS pos+24(FP), Y14
	VBROADCASTSS neg+28(FP), Y15
	SHLQ         $2, CX
	XORQ         BX, BX

loop:
	CMPQ      BX, CX
	JGE       done
	VMOVUPS   (SI)(BX*1), Y0
	VBLENDVPS Y0, Y15, Y14, Y1 // lanes of Y15 where Y0's sign bit is set, else Y14
	VMULPS    (DI)(BX*1), Y1, Y1
	VMOVUPS   Y1, (DI)(BX*1)
	ADDQ      $32, BX
	JMP       loop

done:
	VZEROUPPER
	RET
