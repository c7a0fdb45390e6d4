//go:build linux

package store

import "syscall"

// releaseMapped drops the pages of the file mapping at addr, size bytes
// long, from the process's page tables: the mapping is shared and
// read-only, so they stay in the page cache and a later read maps them
// again. It is advice: an error changes nothing, so none is returned.
func releaseMapped(addr uintptr, size int64) {
	if size <= 0 {
		return
	}
	_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, addr, uintptr(size), syscall.MADV_DONTNEED)
}
