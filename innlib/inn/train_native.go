package inn

import (
	"fmt"
	"math"

	"github.com/ozarkinn/inn/innlib/flow/flowgrad"
	"github.com/ozarkinn/inn/innlib/internal/tensorutil"
	"github.com/ozarkinn/inn/innlib/mmd"
)

// native is the state of the plain-Go training engine (EngineNative): the
// network's parameters as one float32 vector in flow.Network.Variables()
// order, Adam's moments, and the tapes of one step.
type native struct {
	net           *flowgrad.Net
	p, m1, m2     []float32
	gF, gI        []float32 // gradients of the forward and inverse groups
	adamSteps     int
	lr            float64
	fwd, inv, rec flowgrad.Tape
}

// newNative copies the model's current weights into a native engine.
func newNative(m *Model) (*native, error) {
	net, err := flowgrad.New(m.net.Layout())
	if err != nil {
		return nil, fmt.Errorf("inn: %w", err)
	}
	p, err := m.net.Params()
	if err != nil {
		return nil, fmt.Errorf("inn: reading the initial weights: %w", err)
	}
	if len(p) != net.NumParams {
		return nil, fmt.Errorf("inn: the network has %d weights, the native engine expects %d", len(p), net.NumParams)
	}
	n := len(p)
	return &native{net: net, p: p, m1: make([]float32, n), m2: make([]float32, n),
		gF: make([]float32, n), gI: make([]float32, n)}, nil
}

// setVariables writes a flat parameter vector into the model's variables.
func (t *trainer) setVariables(p []float32) error {
	if err := t.m.net.SetParams(p); err != nil {
		return fmt.Errorf("inn: setting the weights: %w", err)
	}
	return nil
}

// columns copies columns [c0, c0+w) of rows×d matrix a into a rows×w matrix.
func columns(a []float32, rows, d, c0, w int) []float32 {
	out := make([]float32, rows*w)
	for r := 0; r < rows; r++ {
		copy(out[r*w:(r+1)*w], a[r*d+c0:r*d+c0+w])
	}
	return out
}

// nativeTerms returns the unweighted loss terms of a batch. With grad set it
// also leaves in t.nat.gF and t.nat.gI the gradients of the weighted forward
// terms (fit, output padding) and inverse terms (the rest), as the graph
// engine groups them; the conditional recipe's gradient goes to gF. Under
// Surgery "sum", where only gF + gI is used, the split between them is not
// kept.
func (t *trainer) nativeTerms(b *batchData, w map[string]float64, grad bool) map[string]float64 {
	s := t.nat
	if grad {
		clear(s.gF)
		clear(s.gI)
	}
	if t.lay.Recipe == Conditional {
		return t.nativeNLL(b, grad)
	}
	lay, l := t.lay, t.cfg.Loss
	B, D, M, K := b.rows, lay.D, lay.M, lay.K
	in0 := lay.inWidth()
	u, yT := tensorutil.Float32s(b.u), tensorutil.Float32s(b.yT)
	terms := map[string]float64{}
	v, _ := s.net.Forward(s.p, &s.fwd, u, nil, B)
	var dvF, dvI, duRev []float32
	if grad {
		dvF, dvI, duRev = make([]float32, B*D), make([]float32, B*D), make([]float32, B*D)
	}

	terms[TermFit] = meanSquaredError(v, D, 0, yT, M, B, M, dvF, w[TermFit])

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
		for r := 0; r < B; r++ {
			for j := 0; j < K; j++ {
				dvI[r*D+M+j] = float32(w[TermLatentMMD]) * gJ[r*(K+M)+j]
			}
		}
	}

	padOut := meanSquaredError(v, D, M+K, nil, 0, B, D-M-K, dvF, w[TermPadding])

	uRev := s.net.Inverse(s.p, &s.inv, tensorutil.Float32s(b.vRev), nil, B)
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
		uRec := s.net.Inverse(s.p, &s.rec, vr, nil, B)
		var duRec []float32
		if grad {
			duRec = make([]float32, B*D)
		}
		terms[TermReconstruction] = meanSquaredError(uRec, D, 0, u, D, B, in0, duRec, w[TermReconstruction])
		if grad {
			dv := s.net.InverseBackward(s.p, s.gI, &s.rec, duRec)
			for i := range dvI {
				dvI[i] += dv[i]
			}
		}
	}
	if grad {
		if t.cfg.Loss.Surgery == "project" {
			s.net.Backward(s.p, s.gF, &s.fwd, dvF, nil)
			s.net.Backward(s.p, s.gI, &s.fwd, dvI, nil)
		} else {
			// The groups are only summed (nativeGradient): one backward pass
			// through the forward tape serves both.
			for i, v := range dvI {
				dvF[i] += v
			}
			s.net.Backward(s.p, s.gF, &s.fwd, dvF, nil)
		}
		s.net.InverseBackward(s.p, s.gI, &s.inv, duRev)
	}
	return terms
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

// nativeNLL returns the conditional recipe's loss mean(½|z|² − log|det J|)
// and, with grad, leaves its gradient in t.nat.gF.
func (t *trainer) nativeNLL(b *batchData, grad bool) map[string]float64 {
	s := t.nat
	B, D := b.rows, t.lay.D
	z, logDet := s.net.Forward(s.p, &s.fwd, tensorutil.Float32s(b.u), tensorutil.Float32s(b.cond), B)
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
		s.net.Backward(s.p, s.gF, &s.fwd, dz, dld)
	}
	return map[string]float64{TermNLL: nll / float64(B)}
}

// nativeGradient combines the group gradients as the graph engine does
// (projecting out the conflict under Surgery "project"), leaving the result
// in gF, and returns it.
func (t *trainer) nativeGradient() []float32 {
	s := t.nat
	if t.lay.Recipe == Bidirectional && t.cfg.Loss.Surgery == "project" {
		var dot, norm float64
		for i, f := range s.gF {
			dot += float64(s.gI[i]) * float64(f)
			norm += float64(f) * float64(f)
		}
		coef := float32(math.Min(dot, 0) / math.Max(norm, 1e-20))
		for i := range s.gF {
			s.gF[i] += s.gI[i] - coef*s.gF[i]
		}
	} else {
		for i := range s.gF {
			s.gF[i] += s.gI[i]
		}
	}
	return s.gF
}

// nativeStep runs one optimiser step and returns, as the graph step does,
// the weighted total, the gradient norm before clipping and the unweighted terms.
func (t *trainer) nativeStep(b *batchData, w map[string]float64) []float64 {
	s := t.nat
	tc := t.cfg.Train
	terms := t.nativeTerms(b, w, true)
	g := t.nativeGradient()
	sq := 0.0
	for _, v := range g {
		sq += float64(v) * float64(v)
	}
	norm := math.Sqrt(sq)
	scale := float32(1)
	if tc.ClipNorm > 0 {
		scale = float32(math.Min(1, tc.ClipNorm/math.Max(norm, 1e-12)))
	}
	// Adam with decoupled weight decay, as GoMLX's optimizers.Adam.
	s.adamSteps++
	b1, b2 := tc.Beta1, tc.Beta2
	db1 := float32(1 / (1 - math.Pow(b1, float64(s.adamSteps))))
	db2 := float32(1 / (1 - math.Pow(b2, float64(s.adamSteps))))
	lr, eps, wd := float32(s.lr), float32(tc.Epsilon), float32(tc.WeightDecay)
	fb1, fb2 := float32(b1), float32(b2)
	for i, gi := range g {
		gi *= scale
		m1 := fb1*s.m1[i] + (1-fb1)*gi
		m2 := fb2*s.m2[i] + (1-fb2)*gi*gi
		s.m1[i], s.m2[i] = m1, m2
		step := lr*m1*db1/(float32(math.Sqrt(float64(m2*db2)))+eps) + lr*wd*s.p[i]
		s.p[i] -= step
	}
	names := t.termOrder()
	vals := make([]float64, 2+len(names))
	total := 0.0
	for i, name := range names {
		vals[2+i] = terms[name]
		total += w[name] * terms[name]
	}
	vals[0], vals[1] = total, norm
	return vals
}
