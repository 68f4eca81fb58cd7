package inn

import (
	"math"
	"math/rand/v2"
)

// batchData is one batch's inputs in standardised units, row-major; which
// fields are set depends on the recipe (see bidirInputs).
type batchData struct {
	rows               int
	u                  []float64 // [B, D]
	cond               []float64 // [B, m], conditional
	yT, zP, vRev, vRec []float64 // bidirectional; vRec nil when reconstruction is off
}

// drawBatch draws the noise of one batch of the given rows.
func (t *trainer) drawBatch(xs, ys []float64, rows []int, rng *rand.Rand) *batchData {
	lay, tf := t.lay, t.m.tf
	l := t.cfg.Loss
	B, D, n, m := len(rows), lay.D, lay.N, lay.M
	padNoise, yNoise := positive(l.PadNoise), positive(l.YNoise)
	u := make([]float64, B*D)
	if lay.Recipe == Conditional {
		cond := make([]float64, B*m)
		for i, r := range rows {
			row := u[i*D : (i+1)*D]
			copy(row, xs[r*n:(r+1)*n])
			for j := n; j < D; j++ {
				row[j] = rng.NormFloat64() // Padding of x is a unit-normal dimension, ignored at inference.
			}
			for j := 0; j < m; j++ {
				noise := yNoise * rng.NormFloat64()
				if tf.NoiseStd != nil {
					noise = tf.NoiseStd[j] * rng.NormFloat64()
				}
				cond[i*m+j] = ys[r*m+j] + noise
			}
		}
		return &batchData{rows: B, u: u, cond: cond}
	}
	k := lay.K
	yT := make([]float64, B*m)
	zP := make([]float64, B*k)
	vRev := make([]float64, B*D)
	var vRec []float64
	if l.Reconstruction > 0 {
		vRec = make([]float64, B*D)
	}
	for i, r := range rows {
		row := u[i*D : (i+1)*D]
		copy(row, xs[r*n:(r+1)*n])
		for j := 0; j < lay.Noise; j++ {
			row[n+j] = rng.NormFloat64()
		}
		for j := lay.inWidth(); j < D; j++ {
			row[j] = padNoise * rng.NormFloat64()
		}
		rev := vRev[i*D : (i+1)*D]
		for j := 0; j < m; j++ {
			y := ys[r*m+j]
			if lay.Noise > 0 {
				yT[i*m+j] = y + tf.NoiseStd[j]*row[n+j]
				rev[j] = y + tf.NoiseStd[j]*rng.NormFloat64()
			} else {
				yT[i*m+j] = y + yNoise*rng.NormFloat64()
				rev[j] = y + yNoise*rng.NormFloat64()
			}
		}
		for j := 0; j < k; j++ {
			zP[i*k+j] = rng.NormFloat64()
			rev[m+j] = rng.NormFloat64()
		}
		for j := m + k; j < D; j++ {
			rev[j] = padNoise * rng.NormFloat64()
		}
		if vRec != nil {
			for j := 0; j < D; j++ {
				s := padNoise
				if j < m {
					s = math.Max(yNoise, padNoise)
				}
				vRec[i*D+j] = s * rng.NormFloat64()
			}
		}
	}
	return &batchData{rows: B, u: u, yT: yT, zP: zP, vRev: vRev, vRec: vRec}
}
