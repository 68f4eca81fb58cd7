//go:build amd64 && !amd64.v3

package optim

// exactGo says that the Go compiler does not fuse multiply-adds in this
// build (amd64 below GOAMD64=v3), so the Go loops round each operation as
// the assembly does and the tests can ask for the same bits.
const exactGo = true
