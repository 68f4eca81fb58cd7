// Package tensorutil converts between Go float64 slices and GoMLX tensors of
// the float dtypes innlib uses (Float32, Float64).
package tensorutil

import (
	"fmt"

	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/tensors"
)

// FromFloat64 returns a tensor of the given float dtype and dimensions holding flat
// (row-major), converted.
func FromFloat64(dtype dtypes.DType, flat []float64, dims ...int) *tensors.Tensor {
	size := 1
	for _, d := range dims {
		size *= d
	}
	if size != len(flat) {
		panic(fmt.Sprintf("tensorutil.FromFloat64: %d values for dimensions %v", len(flat), dims))
	}
	switch dtype {
	case dtypes.Float64:
		return tensors.FromFlatDataAndDimensions(append([]float64(nil), flat...), dims...)
	case dtypes.Float32:
		f := make([]float32, len(flat))
		for i, v := range flat {
			f[i] = float32(v)
		}
		return tensors.FromFlatDataAndDimensions(f, dims...)
	}
	panic(fmt.Sprintf("tensorutil.FromFloat64: unsupported dtype %s", dtype))
}

// ToFloat64 returns the tensor's values, row-major, as float64.
func ToFloat64(t *tensors.Tensor) []float64 {
	var out []float64
	switch t.DType() {
	case dtypes.Float64:
		tensors.MustConstFlatData(t, func(flat []float64) { out = append([]float64(nil), flat...) })
	case dtypes.Float32:
		tensors.MustConstFlatData(t, func(flat []float32) {
			out = make([]float64, len(flat))
			for i, v := range flat {
				out[i] = float64(v)
			}
		})
	default:
		panic(fmt.Sprintf("tensorutil.ToFloat64: unsupported dtype %s", t.DType()))
	}
	return out
}

// Scalar returns the single value of a scalar (or one-element) tensor as float64.
func Scalar(t *tensors.Tensor) float64 {
	v := ToFloat64(t)
	if len(v) != 1 {
		panic(fmt.Sprintf("tensorutil.Scalar: tensor has %d values", len(v)))
	}
	return v[0]
}

// Float32s converts float64 values to float32 (nil stays nil), for the
// float32 kernels that evaluate and train networks outside graphs.
func Float32s(v []float64) []float32 {
	if v == nil {
		return nil
	}
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(x)
	}
	return out
}
