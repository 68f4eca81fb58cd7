package flowgrad

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
)

// TestShardsMatchWholeBatch: a batch big enough to be sharded gives the
// outputs and input gradients that evaluating its shards as separate batches
// gives, bit for bit (rows are independent), and parameter gradients equal
// to their sum up to float32 rounding (only the order of the sum differs),
// with one goroutine or several.
func TestShardsMatchWholeBatch(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for _, cond := range []int{0, 2} {
		n, p := testNet(t, 5, cond, "leaky_relu", rng)
		rows := 2*shardRows + 37 // 2 shards of 146 and 147 rows
		k := shardsFor(rows)
		if k != 2 {
			t.Fatalf("shardsFor(%d) = %d, want 2", rows, k)
		}
		u, c := randVec(rng, rows*n.Dim), randVec(rng, rows*cond)
		dv, dld := randVec(rng, rows*n.Dim), make([]float64, rows)
		for i := range dld {
			dld[i] = rng.NormFloat64()
		}
		if cond == 0 {
			c = nil
		}
		// Reference: each shard's rows as a batch of their own (unsharded).
		wantV, wantLD := make([]float32, rows*n.Dim), make([]float64, rows)
		wantU, wantDU, wantDV := make([]float32, rows*n.Dim), make([]float32, rows*n.Dim), make([]float32, rows*n.Dim)
		wantG := make([]float64, n.NumParams)
		for s := range k {
			r0, r1 := shardBounds(rows, k, s)
			D := n.Dim
			var tf, ti Tape
			v, ld := n.Forward(p, &tf, u[r0*D:r1*D], condRows(c, cond, r0, r1), r1-r0)
			copy(wantV[r0*D:], v)
			copy(wantLD[r0:], ld)
			g := make([]float32, n.NumParams)
			copy(wantDU[r0*D:], n.Backward(p, g, &tf, dv[r0*D:r1*D], dld[r0:r1]))
			copy(wantU[r0*D:], n.Inverse(p, &ti, u[r0*D:r1*D], condRows(c, cond, r0, r1), r1-r0))
			copy(wantDV[r0*D:], n.InverseBackward(p, g, &ti, dv[r0*D:r1*D]))
			for i, x := range g {
				wantG[i] += float64(x)
			}
		}
		for _, procs := range []int{1, 2} {
			prev := runtime.GOMAXPROCS(procs)
			var tf, ti Tape
			v, ld := n.Forward(p, &tf, u, c, rows)
			g := make([]float32, n.NumParams)
			du := n.Backward(p, g, &tf, dv, dld)
			uu := n.Inverse(p, &ti, u, c, rows)
			dvv := n.InverseBackward(p, g, &ti, dv)
			runtime.GOMAXPROCS(prev)
			same := func(what string, got, want []float32) {
				for i := range want {
					if got[i] != want[i] {
						t.Fatalf("cond %d, GOMAXPROCS %d: %s[%d] = %g sharded, %g by shard", cond, procs, what, i, got[i], want[i])
					}
				}
			}
			same("Forward", v, wantV)
			same("Backward", du, wantDU)
			same("Inverse", uu, wantU)
			same("InverseBackward", dvv, wantDV)
			for i := range ld {
				if ld[i] != wantLD[i] {
					t.Fatalf("cond %d: logDet[%d] = %g sharded, %g by shard", cond, i, ld[i], wantLD[i])
				}
			}
			scale := 0.0
			for _, x := range wantG {
				scale = math.Max(scale, math.Abs(x))
			}
			for i := range g {
				if d := math.Abs(float64(g[i]) - wantG[i]); d > 1e-6*scale {
					t.Fatalf("cond %d, GOMAXPROCS %d: gradient %d = %g sharded, %g by shard (scale %g)", cond, procs, i, g[i], wantG[i], scale)
				}
			}
		}
	}
}
