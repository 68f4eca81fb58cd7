//go:build !purego

#include "textflag.h"

DATA one32<>+0(SB)/4, $0x3f800000
GLOBL one32<>(SB), RODATA|NOPTR, $4

// func siluDerivAVX2(dh, sig, h *float32, n int)
//
// dh *= s + h·(1 − s), 8 lanes at a time, without fused multiply-adds, so
// each operation rounds as the Go loop's does.
TEXT ·siluDerivAVX2(SB), NOSPLIT, $0-32
	MOVQ dh+0(FP), DI
	MOVQ sig+8(FP), SI
	MOVQ h+16(FP), DX
	MOVQ n+24(FP), CX
	VBROADCASTSS one32<>(SB), Y15
	SHLQ $2, CX
	XORQ BX, BX

loop:
	CMPQ BX, CX
	JGE  done
	VMOVUPS (SI)(BX*1), Y0      // s
	VSUBPS Y0, Y15, Y1          // 1 − s
	VMULPS (DX)(BX*1), Y1, Y1   // h·(1 − s)
	VADDPS Y1, Y0, Y1           // s + h·(1 − s)
	VMULPS (DI)(BX*1), Y1, Y1   // dh·(…)
	VMOVUPS Y1, (DI)(BX*1)
	ADDQ $32, BX
	JMP  loop

done:
	VZEROUPPER
	RET
