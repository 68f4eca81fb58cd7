//go:build !purego

#include "textflag.h"

// Constants, each repeated over a YMM register's 8 lanes (see doc.go for
// the exponential's coefficients).
DATA siluc<>+0(SB)/4, $0x3fb8aa3b // log2e
DATA siluc<>+4(SB)/4, $0x3fb8aa3b // log2e
DATA siluc<>+8(SB)/4, $0x3fb8aa3b // log2e
DATA siluc<>+12(SB)/4, $0x3fb8aa3b // log2e
DATA siluc<>+16(SB)/4, $0x3fb8aa3b // log2e
DATA siluc<>+20(SB)/4, $0x3fb8aa3b // log2e
DATA siluc<>+24(SB)/4, $0x3fb8aa3b // log2e
DATA siluc<>+28(SB)/4, $0x3fb8aa3b // log2e
DATA siluc<>+32(SB)/4, $0x4b400000 // shifter
DATA siluc<>+36(SB)/4, $0x4b400000 // shifter
DATA siluc<>+40(SB)/4, $0x4b400000 // shifter
DATA siluc<>+44(SB)/4, $0x4b400000 // shifter
DATA siluc<>+48(SB)/4, $0x4b400000 // shifter
DATA siluc<>+52(SB)/4, $0x4b400000 // shifter
DATA siluc<>+56(SB)/4, $0x4b400000 // shifter
DATA siluc<>+60(SB)/4, $0x4b400000 // shifter
DATA siluc<>+64(SB)/4, $0x3f318000 // ln2hi
DATA siluc<>+68(SB)/4, $0x3f318000 // ln2hi
DATA siluc<>+72(SB)/4, $0x3f318000 // ln2hi
DATA siluc<>+76(SB)/4, $0x3f318000 // ln2hi
DATA siluc<>+80(SB)/4, $0x3f318000 // ln2hi
DATA siluc<>+84(SB)/4, $0x3f318000 // ln2hi
DATA siluc<>+88(SB)/4, $0x3f318000 // ln2hi
DATA siluc<>+92(SB)/4, $0x3f318000 // ln2hi
DATA siluc<>+96(SB)/4, $0xb95e8083 // ln2lo
DATA siluc<>+100(SB)/4, $0xb95e8083 // ln2lo
DATA siluc<>+104(SB)/4, $0xb95e8083 // ln2lo
DATA siluc<>+108(SB)/4, $0xb95e8083 // ln2lo
DATA siluc<>+112(SB)/4, $0xb95e8083 // ln2lo
DATA siluc<>+116(SB)/4, $0xb95e8083 // ln2lo
DATA siluc<>+120(SB)/4, $0xb95e8083 // ln2lo
DATA siluc<>+124(SB)/4, $0xb95e8083 // ln2lo
DATA siluc<>+128(SB)/4, $0x39506967 // p0
DATA siluc<>+132(SB)/4, $0x39506967 // p0
DATA siluc<>+136(SB)/4, $0x39506967 // p0
DATA siluc<>+140(SB)/4, $0x39506967 // p0
DATA siluc<>+144(SB)/4, $0x39506967 // p0
DATA siluc<>+148(SB)/4, $0x39506967 // p0
DATA siluc<>+152(SB)/4, $0x39506967 // p0
DATA siluc<>+156(SB)/4, $0x39506967 // p0
DATA siluc<>+160(SB)/4, $0x3ab743ce // p1
DATA siluc<>+164(SB)/4, $0x3ab743ce // p1
DATA siluc<>+168(SB)/4, $0x3ab743ce // p1
DATA siluc<>+172(SB)/4, $0x3ab743ce // p1
DATA siluc<>+176(SB)/4, $0x3ab743ce // p1
DATA siluc<>+180(SB)/4, $0x3ab743ce // p1
DATA siluc<>+184(SB)/4, $0x3ab743ce // p1
DATA siluc<>+188(SB)/4, $0x3ab743ce // p1
DATA siluc<>+192(SB)/4, $0x3c088908 // p2
DATA siluc<>+196(SB)/4, $0x3c088908 // p2
DATA siluc<>+200(SB)/4, $0x3c088908 // p2
DATA siluc<>+204(SB)/4, $0x3c088908 // p2
DATA siluc<>+208(SB)/4, $0x3c088908 // p2
DATA siluc<>+212(SB)/4, $0x3c088908 // p2
DATA siluc<>+216(SB)/4, $0x3c088908 // p2
DATA siluc<>+220(SB)/4, $0x3c088908 // p2
DATA siluc<>+224(SB)/4, $0x3d2aa9c1 // p3
DATA siluc<>+228(SB)/4, $0x3d2aa9c1 // p3
DATA siluc<>+232(SB)/4, $0x3d2aa9c1 // p3
DATA siluc<>+236(SB)/4, $0x3d2aa9c1 // p3
DATA siluc<>+240(SB)/4, $0x3d2aa9c1 // p3
DATA siluc<>+244(SB)/4, $0x3d2aa9c1 // p3
DATA siluc<>+248(SB)/4, $0x3d2aa9c1 // p3
DATA siluc<>+252(SB)/4, $0x3d2aa9c1 // p3
DATA siluc<>+256(SB)/4, $0x3e2aaaaa // p4
DATA siluc<>+260(SB)/4, $0x3e2aaaaa // p4
DATA siluc<>+264(SB)/4, $0x3e2aaaaa // p4
DATA siluc<>+268(SB)/4, $0x3e2aaaaa // p4
DATA siluc<>+272(SB)/4, $0x3e2aaaaa // p4
DATA siluc<>+276(SB)/4, $0x3e2aaaaa // p4
DATA siluc<>+280(SB)/4, $0x3e2aaaaa // p4
DATA siluc<>+284(SB)/4, $0x3e2aaaaa // p4
DATA siluc<>+288(SB)/4, $0x3f000000 // p5
DATA siluc<>+292(SB)/4, $0x3f000000 // p5
DATA siluc<>+296(SB)/4, $0x3f000000 // p5
DATA siluc<>+300(SB)/4, $0x3f000000 // p5
DATA siluc<>+304(SB)/4, $0x3f000000 // p5
DATA siluc<>+308(SB)/4, $0x3f000000 // p5
DATA siluc<>+312(SB)/4, $0x3f000000 // p5
DATA siluc<>+316(SB)/4, $0x3f000000 // p5
DATA siluc<>+320(SB)/4, $0x3f800000 // one
DATA siluc<>+324(SB)/4, $0x3f800000 // one
DATA siluc<>+328(SB)/4, $0x3f800000 // one
DATA siluc<>+332(SB)/4, $0x3f800000 // one
DATA siluc<>+336(SB)/4, $0x3f800000 // one
DATA siluc<>+340(SB)/4, $0x3f800000 // one
DATA siluc<>+344(SB)/4, $0x3f800000 // one
DATA siluc<>+348(SB)/4, $0x3f800000 // one
DATA siluc<>+352(SB)/4, $0x42ae0000 // hi
DATA siluc<>+356(SB)/4, $0x42ae0000 // hi
DATA siluc<>+360(SB)/4, $0x42ae0000 // hi
DATA siluc<>+364(SB)/4, $0x42ae0000 // hi
DATA siluc<>+368(SB)/4, $0x42ae0000 // hi
DATA siluc<>+372(SB)/4, $0x42ae0000 // hi
DATA siluc<>+376(SB)/4, $0x42ae0000 // hi
DATA siluc<>+380(SB)/4, $0x42ae0000 // hi
DATA siluc<>+384(SB)/4, $0xc2ae0000 // lo
DATA siluc<>+388(SB)/4, $0xc2ae0000 // lo
DATA siluc<>+392(SB)/4, $0xc2ae0000 // lo
DATA siluc<>+396(SB)/4, $0xc2ae0000 // lo
DATA siluc<>+400(SB)/4, $0xc2ae0000 // lo
DATA siluc<>+404(SB)/4, $0xc2ae0000 // lo
DATA siluc<>+408(SB)/4, $0xc2ae0000 // lo
DATA siluc<>+412(SB)/4, $0xc2ae0000 // lo
DATA siluc<>+416(SB)/4, $0x4b3fff81 // bits(shifter) - 127
DATA siluc<>+420(SB)/4, $0x4b3fff81 // bits(shifter) - 127
DATA siluc<>+424(SB)/4, $0x4b3fff81 // bits(shifter) - 127
DATA siluc<>+428(SB)/4, $0x4b3fff81 // bits(shifter) - 127
DATA siluc<>+432(SB)/4, $0x4b3fff81 // bits(shifter) - 127
DATA siluc<>+436(SB)/4, $0x4b3fff81 // bits(shifter) - 127
DATA siluc<>+440(SB)/4, $0x4b3fff81 // bits(shifter) - 127
DATA siluc<>+444(SB)/4, $0x4b3fff81 // bits(shifter) - 127
GLOBL siluc<>(SB), RODATA|NOPTR, $448

// func siluAVX2(dst, sig, x *float32, n int)
//
// dst[i] = x[i]·σ(x[i]) and, if sig is not nil, sig[i] = σ(x[i]), for n a
// multiple of 8; the same steps as siluGo, 8 lanes at a time with FMAs.
// Registers: SI x, DI sig, DX dst, CX count; Y11/Y12 the clamp ±87, Y15
// log2e; Y0 v, Y1 u then r, Y2 t then the scale then σ, Y3 n then the
// polynomial then e.
TEXT ·siluAVX2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DX
	MOVQ sig+8(FP), DI
	MOVQ x+16(FP), SI
	MOVQ n+24(FP), CX
	VBROADCASTSS siluc<>+352(SB), Y11
	VBROADCASTSS siluc<>+384(SB), Y12
	VBROADCASTSS siluc<>+0(SB), Y15

loop:
	TESTQ CX, CX
	JZ    done
	VMOVUPS (SI), Y0
	VXORPS  Y1, Y1, Y1
	VSUBPS  Y0, Y1, Y1 // u = −v
	VMAXPS  Y1, Y12, Y1 // max(−87, u); a NaN u passes
	VMINPS  Y1, Y11, Y1 // min(87, u)
	VMOVAPS Y15, Y2
	VFMADD213PS siluc<>+32(SB), Y1, Y2 // t = u·log2e + shifter
	VSUBPS  siluc<>+32(SB), Y2, Y3 // n = t − shifter
	VFNMADD231PS siluc<>+64(SB), Y3, Y1 // r = u − n·ln2hi
	VFNMADD231PS siluc<>+96(SB), Y3, Y1 // r −= n·ln2lo
	VMOVUPS siluc<>+128(SB), Y3
	VFMADD213PS siluc<>+160(SB), Y1, Y3
	VFMADD213PS siluc<>+192(SB), Y1, Y3
	VFMADD213PS siluc<>+224(SB), Y1, Y3
	VFMADD213PS siluc<>+256(SB), Y1, Y3
	VFMADD213PS siluc<>+288(SB), Y1, Y3 // p
	VFMADD213PS siluc<>+320(SB), Y1, Y3 // p·r + 1
	VFMADD213PS siluc<>+320(SB), Y1, Y3 // (p·r + 1)·r + 1 = e^r
	VPSUBD  siluc<>+416(SB), Y2, Y2 // n + 127
	VPSLLD  $23, Y2, Y2 // 2^n
	VMULPS  Y2, Y3, Y3 // e^u
	VADDPS  siluc<>+320(SB), Y3, Y3 // 1 + e^−v
	VMOVUPS siluc<>+320(SB), Y2
	VDIVPS  Y3, Y2, Y2 // σ
	TESTQ   DI, DI
	JZ      nosig
	VMOVUPS Y2, (DI)
	ADDQ    $32, DI

nosig:
	VMULPS  Y2, Y0, Y0
	VMOVUPS Y0, (DX)
	ADDQ    $32, SI
	ADDQ    $32, DX
	SUBQ    $8, CX
	JMP     loop

done:
	VZEROUPPER
	RET
