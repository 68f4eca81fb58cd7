// Package cputime reads the CPU time the process has used, for benchmarks
// that report cpu-ms/op beside wall time: on a shared machine other
// processes disturb CPU time far less than wall time.
//
//	t0 := cputime.Process()
//	work()
//	b.ReportMetric(float64(cputime.Process()-t0)/1e6/float64(b.N), "cpu-ms/op")
package cputime
