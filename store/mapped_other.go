//go:build !linux

package store

// releaseMapped does nothing where the kernel offers no MADV_DONTNEED
// for shared file mappings that daftar relies on (mapped_linux.go).
func releaseMapped(addr uintptr, size int64) {}
