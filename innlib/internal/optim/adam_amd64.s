//go:build !purego

#include "textflag.h"

// func adamAVX2(p, grad, m1, m2 *float32, n int, k *adamConsts, zero int)
//
// adamGo on 8 lanes: the same float32 operations in the same order, with
// no fused multiply-add, and VSQRTPS, which rounds as Go's float32 of the
// float64 square root does (a double rounding that is exact for square
// roots), so the results are the Go loop's bits.
// k: scale, b1, 1-b1, b2, 1-b2, lr, db1, db2, eps, decay (float32 each).
// With zero set, each gradient is overwritten with 0 once read.
TEXT ·adamAVX2(SB), NOSPLIT, $0-56
	MOVQ p+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ m1+16(FP), R8
	MOVQ m2+24(FP), R9
	MOVQ n+32(FP), CX
	MOVQ k+40(FP), AX
	MOVQ zero+48(FP), DX
	VXORPS Y15, Y15, Y15
	VBROADCASTSS 0(AX), Y0  // scale
	VBROADCASTSS 4(AX), Y1  // b1
	VBROADCASTSS 8(AX), Y2  // 1-b1
	VBROADCASTSS 12(AX), Y3 // b2
	VBROADCASTSS 16(AX), Y4 // 1-b2
	VBROADCASTSS 20(AX), Y5 // lr
	VBROADCASTSS 24(AX), Y6 // db1
	VBROADCASTSS 28(AX), Y7 // db2
	VBROADCASTSS 32(AX), Y8 // eps
	VBROADCASTSS 36(AX), Y9 // decay
	XORQ BX, BX
	SHLQ $2, CX             // bytes

loop:
	CMPQ BX, CX
	JGE  done
	VMULPS (SI)(BX*1), Y0, Y10   // gi = g·scale
	TESTQ DX, DX
	JZ   keep
	VMOVUPS Y15, (SI)(BX*1)      // g = 0

keep:
	VMULPS (R8)(BX*1), Y1, Y11   // b1·m1
	VMULPS Y10, Y2, Y12          // (1-b1)·gi
	VADDPS Y12, Y11, Y11         // m1
	VMOVUPS Y11, (R8)(BX*1)
	VMULPS (R9)(BX*1), Y3, Y12   // b2·m2
	VMULPS Y10, Y4, Y13          // (1-b2)·gi
	VMULPS Y10, Y13, Y13         // ·gi
	VADDPS Y13, Y12, Y12         // m2
	VMOVUPS Y12, (R9)(BX*1)
	VMULPS Y11, Y5, Y11          // lr·m1
	VMULPS Y6, Y11, Y11          // ·db1
	VMULPS Y7, Y12, Y12          // m2·db2
	VSQRTPS Y12, Y12
	VADDPS Y8, Y12, Y12          // √ + eps
	VDIVPS Y12, Y11, Y11         // step = lr·m1·db1 / (√ + eps)
	VMOVUPS (DI)(BX*1), Y13
	VMULPS Y13, Y9, Y14          // decay·p
	VADDPS Y14, Y11, Y11         // step + decay·p
	VSUBPS Y11, Y13, Y13         // p − (step + decay·p)
	VMOVUPS Y13, (DI)(BX*1)
	ADDQ $32, BX
	JMP  loop

done:
	VZEROUPPER
	RET
