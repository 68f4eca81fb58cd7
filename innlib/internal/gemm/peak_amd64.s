//go:build !purego

#include "textflag.h"

// FMA throughput loops for the benchmarks' peak: twelve independent
// accumulators, more than latency × ports (4 × 2) needs, and nothing else in
// the loop, so that the FMA ports are the only limit.

#define FMAS_Y \
	VFMADD231PS Y13, Y14, Y0; \
	VFMADD231PS Y13, Y14, Y1; \
	VFMADD231PS Y13, Y14, Y2; \
	VFMADD231PS Y13, Y14, Y3; \
	VFMADD231PS Y13, Y14, Y4; \
	VFMADD231PS Y13, Y14, Y5; \
	VFMADD231PS Y13, Y14, Y6; \
	VFMADD231PS Y13, Y14, Y7; \
	VFMADD231PS Y13, Y14, Y8; \
	VFMADD231PS Y13, Y14, Y9; \
	VFMADD231PS Y13, Y14, Y10; \
	VFMADD231PS Y13, Y14, Y11

#define FMAS_Z \
	VFMADD231PS Z13, Z14, Z0; \
	VFMADD231PS Z13, Z14, Z1; \
	VFMADD231PS Z13, Z14, Z2; \
	VFMADD231PS Z13, Z14, Z3; \
	VFMADD231PS Z13, Z14, Z4; \
	VFMADD231PS Z13, Z14, Z5; \
	VFMADD231PS Z13, Z14, Z6; \
	VFMADD231PS Z13, Z14, Z7; \
	VFMADD231PS Z13, Z14, Z8; \
	VFMADD231PS Z13, Z14, Z9; \
	VFMADD231PS Z13, Z14, Z10; \
	VFMADD231PS Z13, Z14, Z11

// func fmaLoopAVX2(n int): n iterations of 12 8-wide FMAs (192 flops).
TEXT ·fmaLoopAVX2(SB), NOSPLIT, $0-8
	MOVQ n+0(FP), CX
	VXORPS Y13, Y13, Y13
	VXORPS Y14, Y14, Y14
loop:
	FMAS_Y
	DECQ CX
	JNZ  loop
	VZEROUPPER
	RET

// func fmaLoopAVX512(n int): n iterations of 12 16-wide FMAs (384 flops).
TEXT ·fmaLoopAVX512(SB), NOSPLIT, $0-8
	MOVQ n+0(FP), CX
	VXORPS Z13, Z13, Z13
	VXORPS Z14, Z14, Z14
loopz:
	FMAS_Z
	DECQ CX
	JNZ  loopz
	VZEROUPPER
	RET
