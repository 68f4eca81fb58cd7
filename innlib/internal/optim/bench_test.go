package optim

import "testing"

// BenchmarkAdamUpdate32 is one Adam step on the Ozark INN's 153,192 float32
// weights, as the native engine takes it after every batch.
func BenchmarkAdamUpdate32(b *testing.B) {
	const n = 153192
	p, g := make([]float32, n), make([]float32, n)
	for i := range p {
		p[i] = float32(i%97) * 1e-3
		g[i] = float32(i%13-6) * 1e-2
	}
	a := NewAdam[float32](n, AdamConfig{LearningRate: 1e-3, Beta1: 0.9, Beta2: 0.95, Epsilon: 1e-6, WeightDecay: 1e-5})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a.Update(p, g, 0.5)
	}
}
