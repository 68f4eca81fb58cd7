//go:build !purego

#include "textflag.h"

// AVX-512 micro-kernel for a 16-wide panel: C row r lives in one ZMM register.
// As in kern8, even steps over k accumulate in Z0–Z5 and odd steps in Z6–Z11
// (twelve chains hide the FMA latency); the FMAs take their A operand as an
// embedded broadcast. Registers and flags as in kernel_amd64.s.

#define FMAZ(addr, acc) \
	VFMADD231PS.BCST addr, Z12, acc

#define NEXTZ \
	ADDQ R14, SI; \
	ADDQ R14, DI; \
	ADDQ R11, BX

#define FMA32(addr, lo, hi) \
	VBROADCASTSS addr, Z14; \
	VFMADD231PS  Z12, Z14, lo; \
	VFMADD231PS  Z13, Z14, hi

#define ADDC32(lo, hi) \
	VADDPS (R10), lo, lo; \
	VADDPS 64(R10), hi, hi; \
	ADDQ   R9, R10

#define STORE32(lo, hi) \
	VMOVUPS lo, (R10); \
	VMOVUPS hi, 64(R10); \
	ADDQ    R9, R10

#define ADDCZ(acc) \
	VADDPS (R10), acc, acc; \
	ADDQ   R9, R10

#define STOREZ(acc) \
	VMOVUPS acc, (R10); \
	ADDQ    R9, R10

#define RELUMAXZ(r) \
	VMULPS Z15, r, Z14; \
	VMAXPS Z14, r, r

#define RELUMINZ(r) \
	VMULPS Z15, r, Z14; \
	VMINPS Z14, r, r

// func kern16z(k int, a *float32, lda int, b *float32, bstride int, c *float32, ldc int, mr int, bias *float32, flags int, alpha float32, astep int)
TEXT ·kern16z(SB), NOSPLIT, $0-96
	MOVQ astep+88(FP), R14
	SHLQ $2, R14
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ lda+16(FP), R8
	MOVQ b+24(FP), BX
	MOVQ bstride+32(FP), R11
	MOVQ c+40(FP), DX
	MOVQ ldc+48(FP), R9
	MOVQ mr+56(FP), R12
	MOVQ bias+64(FP), AX
	MOVQ flags+72(FP), R13
	SHLQ $2, R8
	SHLQ $2, R11
	SHLQ $2, R9
	LEAQ (SI)(R8*2), DI
	ADDQ R8, DI

	// VEX-encoded writes of Y registers zero the upper half of the Z ones.
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11
	TESTQ  $2, R13
	JZ     zeroz
	VMOVUPS (AX), Z0
	VMOVAPS Z0, Z1
	VMOVAPS Z0, Z2
	VMOVAPS Z0, Z3
	VMOVAPS Z0, Z4
	VMOVAPS Z0, Z5
	JMP    startz

zeroz:
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5

startz:
	TESTQ CX, CX
	JZ    combinez
	MOVQ  CX, AX // k, for the odd test
	INCQ  CX
	SHRQ  $1, CX
	CMPQ  R12, $6
	JEQ   loopzr6
	CMPQ  R12, $4
	JEQ   loopzr4
	JGT   loopzr5
	CMPQ  R12, $2
	JEQ   loopzr2
	JGT   loopzr3

loopzr1:
	TESTQ $1, AX
	JNZ   oddzr1

evenzr1:
	VMOVUPS (BX), Z12
	FMAZ((SI), Z0)
	NEXTZ

oddzr1:
	VMOVUPS (BX), Z12
	FMAZ((SI), Z6)
	NEXTZ
	DECQ    CX
	JNZ     evenzr1
	JMP     combinez

loopzr2:
	TESTQ $1, AX
	JNZ   oddzr2

evenzr2:
	VMOVUPS (BX), Z12
	FMAZ((SI), Z0)
	FMAZ((SI)(R8*1), Z1)
	NEXTZ

oddzr2:
	VMOVUPS (BX), Z12
	FMAZ((SI), Z6)
	FMAZ((SI)(R8*1), Z7)
	NEXTZ
	DECQ    CX
	JNZ     evenzr2
	JMP     combinez

loopzr3:
	TESTQ $1, AX
	JNZ   oddzr3

evenzr3:
	VMOVUPS (BX), Z12
	FMAZ((SI), Z0)
	FMAZ((SI)(R8*1), Z1)
	FMAZ((SI)(R8*2), Z2)
	NEXTZ

oddzr3:
	VMOVUPS (BX), Z12
	FMAZ((SI), Z6)
	FMAZ((SI)(R8*1), Z7)
	FMAZ((SI)(R8*2), Z8)
	NEXTZ
	DECQ    CX
	JNZ     evenzr3
	JMP     combinez

loopzr4:
	TESTQ $1, AX
	JNZ   oddzr4

evenzr4:
	VMOVUPS (BX), Z12
	FMAZ((SI), Z0)
	FMAZ((SI)(R8*1), Z1)
	FMAZ((SI)(R8*2), Z2)
	FMAZ((DI), Z3)
	NEXTZ

oddzr4:
	VMOVUPS (BX), Z12
	FMAZ((SI), Z6)
	FMAZ((SI)(R8*1), Z7)
	FMAZ((SI)(R8*2), Z8)
	FMAZ((DI), Z9)
	NEXTZ
	DECQ    CX
	JNZ     evenzr4
	JMP     combinez

loopzr5:
	TESTQ $1, AX
	JNZ   oddzr5

evenzr5:
	VMOVUPS (BX), Z12
	FMAZ((SI), Z0)
	FMAZ((SI)(R8*1), Z1)
	FMAZ((SI)(R8*2), Z2)
	FMAZ((DI), Z3)
	FMAZ((DI)(R8*1), Z4)
	NEXTZ

oddzr5:
	VMOVUPS (BX), Z12
	FMAZ((SI), Z6)
	FMAZ((SI)(R8*1), Z7)
	FMAZ((SI)(R8*2), Z8)
	FMAZ((DI), Z9)
	FMAZ((DI)(R8*1), Z10)
	NEXTZ
	DECQ    CX
	JNZ     evenzr5
	JMP     combinez

loopzr6:
	TESTQ $1, AX
	JNZ   oddzr6

evenzr6:
	VMOVUPS (BX), Z12
	FMAZ((SI), Z0)
	FMAZ((SI)(R8*1), Z1)
	FMAZ((SI)(R8*2), Z2)
	FMAZ((DI), Z3)
	FMAZ((DI)(R8*1), Z4)
	FMAZ((DI)(R8*2), Z5)
	NEXTZ

oddzr6:
	VMOVUPS (BX), Z12
	FMAZ((SI), Z6)
	FMAZ((SI)(R8*1), Z7)
	FMAZ((SI)(R8*2), Z8)
	FMAZ((DI), Z9)
	FMAZ((DI)(R8*1), Z10)
	FMAZ((DI)(R8*2), Z11)
	NEXTZ
	DECQ    CX
	JNZ     evenzr6

combinez:
	VADDPS Z6, Z0, Z0
	VADDPS Z7, Z1, Z1
	VADDPS Z8, Z2, Z2
	VADDPS Z9, Z3, Z3
	VADDPS Z10, Z4, Z4
	VADDPS Z11, Z5, Z5

	TESTQ $1, R13
	JZ    actz
	MOVQ  DX, R10
	ADDCZ(Z0)
	CMPQ  R12, $2
	JLT   actz
	ADDCZ(Z1)
	CMPQ  R12, $3
	JLT   actz
	ADDCZ(Z2)
	CMPQ  R12, $4
	JLT   actz
	ADDCZ(Z3)
	CMPQ  R12, $5
	JLT   actz
	ADDCZ(Z4)
	CMPQ  R12, $6
	JLT   actz
	ADDCZ(Z5)

actz:
	TESTQ $4, R13
	JZ    storez
	VBROADCASTSS alpha+80(FP), Z15
	TESTQ $8, R13
	JNZ   minz
	RELUMAXZ(Z0)
	RELUMAXZ(Z1)
	RELUMAXZ(Z2)
	RELUMAXZ(Z3)
	RELUMAXZ(Z4)
	RELUMAXZ(Z5)
	JMP   storez

minz:
	RELUMINZ(Z0)
	RELUMINZ(Z1)
	RELUMINZ(Z2)
	RELUMINZ(Z3)
	RELUMINZ(Z4)
	RELUMINZ(Z5)

storez:
	MOVQ  DX, R10
	STOREZ(Z0)
	CMPQ  R12, $2
	JLT   donez
	STOREZ(Z1)
	CMPQ  R12, $3
	JLT   donez
	STOREZ(Z2)
	CMPQ  R12, $4
	JLT   donez
	STOREZ(Z3)
	CMPQ  R12, $5
	JLT   donez
	STOREZ(Z4)
	CMPQ  R12, $6
	JLT   donez
	STOREZ(Z5)

donez:
	VZEROUPPER
	RET

// func kern32z(k int, a *float32, lda int, b *float32, bstride int, boff int, c *float32, ldc int, mr int, bias *float32, flags int, alpha float32, astep int)
// Two adjacent 16-wide panels, the second boff floats after the first: C row r
// lives in Z(2r) and Z(2r+1), twelve independent chains, and each broadcast A
// value feeds two FMAs. Sums in the same order as kern16, so the results are
// the same bit for bit.
TEXT ·kern32z(SB), NOSPLIT, $0-104
	MOVQ astep+96(FP), R14
	SHLQ $2, R14
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ lda+16(FP), R8
	MOVQ b+24(FP), BX
	MOVQ bstride+32(FP), R11
	MOVQ c+48(FP), DX
	MOVQ ldc+56(FP), R9
	MOVQ mr+64(FP), R12
	MOVQ bias+72(FP), AX
	MOVQ flags+80(FP), R13
	SHLQ $2, R8
	SHLQ $2, R11
	SHLQ $2, R9
	LEAQ (SI)(R8*2), DI
	ADDQ R8, DI

	TESTQ  $2, R13
	JZ     zero32
	VMOVUPS (AX), Z0
	VMOVUPS 64(AX), Z1
	VMOVAPS Z0, Z2
	VMOVAPS Z1, Z3
	VMOVAPS Z0, Z4
	VMOVAPS Z1, Z5
	VMOVAPS Z0, Z6
	VMOVAPS Z1, Z7
	VMOVAPS Z0, Z8
	VMOVAPS Z1, Z9
	VMOVAPS Z0, Z10
	VMOVAPS Z1, Z11
	JMP    start32

zero32:
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11

start32:
	MOVQ  boff+40(FP), AX
	SHLQ  $2, AX
	TESTQ CX, CX
	JZ    epilogue32
	CMPQ  R12, $6
	JEQ   loop32r6
	CMPQ  R12, $4
	JEQ   loop32r4
	JGT   loop32r5
	CMPQ  R12, $2
	JEQ   loop32r2
	JGT   loop32r3

loop32r1:
	VMOVUPS (BX), Z12
	VMOVUPS (BX)(AX*1), Z13
	FMA32((SI), Z0, Z1)
	NEXTZ
	DECQ    CX
	JNZ     loop32r1
	JMP     epilogue32

loop32r2:
	VMOVUPS (BX), Z12
	VMOVUPS (BX)(AX*1), Z13
	FMA32((SI), Z0, Z1)
	FMA32((SI)(R8*1), Z2, Z3)
	NEXTZ
	DECQ    CX
	JNZ     loop32r2
	JMP     epilogue32

loop32r3:
	VMOVUPS (BX), Z12
	VMOVUPS (BX)(AX*1), Z13
	FMA32((SI), Z0, Z1)
	FMA32((SI)(R8*1), Z2, Z3)
	FMA32((SI)(R8*2), Z4, Z5)
	NEXTZ
	DECQ    CX
	JNZ     loop32r3
	JMP     epilogue32

loop32r4:
	VMOVUPS (BX), Z12
	VMOVUPS (BX)(AX*1), Z13
	FMA32((SI), Z0, Z1)
	FMA32((SI)(R8*1), Z2, Z3)
	FMA32((SI)(R8*2), Z4, Z5)
	FMA32((DI), Z6, Z7)
	NEXTZ
	DECQ    CX
	JNZ     loop32r4
	JMP     epilogue32

loop32r5:
	VMOVUPS (BX), Z12
	VMOVUPS (BX)(AX*1), Z13
	FMA32((SI), Z0, Z1)
	FMA32((SI)(R8*1), Z2, Z3)
	FMA32((SI)(R8*2), Z4, Z5)
	FMA32((DI), Z6, Z7)
	FMA32((DI)(R8*1), Z8, Z9)
	NEXTZ
	DECQ    CX
	JNZ     loop32r5
	JMP     epilogue32

loop32r6:
	VMOVUPS (BX), Z12
	VMOVUPS (BX)(AX*1), Z13
	FMA32((SI), Z0, Z1)
	FMA32((SI)(R8*1), Z2, Z3)
	FMA32((SI)(R8*2), Z4, Z5)
	FMA32((DI), Z6, Z7)
	FMA32((DI)(R8*1), Z8, Z9)
	FMA32((DI)(R8*2), Z10, Z11)
	NEXTZ
	DECQ    CX
	JNZ     loop32r6

epilogue32:
	TESTQ $1, R13
	JZ    act32
	MOVQ  DX, R10
	ADDC32(Z0, Z1)
	CMPQ  R12, $2
	JLT   act32
	ADDC32(Z2, Z3)
	CMPQ  R12, $3
	JLT   act32
	ADDC32(Z4, Z5)
	CMPQ  R12, $4
	JLT   act32
	ADDC32(Z6, Z7)
	CMPQ  R12, $5
	JLT   act32
	ADDC32(Z8, Z9)
	CMPQ  R12, $6
	JLT   act32
	ADDC32(Z10, Z11)

act32:
	TESTQ $4, R13
	JZ    store32
	VBROADCASTSS alpha+88(FP), Z15
	TESTQ $8, R13
	JNZ   min32
	RELUMAXZ(Z0)
	RELUMAXZ(Z1)
	RELUMAXZ(Z2)
	RELUMAXZ(Z3)
	RELUMAXZ(Z4)
	RELUMAXZ(Z5)
	RELUMAXZ(Z6)
	RELUMAXZ(Z7)
	RELUMAXZ(Z8)
	RELUMAXZ(Z9)
	RELUMAXZ(Z10)
	RELUMAXZ(Z11)
	JMP   store32

min32:
	RELUMINZ(Z0)
	RELUMINZ(Z1)
	RELUMINZ(Z2)
	RELUMINZ(Z3)
	RELUMINZ(Z4)
	RELUMINZ(Z5)
	RELUMINZ(Z6)
	RELUMINZ(Z7)
	RELUMINZ(Z8)
	RELUMINZ(Z9)
	RELUMINZ(Z10)
	RELUMINZ(Z11)

store32:
	MOVQ  DX, R10
	STORE32(Z0, Z1)
	CMPQ  R12, $2
	JLT   done32
	STORE32(Z2, Z3)
	CMPQ  R12, $3
	JLT   done32
	STORE32(Z4, Z5)
	CMPQ  R12, $4
	JLT   done32
	STORE32(Z6, Z7)
	CMPQ  R12, $5
	JLT   done32
	STORE32(Z8, Z9)
	CMPQ  R12, $6
	JLT   done32
	STORE32(Z10, Z11)

done32:
	VZEROUPPER
	RET
