//go:build !linux

package store

// releaseMapped does nothing outside Linux: what mapped_linux.go relies
// on, that MADV_DONTNEED on a shared file mapping only unmaps clean pages
// of the page cache, is Linux's.
func releaseMapped(addr uintptr, size int64) {}
