package store

import (
	"fmt"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"
)

// keyScrubPending in the meta bucket marks that an erasure or the
// retention deleted personal data whose bytes still sit in freed pages.
// It is written in the transaction of the deletion, so a crash or a full
// disk before the rewrite cannot lose it: Open finishes the rewrite.
var keyScrubPending = []byte("scrub_pending")

// markScrub records in tx that the file must be rewritten (see Scrub).
func (tx *Tx) markScrub() error {
	return tx.tx.Bucket(bucketMeta).Put(keyScrubPending, []byte{1})
}

// ScrubPending reports whether personal data was deleted since the file
// was last rewritten.
func (db *DB) ScrubPending() (bool, error) {
	var pending bool
	err := db.view(func(tx *bolt.Tx) error {
		pending = tx.Bucket(bucketMeta).Get(keyScrubPending) != nil
		return nil
	})
	return pending, err
}

// Scrub rewrites the database file with its live data only, when an
// erasure or the retention deleted personal data since the last rewrite
// (ScrubPending); otherwise it does nothing. bbolt does not zero the pages
// it frees, so deleted data stays readable in the file until they are
// reused; after Scrub it is gone. Every other call waits while it runs.
//
// The file's lock is never let go: the new file is written under a
// temporary name by a second bolt handle, which locks it, is renamed over
// the old one while both are open, and becomes this DB's handle. Another
// process opening the path meanwhile finds it locked (ErrInUse). The mark
// is deleted in the new file before the rename, so a crash before the
// rename repeats the rewrite at the next Open and one after it finds
// nothing left to do.
func (db *DB) Scrub() error {
	db.mu.Lock()
	defer db.mu.Unlock()
	pending := false
	if err := db.bolt.View(func(tx *bolt.Tx) error {
		pending = tx.Bucket(bucketMeta).Get(keyScrubPending) != nil
		return nil
	}); err != nil {
		return fmt.Errorf("scrub: %w", err)
	}
	if !pending {
		return nil
	}
	tmp := db.path + ".scrub"
	dst, err := db.compactInto(tmp)
	if err != nil {
		return fmt.Errorf("scrub: %w", err)
	}
	err = dst.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Delete(keyScrubPending) })
	if err != nil {
		dst.Close()
		os.Remove(tmp)
		return fmt.Errorf("scrub: %w", err)
	}
	if err := commitFile(tmp, db.path); err == nil {
		old := db.bolt
		db.bolt = dst
		if err := old.Close(); err != nil {
			return fmt.Errorf("scrub: close the old file: %w", err)
		}
		return nil
	}
	// Some systems (Windows) refuse to rename over an open file: close the
	// old one first. Another process may then take the lock between the
	// rename and the reopen, which Open reports as ErrInUse.
	if err := dst.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("scrub: %w", err)
	}
	if err := db.bolt.Close(); err != nil {
		return fmt.Errorf("scrub: close: %w", err)
	}
	renameErr := commitFile(tmp, db.path)
	b, err := bolt.Open(db.path, 0o600, db.opts)
	if err != nil {
		return fmt.Errorf("scrub: reopen %s: %w", db.path, err)
	}
	db.bolt = b
	if renameErr != nil {
		os.Remove(tmp)
		return fmt.Errorf("scrub: %w", renameErr)
	}
	return nil
}

// compactInto copies the live data of the database, in one read
// transaction, into a new bolt file at tmp (replacing one a crash left)
// and returns it open: no freed page of the source goes with it. The
// caller holds db.mu.
func (db *DB) compactInto(tmp string) (*bolt.DB, error) {
	if err := os.Remove(tmp); err != nil && !os.IsNotExist(err) {
		return nil, err
	}
	dst, err := bolt.Open(tmp, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		return nil, err
	}
	if err := bolt.Compact(dst, db.bolt, 4<<20); err != nil {
		dst.Close()
		os.Remove(tmp)
		return nil, fmt.Errorf("copy: %w", err)
	}
	return dst, nil
}
