//go:build !purego

#include "textflag.h"

// Constants, one float32 each, broadcast to the 8 lanes where used (see
// doc.go and exp.go for the values).
DATA expc<>+0(SB)/4, $0x42ae0000  // 87
DATA expc<>+4(SB)/4, $0xc2ae0000  // −87
DATA expc<>+8(SB)/4, $0x3fb8aa3b  // log2e
DATA expc<>+12(SB)/4, $0x4b400000 // shifter 1.5·2^23
DATA expc<>+16(SB)/4, $0x3f800000 // 1
DATA expc<>+20(SB)/4, $0x4b3fff81 // bits(shifter) − 127
DATA expc<>+24(SB)/4, $0x3f318000 // ln2Hi
DATA expc<>+28(SB)/4, $0xb95e8083 // ln2Lo
DATA expc<>+32(SB)/4, $0x39506967 // p0
DATA expc<>+36(SB)/4, $0x3ab743ce // p1
DATA expc<>+40(SB)/4, $0x3c088908 // p2
DATA expc<>+44(SB)/4, $0x3d2aa9c1 // p3
DATA expc<>+48(SB)/4, $0x3e2aaaaa // p4
DATA expc<>+52(SB)/4, $0x3f000000 // p5
DATA expc<>+56(SB)/4, $0x7fffffff // |·| mask
DATA expc<>+60(SB)/4, $0x40000000 // 2
DATA expc<>+64(SB)/4, $0x3f200000 // tanhSmall 0.625
DATA expc<>+68(SB)/4, $0xbbbaf0ea // t0
DATA expc<>+72(SB)/4, $0x3ca9134e // t1
DATA expc<>+76(SB)/4, $0xbd5c1e2d // t2
DATA expc<>+80(SB)/4, $0x3e088393 // t3
DATA expc<>+84(SB)/4, $0xbeaaaa99 // t4
GLOBL expc<>(SB), RODATA|NOPTR, $88

// EXPCONST loads the registers EXPF needs: Y8 87, Y9 −87, Y10 log2e, Y11
// the shifter, Y12 1, Y13 bits(shifter) − 127.
#define EXPCONST \
	VBROADCASTSS expc<>+0(SB), Y8 \
	VBROADCASTSS expc<>+4(SB), Y9 \
	VBROADCASTSS expc<>+8(SB), Y10 \
	VBROADCASTSS expc<>+12(SB), Y11 \
	VBROADCASTSS expc<>+16(SB), Y12 \
	VBROADCASTSS expc<>+20(SB), Y13

// EXPF sets Y0 = e^Y0 in exp32's steps, one rounding per instruction (no
// fused multiply-adds): clamp u to ±87 (a NaN passes VMAXPS and VMINPS as
// their second source), t = u·log2e + shifter, n = t − shifter, r = u −
// n·ln2Hi − n·ln2Lo, p = Horner's P(r), e^r = p·r² + r + 1, then e^r·2^n
// with 2^n built from t's low bits. It uses Y1-Y3.
#define EXPF \
	VMAXPS Y0, Y9, Y0 \
	VMINPS Y0, Y8, Y0 \
	VMULPS Y10, Y0, Y1 \
	VADDPS Y11, Y1, Y1 \
	VSUBPS Y11, Y1, Y2 \
	VBROADCASTSS expc<>+24(SB), Y3 \
	VMULPS Y2, Y3, Y3 \
	VSUBPS Y3, Y0, Y0 \
	VBROADCASTSS expc<>+28(SB), Y3 \
	VMULPS Y2, Y3, Y3 \
	VSUBPS Y3, Y0, Y0 \
	VBROADCASTSS expc<>+32(SB), Y2 \
	VMULPS Y0, Y2, Y2 \
	VBROADCASTSS expc<>+36(SB), Y3 \
	VADDPS Y3, Y2, Y2 \
	VMULPS Y0, Y2, Y2 \
	VBROADCASTSS expc<>+40(SB), Y3 \
	VADDPS Y3, Y2, Y2 \
	VMULPS Y0, Y2, Y2 \
	VBROADCASTSS expc<>+44(SB), Y3 \
	VADDPS Y3, Y2, Y2 \
	VMULPS Y0, Y2, Y2 \
	VBROADCASTSS expc<>+48(SB), Y3 \
	VADDPS Y3, Y2, Y2 \
	VMULPS Y0, Y2, Y2 \
	VBROADCASTSS expc<>+52(SB), Y3 \
	VADDPS Y3, Y2, Y2 \
	VMULPS Y0, Y0, Y3 \
	VMULPS Y3, Y2, Y2 \
	VADDPS Y0, Y2, Y2 \
	VADDPS Y12, Y2, Y2 \
	VPSUBD Y13, Y1, Y1 \
	VPSLLD $23, Y1, Y1 \
	VMULPS Y1, Y2, Y0

// func expAVX2(dst, x *float32, n int)
//
// dst[i] = e^x[i] for n a multiple of 8. Registers: SI x, DI dst, CX count.
TEXT ·expAVX2(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	EXPCONST

exploop:
	TESTQ   CX, CX
	JZ      expdone
	VMOVUPS (SI), Y0
	EXPF
	VMOVUPS Y0, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	SUBQ    $8, CX
	JMP     exploop

expdone:
	VZEROUPPER
	RET

// func softClampAVX2(dst, x *float32, n int, c float32)
//
// dst[i] = c·tanh(x[i]/c) for n a multiple of 8, in tanh32's steps: both of
// its branches, then a blend. Registers: Y14 c, Y7 the |·| mask, Y5 u =
// x/c, Y6 |u|, Y4 the small branch, Y0 the large one and the result.
TEXT ·softClampAVX2(SB), NOSPLIT, $0-28
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	VBROADCASTSS c+24(FP), Y14
	VBROADCASTSS expc<>+56(SB), Y7
	EXPCONST

clamploop:
	TESTQ   CX, CX
	JZ      clampdone
	VMOVUPS (SI), Y5
	VDIVPS  Y14, Y5, Y5 // u = x/c
	VANDPS  Y7, Y5, Y6  // a = |u|

	// a < 0.625: a + a·z·P(z), z = a²
	VMULPS       Y6, Y6, Y1
	VBROADCASTSS expc<>+68(SB), Y4
	VMULPS       Y1, Y4, Y4
	VBROADCASTSS expc<>+72(SB), Y3
	VADDPS       Y3, Y4, Y4
	VMULPS       Y1, Y4, Y4
	VBROADCASTSS expc<>+76(SB), Y3
	VADDPS       Y3, Y4, Y4
	VMULPS       Y1, Y4, Y4
	VBROADCASTSS expc<>+80(SB), Y3
	VADDPS       Y3, Y4, Y4
	VMULPS       Y1, Y4, Y4
	VBROADCASTSS expc<>+84(SB), Y3
	VADDPS       Y3, Y4, Y4
	VMULPS       Y1, Y4, Y4 // P·z
	VMULPS       Y6, Y4, Y4 // ·a
	VADDPS       Y6, Y4, Y4 // + a

	// otherwise (and NaN): 1 − 2/(e^{2a} + 1)
	VADDPS       Y6, Y6, Y0
	EXPF
	VADDPS       Y12, Y0, Y0
	VBROADCASTSS expc<>+60(SB), Y1
	VDIVPS       Y0, Y1, Y0 // 2/(e + 1)
	VSUBPS       Y0, Y12, Y0

	VBROADCASTSS expc<>+64(SB), Y3
	VCMPPS       $0x11, Y3, Y6, Y3 // a < 0.625 (ordered, quiet)
	VBLENDVPS    Y3, Y4, Y0, Y0
	VANDNPS      Y5, Y7, Y1        // u's sign bit
	VORPS        Y1, Y0, Y0        // tanh u
	VMULPS       Y14, Y0, Y0
	VMOVUPS      Y0, (DI)
	ADDQ         $32, SI
	ADDQ         $32, DI
	SUBQ         $8, CX
	JMP          clamploop

clampdone:
	VZEROUPPER
	RET
