// Package cols splits and joins the column halves of row-major float32
// matrices, as the coupling blocks of flow/flowgrad do.
package cols

// Split copies the two halves of x (rows × (d1+d2)) into a (rows × d1) and b (rows × d2).
func Split(x, a, b []float32, rows, d1, d2 int) {
	d := d1 + d2
	for r := 0; r < rows; r++ {
		copy(a[r*d1:(r+1)*d1], x[r*d:r*d+d1])
		copy(b[r*d2:(r+1)*d2], x[r*d+d1:(r+1)*d])
	}
}

// JoinPermuted writes out[:, j] = concat(a, b)[:, perm[j]].
func JoinPermuted(out, a, b []float32, rows, d1, d2 int, perm []int) {
	d := d1 + d2
	for r := 0; r < rows; r++ {
		o := out[r*d : (r+1)*d]
		for j, src := range perm {
			if src < d1 {
				o[j] = a[r*d1+src]
			} else {
				o[j] = b[r*d2+src-d1]
			}
		}
	}
}
