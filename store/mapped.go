package store

// A long read maps, page by page, as much of the database file as it
// reads: bbolt reads through a shared, read-only mmap of the file, and
// every page a transaction has read stays in the process's resident
// memory until the kernel needs it back. For an export of 10,000
// participants that is 20 MB of the file, a third of the bot's budget
// (README.md, "Resident memory"). These pages are clean copies of the
// page cache: the kernel may drop them from the mapping (madvise
// MADV_DONTNEED, mapped_linux.go) and map them again, from the page cache,
// when they are read again; the data never changes.
//
// The mapping is only stable inside a read transaction: bbolt remaps the
// file when it grows, under its mmap lock, which every read transaction
// holds for reading for its whole life, while a write transaction does
// not hold it (and remaps itself when it grows the file). So only a read
// transaction lets go of its pages, and only while it is open.

// releaseBytes is how much of the file's records a read transaction
// reads one by one (walked) between two releases of the mapped file's
// pages: a megabyte of keys and values, in bbolt's pages about twice
// that, so the pages a long read keeps mapped stay around that, and a
// short read never releases. Each release costs the walk that follows it
// faults on every page it reads again (from the page cache, no disk):
// a few tenths of a millisecond a release (BenchmarkTx_walkReleases).
const releaseBytes = 1 << 20

// leafElement is what bbolt stores with each key and value in a leaf page
// (its leafPageElement): the walk's bytes count it, records being small.
const leafElement = 16

// walked counts the record k, v as read by tx, in a walk over many or one
// of many reads one at a time, and releases the pages of the file tx has
// mapped once the records read since the last release make releaseBytes.
// Call it once the record is decoded: a release drops the page it is on.
func (tx *Tx) walked(k, v []byte) {
	n := leafElement + len(k) + len(v)
	tx.read += n
	tx.unreleased += n
	if tx.unreleased >= releaseBytes {
		tx.release()
	}
}

// release tells the kernel that the pages of the database file tx has
// read need not stay in the process's memory (see above). A no-op in a
// write transaction, and where the system offers no such advice.
func (tx *Tx) release() {
	tx.unreleased = 0
	if tx.tx.Writable() {
		return
	}
	releaseMapped(tx.tx.DB().Info().Data, tx.tx.Size())
}
