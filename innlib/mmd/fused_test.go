//go:build !amd64 || amd64.v3

package mmd

// exactGo is false where the Go compiler may fuse x*y + z into one rounding:
// there the tests allow float32 rounding differences between the loops.
const exactGo = false
