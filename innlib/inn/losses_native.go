package inn

import (
	"github.com/ozarkinn/inn/innlib/internal/tensorutil"
	"github.com/ozarkinn/inn/innlib/mmd"
)

// termValues returns the unweighted loss terms of a batch (lossTerms) by
// name. With grad set it also leaves in e.gF and e.gI the gradients of the
// weighted terms of the forward and inverse groups (lossTerm.group); the
// conditional recipe's gradient goes to gF (gI is not used). Under Surgery
// "sum", where only gF + gI is used, the split between them is not kept.
func (e *nativeEngine) termValues(b *batchData, w map[string]float64, grad bool) map[string]float64 {
	if grad {
		if !e.gradsZero {
			clear(e.gF)
			clear(e.gI)
		}
		e.gradsZero = false
	}
	if e.m.lay.Recipe == Conditional {
		return e.nll(b, grad)
	}
	lay, l := e.m.lay, e.m.cfg.Loss
	B, D, M, K := b.rows, lay.D, lay.M, lay.K
	in0 := lay.inWidth()
	u, yT := tensorutil.Float32s(b.u), tensorutil.Float32s(b.yT)
	terms := map[string]float64{}
	v, _ := e.net.Forward(e.p, &e.fwd, u, nil, B)
	// Gradients with respect to the forward pass's outputs, per group, and
	// to the inverse pass's inputs. Terms on the inverse pass (backward MMD,
	// input padding) reach the weights only through the inverse map: they
	// are the inverse group, as the table has them.
	var dvF, dvI, duRev []float32
	if grad {
		dvF, dvI, duRev = make([]float32, B*D), make([]float32, B*D), make([]float32, B*D)
	}
	// outGrad is where a forward-pass term of group g puts its gradient.
	outGrad := func(name string) []float32 {
		if e.groups[name] == groupInverse {
			return dvI
		}
		return dvF // groupForward, and the output part of a groupSplit term.
	}

	terms[TermFit] = meanSquaredError(v, D, 0, yT, M, B, M, outGrad(TermFit), w[TermFit])

	// Latent MMD of [z, y_pred] against [N(0, I), y]; y_pred gets no gradient from it.
	joint := make([]float32, B*(K+M))
	target := make([]float32, B*(K+M))
	zP := tensorutil.Float32s(b.zP)
	for r := 0; r < B; r++ {
		copy(joint[r*(K+M):], v[r*D+M:r*D+M+K])
		copy(joint[r*(K+M)+K:], v[r*D:r*D+M])
		copy(target[r*(K+M):], zP[r*K:(r+1)*K])
		copy(target[r*(K+M)+K:], yT[r*M:(r+1)*M])
	}
	var gJ []float32
	if grad {
		gJ = make([]float32, B*(K+M))
	}
	terms[TermLatentMMD] = mmd.ValueGrad(joint, B, target, B, K+M, l.ForwardKernels, gJ)
	if grad {
		dv := outGrad(TermLatentMMD) // Only this term reaches z's columns.
		for r := 0; r < B; r++ {
			for j := 0; j < K; j++ {
				dv[r*D+M+j] = float32(w[TermLatentMMD]) * gJ[r*(K+M)+j]
			}
		}
	}

	padOut := meanSquaredError(v, D, M+K, nil, 0, B, D-M-K, outGrad(TermPadding), w[TermPadding])

	uRev := e.net.Inverse(e.p, &e.inv, tensorutil.Float32s(b.vRev), nil, B)
	var gU []float32
	if grad {
		gU = make([]float32, B*in0)
	}
	terms[TermBackwardMMD] = mmd.ValueGrad(columns(uRev, B, D, 0, in0), B, columns(u, B, D, 0, in0), B, in0, l.BackwardKernels, gU)
	if grad {
		for r := 0; r < B; r++ {
			for j := 0; j < in0; j++ {
				duRev[r*D+j] = float32(w[TermBackwardMMD]) * gU[r*in0+j]
			}
		}
	}
	padIn := meanSquaredError(uRev, D, in0, nil, 0, B, D-in0, duRev, w[TermPadding])
	terms[TermPadding] = padOut + padIn

	if b.vRec != nil {
		vr := tensorutil.Float32s(b.vRec)
		for i := range vr {
			vr[i] += v[i]
		}
		uRec := e.net.Inverse(e.p, &e.rec, vr, nil, B)
		var duRec []float32
		if grad {
			duRec = make([]float32, B*D)
		}
		terms[TermReconstruction] = meanSquaredError(uRec, D, 0, u, D, B, in0, duRec, w[TermReconstruction])
		if grad {
			dv := e.net.InverseBackward(e.p, e.gI, &e.rec, duRec)
			out := outGrad(TermReconstruction)
			for i := range out {
				out[i] += dv[i]
			}
		}
	}
	if grad {
		if l.Surgery == "project" {
			e.net.Backward(e.p, e.gF, &e.fwd, dvF, nil)
			e.net.Backward(e.p, e.gI, &e.fwd, dvI, nil)
		} else {
			// The groups are only summed (gradient): one backward pass
			// through the forward tape serves both.
			for i, v := range dvI {
				dvF[i] += v
			}
			e.net.Backward(e.p, e.gF, &e.fwd, dvF, nil)
		}
		e.net.InverseBackward(e.p, e.gI, &e.inv, duRev)
	}
	return terms
}

// columns copies columns [c0, c0+w) of rows×d matrix a into a rows×w matrix.
func columns(a []float32, rows, d, c0, w int) []float32 {
	out := make([]float32, rows*w)
	for r := 0; r < rows; r++ {
		copy(out[r*w:(r+1)*w], a[r*d+c0:r*d+c0+w])
	}
	return out
}

// meanSquaredError returns the mean over rows × w of (a[r, c0+j] − b[r, j])²,
// for row-major a (row stride lda) and b (row stride ldb; nil: zeros), and,
// when grad is not nil (row stride lda, like a), adds weight times its
// gradient with respect to a there. 0 when w is 0.
func meanSquaredError(a []float32, lda, c0 int, b []float32, ldb, rows, w int, grad []float32, weight float64) float64 {
	if w <= 0 {
		return 0
	}
	sum := 0.0
	f := float32(weight * 2 / float64(rows*w))
	for r := 0; r < rows; r++ {
		for j := 0; j < w; j++ {
			e := a[r*lda+c0+j]
			if b != nil {
				e -= b[r*ldb+j]
			}
			sum += float64(e) * float64(e)
			if grad != nil {
				grad[r*lda+c0+j] += f * e
			}
		}
	}
	return sum / float64(rows*w)
}

// nll returns the conditional recipe's loss mean(½|z|² − log|det J|) and,
// with grad, leaves its gradient in e.gF.
func (e *nativeEngine) nll(b *batchData, grad bool) map[string]float64 {
	B, D := b.rows, e.m.lay.D
	z, logDet := e.net.Forward(e.p, &e.fwd, tensorutil.Float32s(b.u), tensorutil.Float32s(b.cond), B)
	nll := 0.0
	for r := 0; r < B; r++ {
		for j := 0; j < D; j++ {
			x := float64(z[r*D+j])
			nll += 0.5 * x * x
		}
		nll -= logDet[r]
	}
	if grad {
		dz := make([]float32, B*D)
		for i, x := range z {
			dz[i] = x / float32(B)
		}
		dld := make([]float64, B)
		for i := range dld {
			dld[i] = -1 / float64(B)
		}
		e.net.Backward(e.p, e.gF, &e.fwd, dz, dld)
	}
	return map[string]float64{TermNLL: nll / float64(B)}
}
