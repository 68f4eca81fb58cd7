//go:build !amd64 || amd64.v3

package optim

// exactGo is false where the Go compiler may fuse x*y + z into one rounding
// (GOAMD64=v3, arm64 and others): there the tests allow float32 rounding
// differences between the Go loops and the reference.
const exactGo = false
