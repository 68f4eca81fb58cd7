package gemm

// AddColSums adds the column sums of the rows×cols matrix src (row-major,
// row stride cols) to dst[:cols]: a bias's gradient from the gradients of
// its layer's outputs. Each column is summed onto its dst value row by row,
// in order, as a plain loop would, so the result is the same to the bit;
// where the CPU has AVX2 the columns go 32 at a time with the partial sums
// in registers, instead of a load and a store of dst per value.
func AddColSums(dst, src []float32, rows, cols int) {
	checkMatrix("AddColSums", "src", src, rows, cols, cols)
	dst = dst[:cols]
	if rows == 0 {
		return
	}
	done := addColSumsVector(dst, src, rows, cols)
	addColSumsGo(dst, src, rows, cols, done)
}

// addColSumsGo sums the columns from c0 on.
func addColSumsGo(dst, src []float32, rows, cols, c0 int) {
	for r := 0; r < rows; r++ {
		for j, v := range src[r*cols+c0 : (r+1)*cols] {
			dst[c0+j] += v
		}
	}
}
