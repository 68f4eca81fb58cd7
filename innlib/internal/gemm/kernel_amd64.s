//go:build !purego

#include "textflag.h"

// Micro-kernels: C[0:mr, 0:16 or 8] = epilogue(A[0:mr, 0:k] · panel).
// Each C row's 16 (8) floats live in two (one) YMM registers: Y0–Y11 for six
// rows. Each step over k loads one panel row (Y12, Y13), broadcasts one A
// value per C row (Y14) and issues two (one) FMAs per row: twelve independent
// accumulators hide the FMA latency. A row r is read at SI + r·lda for r < 3
// and DI + (r-3)·lda for r ≥ 3, so every address is a base plus R8·{0,1,2}.
//
// Registers: CX k counter, SI/DI A rows 0/3, R8 lda bytes, BX panel row,
// R11 panel stride bytes, DX C row 0, R9 ldc bytes, R10 C row cursor,
// R12 mr, R13 flags, AX bias, Y15 alpha, R14 the step from one column of A
// to the next in bytes (4, or lda·4 for a transposed A read with lda 1).
//
// Flags (driver.go): 1 accumulate, 2 bias, 4 leaky ReLU, 8 ReLU uses min.

// One C row of a 16-wide tile: acc += a[row] * panel row.
#define FMA16(addr, lo, hi) \
	VBROADCASTSS addr, Y14; \
	VFMADD231PS  Y12, Y14, lo; \
	VFMADD231PS  Y13, Y14, hi

#define FMA8(addr, acc) \
	VBROADCASTSS addr, Y14; \
	VFMADD231PS  Y12, Y14, acc

// Advance A by one column (R14 bytes: 4, or a row of a transposed A) and
// the panel by one row.
#define NEXTA \
	ADDQ R14, SI; \
	ADDQ R14, DI; \
	ADDQ R11, BX

// The same, counting down the steps left; sets the flags for JNZ.
#define NEXTK \
	NEXTA; \
	DECQ CX

// Epilogue pieces for the C row at R10, which then moves to the next row.
#define ADDC16(lo, hi) \
	VADDPS (R10), lo, lo; \
	VADDPS 32(R10), hi, hi; \
	ADDQ   R9, R10

#define STORE16(lo, hi) \
	VMOVUPS lo, (R10); \
	VMOVUPS hi, 32(R10); \
	ADDQ    R9, R10

#define ADDC8(acc) \
	VADDPS (R10), acc, acc; \
	ADDQ   R9, R10

#define STORE8(acc) \
	VMOVUPS acc, (R10); \
	ADDQ    R9, R10

// Leaky ReLU for alpha ≤ 1 (max) and alpha > 1 (min); NaN stays NaN because
// VMAXPS/VMINPS return their second source, alpha·x, when either is NaN.
#define RELUMAX(r) \
	VMULPS Y15, r, Y14; \
	VMAXPS Y14, r, r

#define RELUMIN(r) \
	VMULPS Y15, r, Y14; \
	VMINPS Y14, r, r

#define PROLOGUE \
	MOVQ  k+0(FP), CX; \
	MOVQ  a+8(FP), SI; \
	MOVQ  lda+16(FP), R8; \
	MOVQ  b+24(FP), BX; \
	MOVQ  bstride+32(FP), R11; \
	MOVQ  c+40(FP), DX; \
	MOVQ  ldc+48(FP), R9; \
	MOVQ  mr+56(FP), R12; \
	MOVQ  bias+64(FP), AX; \
	MOVQ  flags+72(FP), R13; \
	MOVQ  astep+88(FP), R14; \
	SHLQ  $2, R14; \
	SHLQ  $2, R8; \
	SHLQ  $2, R11; \
	SHLQ  $2, R9; \
	LEAQ  (SI)(R8*2), DI; \
	ADDQ  R8, DI

// func kern16(k int, a *float32, lda int, b *float32, bstride int, c *float32, ldc int, mr int, bias *float32, flags int, alpha float32, astep int, np int, pstep int)
//
// np tiles side by side, one per panel: after each, b moves on by pstep
// bytes and c and the bias by 16 floats, and the tile is computed again
// from the arguments (which it updates in place).
TEXT ·kern16(SB), NOSPLIT, $0-112
next16:
	PROLOGUE

	TESTQ $2, R13
	JZ    zero16
	VMOVUPS (AX), Y0
	VMOVUPS 32(AX), Y1
	VMOVAPS Y0, Y2
	VMOVAPS Y1, Y3
	VMOVAPS Y0, Y4
	VMOVAPS Y1, Y5
	VMOVAPS Y0, Y6
	VMOVAPS Y1, Y7
	VMOVAPS Y0, Y8
	VMOVAPS Y1, Y9
	VMOVAPS Y0, Y10
	VMOVAPS Y1, Y11
	JMP   start16

zero16:
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

start16:
	// One loop per row count, so that the hot loop has no row tests.
	TESTQ CX, CX
	JZ    epilogue16
	CMPQ  R12, $6
	JEQ   loop16r6
	CMPQ  R12, $4
	JEQ   loop16r4
	JGT   loop16r5
	CMPQ  R12, $2
	JEQ   loop16r2
	JGT   loop16r3

loop16r1:
	VMOVUPS (BX), Y12
	VMOVUPS 32(BX), Y13
	FMA16((SI), Y0, Y1)
	NEXTK
	JNZ     loop16r1
	JMP     epilogue16

loop16r2:
	VMOVUPS (BX), Y12
	VMOVUPS 32(BX), Y13
	FMA16((SI), Y0, Y1)
	FMA16((SI)(R8*1), Y2, Y3)
	NEXTK
	JNZ     loop16r2
	JMP     epilogue16

loop16r3:
	VMOVUPS (BX), Y12
	VMOVUPS 32(BX), Y13
	FMA16((SI), Y0, Y1)
	FMA16((SI)(R8*1), Y2, Y3)
	FMA16((SI)(R8*2), Y4, Y5)
	NEXTK
	JNZ     loop16r3
	JMP     epilogue16

loop16r4:
	VMOVUPS (BX), Y12
	VMOVUPS 32(BX), Y13
	FMA16((SI), Y0, Y1)
	FMA16((SI)(R8*1), Y2, Y3)
	FMA16((SI)(R8*2), Y4, Y5)
	FMA16((DI), Y6, Y7)
	NEXTK
	JNZ     loop16r4
	JMP     epilogue16

loop16r5:
	VMOVUPS (BX), Y12
	VMOVUPS 32(BX), Y13
	FMA16((SI), Y0, Y1)
	FMA16((SI)(R8*1), Y2, Y3)
	FMA16((SI)(R8*2), Y4, Y5)
	FMA16((DI), Y6, Y7)
	FMA16((DI)(R8*1), Y8, Y9)
	NEXTK
	JNZ     loop16r5
	JMP     epilogue16

loop16r6:
	VMOVUPS (BX), Y12
	VMOVUPS 32(BX), Y13
	FMA16((SI), Y0, Y1)
	FMA16((SI)(R8*1), Y2, Y3)
	FMA16((SI)(R8*2), Y4, Y5)
	FMA16((DI), Y6, Y7)
	FMA16((DI)(R8*1), Y8, Y9)
	FMA16((DI)(R8*2), Y10, Y11)
	NEXTK
	JNZ     loop16r6

epilogue16:
	// Rows past mr are skipped by the chain of tests on R12.
	TESTQ $1, R13
	JZ    act16
	MOVQ  DX, R10
	ADDC16(Y0, Y1)
	CMPQ  R12, $2
	JLT   act16
	ADDC16(Y2, Y3)
	CMPQ  R12, $3
	JLT   act16
	ADDC16(Y4, Y5)
	CMPQ  R12, $4
	JLT   act16
	ADDC16(Y6, Y7)
	CMPQ  R12, $5
	JLT   act16
	ADDC16(Y8, Y9)
	CMPQ  R12, $6
	JLT   act16
	ADDC16(Y10, Y11)

act16:
	// Unused rows are transformed too: harmless and branch-free.
	TESTQ $4, R13
	JZ    store16
	VBROADCASTSS alpha+80(FP), Y15
	TESTQ $8, R13
	JNZ   min16
	RELUMAX(Y0)
	RELUMAX(Y1)
	RELUMAX(Y2)
	RELUMAX(Y3)
	RELUMAX(Y4)
	RELUMAX(Y5)
	RELUMAX(Y6)
	RELUMAX(Y7)
	RELUMAX(Y8)
	RELUMAX(Y9)
	RELUMAX(Y10)
	RELUMAX(Y11)
	JMP   store16

min16:
	RELUMIN(Y0)
	RELUMIN(Y1)
	RELUMIN(Y2)
	RELUMIN(Y3)
	RELUMIN(Y4)
	RELUMIN(Y5)
	RELUMIN(Y6)
	RELUMIN(Y7)
	RELUMIN(Y8)
	RELUMIN(Y9)
	RELUMIN(Y10)
	RELUMIN(Y11)

store16:
	MOVQ  DX, R10
	STORE16(Y0, Y1)
	CMPQ  R12, $2
	JLT   done16
	STORE16(Y2, Y3)
	CMPQ  R12, $3
	JLT   done16
	STORE16(Y4, Y5)
	CMPQ  R12, $4
	JLT   done16
	STORE16(Y6, Y7)
	CMPQ  R12, $5
	JLT   done16
	STORE16(Y8, Y9)
	CMPQ  R12, $6
	JLT   done16
	STORE16(Y10, Y11)

done16:
	DECQ  np+96(FP)
	JLE   ret16
	MOVQ  pstep+104(FP), R10
	ADDQ  R10, b+24(FP)
	ADDQ  $64, c+40(FP)
	TESTQ $2, R13
	JZ    next16
	ADDQ  $64, bias+64(FP)
	JMP   next16

ret16:
	VZEROUPPER
	RET

// func kern8(k int, a *float32, lda int, b *float32, bstride int, c *float32, ldc int, mr int, bias *float32, flags int, alpha float32, astep int)
// One register per C row and one panel register (Y12). Six accumulators
// cannot hide the FMA latency, so even steps over k go to Y0–Y5 and odd steps
// to Y6–Y11, added at the end. Each loop is two half-steps; CX counts pairs,
// rounded up, and an odd k enters at the second half.
TEXT ·kern8(SB), NOSPLIT, $0-96
	PROLOGUE

	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11
	TESTQ $2, R13
	JZ    zero8
	VMOVUPS (AX), Y0
	VMOVAPS Y0, Y1
	VMOVAPS Y0, Y2
	VMOVAPS Y0, Y3
	VMOVAPS Y0, Y4
	VMOVAPS Y0, Y5
	JMP   start8

zero8:
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5

start8:
	TESTQ CX, CX
	JZ    combine8
	MOVQ  CX, AX // k, for the odd test
	INCQ  CX
	SHRQ  $1, CX
	CMPQ  R12, $6
	JEQ   loop8r6
	CMPQ  R12, $4
	JEQ   loop8r4
	JGT   loop8r5
	CMPQ  R12, $2
	JEQ   loop8r2
	JGT   loop8r3

loop8r1:
	TESTQ $1, AX
	JNZ   odd8r1

even8r1:
	VMOVUPS (BX), Y12
	FMA8((SI), Y0)
	NEXTA

odd8r1:
	VMOVUPS (BX), Y12
	FMA8((SI), Y6)
	NEXTA
	DECQ    CX
	JNZ     even8r1
	JMP     combine8

loop8r2:
	TESTQ $1, AX
	JNZ   odd8r2

even8r2:
	VMOVUPS (BX), Y12
	FMA8((SI), Y0)
	FMA8((SI)(R8*1), Y1)
	NEXTA

odd8r2:
	VMOVUPS (BX), Y12
	FMA8((SI), Y6)
	FMA8((SI)(R8*1), Y7)
	NEXTA
	DECQ    CX
	JNZ     even8r2
	JMP     combine8

loop8r3:
	TESTQ $1, AX
	JNZ   odd8r3

even8r3:
	VMOVUPS (BX), Y12
	FMA8((SI), Y0)
	FMA8((SI)(R8*1), Y1)
	FMA8((SI)(R8*2), Y2)
	NEXTA

odd8r3:
	VMOVUPS (BX), Y12
	FMA8((SI), Y6)
	FMA8((SI)(R8*1), Y7)
	FMA8((SI)(R8*2), Y8)
	NEXTA
	DECQ    CX
	JNZ     even8r3
	JMP     combine8

loop8r4:
	TESTQ $1, AX
	JNZ   odd8r4

even8r4:
	VMOVUPS (BX), Y12
	FMA8((SI), Y0)
	FMA8((SI)(R8*1), Y1)
	FMA8((SI)(R8*2), Y2)
	FMA8((DI), Y3)
	NEXTA

odd8r4:
	VMOVUPS (BX), Y12
	FMA8((SI), Y6)
	FMA8((SI)(R8*1), Y7)
	FMA8((SI)(R8*2), Y8)
	FMA8((DI), Y9)
	NEXTA
	DECQ    CX
	JNZ     even8r4
	JMP     combine8

loop8r5:
	TESTQ $1, AX
	JNZ   odd8r5

even8r5:
	VMOVUPS (BX), Y12
	FMA8((SI), Y0)
	FMA8((SI)(R8*1), Y1)
	FMA8((SI)(R8*2), Y2)
	FMA8((DI), Y3)
	FMA8((DI)(R8*1), Y4)
	NEXTA

odd8r5:
	VMOVUPS (BX), Y12
	FMA8((SI), Y6)
	FMA8((SI)(R8*1), Y7)
	FMA8((SI)(R8*2), Y8)
	FMA8((DI), Y9)
	FMA8((DI)(R8*1), Y10)
	NEXTA
	DECQ    CX
	JNZ     even8r5
	JMP     combine8

loop8r6:
	TESTQ $1, AX
	JNZ   odd8r6

even8r6:
	VMOVUPS (BX), Y12
	FMA8((SI), Y0)
	FMA8((SI)(R8*1), Y1)
	FMA8((SI)(R8*2), Y2)
	FMA8((DI), Y3)
	FMA8((DI)(R8*1), Y4)
	FMA8((DI)(R8*2), Y5)
	NEXTA

odd8r6:
	VMOVUPS (BX), Y12
	FMA8((SI), Y6)
	FMA8((SI)(R8*1), Y7)
	FMA8((SI)(R8*2), Y8)
	FMA8((DI), Y9)
	FMA8((DI)(R8*1), Y10)
	FMA8((DI)(R8*2), Y11)
	NEXTA
	DECQ    CX
	JNZ     even8r6

combine8:
	VADDPS Y6, Y0, Y0
	VADDPS Y7, Y1, Y1
	VADDPS Y8, Y2, Y2
	VADDPS Y9, Y3, Y3
	VADDPS Y10, Y4, Y4
	VADDPS Y11, Y5, Y5

epilogue8:
	TESTQ $1, R13
	JZ    act8
	MOVQ  DX, R10
	ADDC8(Y0)
	CMPQ  R12, $2
	JLT   act8
	ADDC8(Y1)
	CMPQ  R12, $3
	JLT   act8
	ADDC8(Y2)
	CMPQ  R12, $4
	JLT   act8
	ADDC8(Y3)
	CMPQ  R12, $5
	JLT   act8
	ADDC8(Y4)
	CMPQ  R12, $6
	JLT   act8
	ADDC8(Y5)

act8:
	TESTQ $4, R13
	JZ    store8
	VBROADCASTSS alpha+80(FP), Y15
	TESTQ $8, R13
	JNZ   min8
	RELUMAX(Y0)
	RELUMAX(Y1)
	RELUMAX(Y2)
	RELUMAX(Y3)
	RELUMAX(Y4)
	RELUMAX(Y5)
	JMP   store8

min8:
	RELUMIN(Y0)
	RELUMIN(Y1)
	RELUMIN(Y2)
	RELUMIN(Y3)
	RELUMIN(Y4)
	RELUMIN(Y5)

store8:
	MOVQ  DX, R10
	STORE8(Y0)
	CMPQ  R12, $2
	JLT   done8
	STORE8(Y1)
	CMPQ  R12, $3
	JLT   done8
	STORE8(Y2)
	CMPQ  R12, $4
	JLT   done8
	STORE8(Y3)
	CMPQ  R12, $5
	JLT   done8
	STORE8(Y4)
	CMPQ  R12, $6
	JLT   done8
	STORE8(Y5)

done8:
	VZEROUPPER
	RET
