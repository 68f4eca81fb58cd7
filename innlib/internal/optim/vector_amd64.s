//go:build !purego

#include "textflag.h"

// The loops of vector.go, 16 floats per iteration. Float32 values are
// widened to float64 (VCVTPS2PD) and squared or multiplied with FMA: the
// product of two float32s is exact in float64, so only the order of the
// additions differs from a sequential sum (four lanes times four
// accumulators, added together at the end).

// REDUCE4 adds Y0..Y3 into the low lane of X0.
#define REDUCE4 \
	VADDPD Y1, Y0, Y0; \
	VADDPD Y3, Y2, Y2; \
	VADDPD Y2, Y0, Y0; \
	VEXTRACTF128 $1, Y0, X1; \
	VADDPD X1, X0, X0; \
	VPERMILPD $1, X0, X1; \
	VADDSD X1, X0, X0

// func dotSqAVX2(x, y *float32, n int) (xy, yy float64)
TEXT ·dotSqAVX2(SB), NOSPLIT, $0-40
	MOVQ x+0(FP), SI
	MOVQ y+8(FP), DI
	MOVQ n+16(FP), CX
	SHLQ $2, CX
	XORQ BX, BX
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7

dotloop:
	CMPQ BX, CX
	JGE  dotdone
	VCVTPS2PD (SI)(BX*1), Y8
	VCVTPS2PD 16(SI)(BX*1), Y9
	VCVTPS2PD 32(SI)(BX*1), Y10
	VCVTPS2PD 48(SI)(BX*1), Y11
	VCVTPS2PD (DI)(BX*1), Y12
	VCVTPS2PD 16(DI)(BX*1), Y13
	VCVTPS2PD 32(DI)(BX*1), Y14
	VCVTPS2PD 48(DI)(BX*1), Y15
	VFMADD231PD Y12, Y8, Y0
	VFMADD231PD Y13, Y9, Y1
	VFMADD231PD Y14, Y10, Y2
	VFMADD231PD Y15, Y11, Y3
	VFMADD231PD Y12, Y12, Y4
	VFMADD231PD Y13, Y13, Y5
	VFMADD231PD Y14, Y14, Y6
	VFMADD231PD Y15, Y15, Y7
	ADDQ $64, BX
	JMP  dotloop

dotdone:
	REDUCE4
	VMOVSD X0, xy+24(FP)
	VADDPD Y5, Y4, Y4
	VADDPD Y7, Y6, Y6
	VADDPD Y6, Y4, Y4
	VEXTRACTF128 $1, Y4, X5
	VADDPD X5, X4, X4
	VPERMILPD $1, X4, X5
	VADDSD X5, X4, X4
	VMOVSD X4, yy+32(FP)
	VZEROUPPER
	RET

// SQ4 widens the 16 floats in Y8, Y9 and adds their squares to Y0..Y3.
#define SQ4 \
	VCVTPS2PD X8, Y10; \
	VEXTRACTF128 $1, Y8, X11; \
	VCVTPS2PD X11, Y11; \
	VCVTPS2PD X9, Y12; \
	VEXTRACTF128 $1, Y9, X13; \
	VCVTPS2PD X13, Y13; \
	VFMADD231PD Y10, Y10, Y0; \
	VFMADD231PD Y11, Y11, Y1; \
	VFMADD231PD Y12, Y12, Y2; \
	VFMADD231PD Y13, Y13, Y3

// ZEROX stores zeros (Y15) over the 16 floats of x just read, if DX is not 0.
#define ZEROX(label) \
	TESTQ DX, DX; \
	JZ    label; \
	VMOVUPS Y15, (SI)(BX*1); \
	VMOVUPS Y15, 32(SI)(BX*1); \
label:

// func addSqAVX2(dst, x *float32, n, zero int) (sq float64)
TEXT ·addSqAVX2(SB), NOSPLIT, $0-40
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	MOVQ zero+24(FP), DX
	VXORPS Y15, Y15, Y15
	SHLQ $2, CX
	XORQ BX, BX
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3

addloop:
	CMPQ BX, CX
	JGE  adddone
	VMOVUPS (DI)(BX*1), Y8
	VMOVUPS 32(DI)(BX*1), Y9
	VADDPS (SI)(BX*1), Y8, Y8   // dst + x
	VADDPS 32(SI)(BX*1), Y9, Y9
	ZEROX(addkeep)
	VMOVUPS Y8, (DI)(BX*1)
	VMOVUPS Y9, 32(DI)(BX*1)
	SQ4
	ADDQ $64, BX
	JMP  addloop

adddone:
	REDUCE4
	VMOVSD X0, sq+32(FP)
	VZEROUPPER
	RET

// func projectSqAVX2(dst, x *float32, n int, c float32, zero int) (sq float64)
TEXT ·projectSqAVX2(SB), NOSPLIT, $0-48
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	VBROADCASTSS c+24(FP), Y14
	MOVQ zero+32(FP), DX
	VXORPS Y15, Y15, Y15
	SHLQ $2, CX
	XORQ BX, BX
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3

projloop:
	CMPQ BX, CX
	JGE  projdone
	VMOVUPS (DI)(BX*1), Y8
	VMOVUPS 32(DI)(BX*1), Y9
	VMULPS Y8, Y14, Y10          // c·dst
	VMULPS Y9, Y14, Y11
	VMOVUPS (SI)(BX*1), Y12
	VMOVUPS 32(SI)(BX*1), Y13
	VSUBPS Y10, Y12, Y12         // x − c·dst
	VSUBPS Y11, Y13, Y13
	ZEROX(projkeep)
	VADDPS Y12, Y8, Y8           // dst + (x − c·dst)
	VADDPS Y13, Y9, Y9
	VMOVUPS Y8, (DI)(BX*1)
	VMOVUPS Y9, 32(DI)(BX*1)
	SQ4
	ADDQ $64, BX
	JMP  projloop

projdone:
	REDUCE4
	VMOVSD X0, sq+40(FP)
	VZEROUPPER
	RET
