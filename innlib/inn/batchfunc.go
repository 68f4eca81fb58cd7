package inn

import "math"

// BatchFunc returns Forward as a function that writes the predicted outputs
// y of rows of x (flat, row-major, original units) into dst (flat, NumOutputs
// values a row): the batched surrogate an MCMC sampler calls for a
// half-ensemble at a time, like emulator.MLP.BatchFunc. Its numbers are
// Forward's, bit for bit; on a float32 model it runs on the calling goroutine,
// allocates nothing after the first call and skips work that cannot change y
// (flowgrad.Batch). It evaluates the weights the model has when BatchFunc is
// called, and must not be called concurrently with itself. For a row that
// Forward rejects (a value outside the prior box or not finite, a non-finite
// network output) it writes NaN to that row's outputs, which stops a sampler
// with an error naming the row; the other rows are unaffected, so that in a
// lockstep call of several samplers (mcmc.SampleEnsembles) the error is the
// failing sampler's. Only the bidirectional recipe has a forward model.
func (m *Model) BatchFunc() (func(dst, x []float64), error) {
	if !m.CanEmulate() {
		_, err := m.Forward(nil) // Forward's error for the recipe
		return nil, err
	}
	n, out := m.lay.N, m.lay.M
	if !m.useFast() {
		return func(dst, x []float64) { m.forwardFlat(dst, x) }, nil
	}
	f, err := m.fastFlow()
	if err != nil {
		return nil, err
	}
	b, err := f.NewBatch(out)
	if err != nil {
		return nil, err
	}
	d, cols := m.lay.D, b.Cols()
	var (
		u   []float32
		bad []bool // rows Forward would reject
		row = make([]float64, n)
	)
	return func(dst, x []float64) {
		rows := len(dst) / out
		if len(x) != rows*n {
			fillNaN(dst)
			return
		}
		if cap(u) < rows*d {
			u = make([]float32, rows*d)
		}
		u = u[:rows*d]
		if cap(bad) < rows {
			bad = make([]bool, rows)
		}
		bad = bad[:rows]
		for i := range rows {
			xi, ui := x[i*n:(i+1)*n], u[i*d:(i+1)*d]
			if bad[i] = !m.inputOK(xi); bad[i] {
				clear(ui) // a valid input in its place; the row gets NaN
				continue
			}
			// Forward's arithmetic: the row mapped in float64, then rounded;
			// noise and padding inputs are 0.
			m.tf.xToNet(xi, row)
			for j, v := range row {
				ui[j] = float32(v)
			}
			clear(ui[n:])
		}
		v, err := b.Forward(u, rows)
		if err != nil {
			fillNaN(dst)
			return
		}
		for i := range rows {
			yi := dst[i*out : (i+1)*out]
			if bad[i] || !finite32(v[i*d:i*d+cols]) { // Forward rejects any non-finite output
				fillNaN(yi)
				continue
			}
			m.tf.yFromNet32(v[i*d:i*d+out], yi)
		}
	}, nil
}

// finite32 reports whether every value of v is finite.
func finite32(v []float32) bool {
	for _, s := range v {
		if s64 := float64(s); math.IsNaN(s64) || math.IsInf(s64, 0) {
			return false
		}
	}
	return true
}

// inputOK reports whether Forward accepts the rows of flat x (one row or
// several): every value finite and, with the logit box map, inside the
// prior box.
func (m *Model) inputOK(x []float64) bool {
	n := m.lay.N
	box := m.tf.Box == BoxLogit
	for k, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
		if j := k % n; box && (v < m.tf.Lo[j] || v > m.tf.Hi[j]) {
			return false
		}
	}
	return true
}

// forwardFlat is BatchFunc through Forward, for models that do not run on
// the gemm kernels.
func (m *Model) forwardFlat(dst, x []float64) {
	n, out := m.lay.N, m.lay.M
	rows := make([][]float64, len(dst)/out)
	if len(x) != len(rows)*n {
		fillNaN(dst)
		return
	}
	for i := range rows {
		rows[i] = x[i*n : (i+1)*n]
	}
	y, err := m.Forward(rows)
	if err != nil {
		fillNaN(dst)
		return
	}
	for i, r := range y {
		copy(dst[i*out:(i+1)*out], r)
	}
}

func fillNaN(dst []float64) {
	for i := range dst {
		dst[i] = math.NaN()
	}
}
