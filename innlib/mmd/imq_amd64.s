//go:build !purego

#include "textflag.h"

DATA imqone<>+0(SB)/4, $0x3f800000
GLOBL imqone<>(SB), RODATA|NOPTR, $4

// func imqAVX2(a *float32, d int, b *float32, stride, blocks int, cs *float32, k int, sum *lanes, acc *lanes)
//
// imqGo on blocks of 8 columns, the same roundings in the same order (no
// fused multiply-adds). Registers: SI a, R8 d, DI the block's first
// column, R9 the stride in bytes, CX blocks left, R10 cs, R11 k, AX sum, BX
// acc; Y7 the lane sums, Y6 ones, Y0 d², Y2 the pair's kernel sum, Y3 the
// derivative f.
TEXT ·imqAVX2(SB), NOSPLIT, $0-72
	MOVQ a+0(FP), SI
	MOVQ d+8(FP), R8
	MOVQ b+16(FP), DI
	MOVQ stride+24(FP), R9
	SHLQ $2, R9
	MOVQ blocks+32(FP), CX
	MOVQ cs+40(FP), R10
	MOVQ k+48(FP), R11
	MOVQ sum+56(FP), AX
	MOVQ acc+64(FP), BX
	VMOVUPS (AX), Y7
	VBROADCASTSS imqone<>(SB), Y6

block:
	TESTQ CX, CX
	JZ    done
	VXORPS Y0, Y0, Y0
	MOVQ   SI, R12
	MOVQ   DI, R13
	MOVQ   R8, R14

dist:
	VBROADCASTSS (R12), Y1
	VSUBPS       (R13), Y1, Y1 // e = a_c − b_c
	VMULPS       Y1, Y1, Y1
	VADDPS       Y1, Y0, Y0 // d² += e·e
	ADDQ         $4, R12
	ADDQ         R9, R13
	DECQ         R14
	JNZ          dist

	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	MOVQ   R10, R12
	MOVQ   R11, R14

kern:
	VBROADCASTSS (R12), Y4
	VADDPS       Y0, Y4, Y5 // C + d²
	VDIVPS       Y5, Y6, Y5 // inv = 1/(C + d²)
	VMULPS       Y5, Y4, Y4 // q = C·inv
	VADDPS       Y4, Y2, Y2 // pair += q
	VMULPS       Y5, Y4, Y4
	VSUBPS       Y4, Y3, Y3 // f −= q·inv
	ADDQ         $4, R12
	DECQ         R14
	JNZ          kern
	VADDPS       Y2, Y7, Y7

	TESTQ BX, BX
	JZ    next
	MOVQ  SI, R12
	MOVQ  DI, R13
	MOVQ  BX, DX
	MOVQ  R8, R14

grad:
	VBROADCASTSS (R12), Y1
	VSUBPS       (R13), Y1, Y1 // a_c − b_c
	VMULPS       Y1, Y3, Y1 // f·(a_c − b_c)
	VADDPS       (DX), Y1, Y1
	VMOVUPS      Y1, (DX)
	ADDQ         $4, R12
	ADDQ         R9, R13
	ADDQ         $32, DX
	DECQ         R14
	JNZ          grad

next:
	ADDQ $32, DI
	DECQ CX
	JMP  block

done:
	VMOVUPS Y7, (AX)
	VZEROUPPER
	RET
