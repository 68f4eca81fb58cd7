//go:build amd64 && !amd64.v3

package mmd

// exactGo says that the Go compiler does not fuse multiply-adds in this
// build (amd64 below GOAMD64=v3), so the Go loop rounds each operation as
// the assembly does and the tests can ask for the same bits.
const exactGo = true
