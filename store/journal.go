package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Update is one Telegram update as it came from getUpdates, kept verbatim.
type Update struct {
	ID  int64
	Raw []byte
}

// Journal stores a getUpdates batch and the offset that confirms it, in one
// transaction: once it returns, the updates survive a crash and may be
// confirmed to Telegram. It returns the updates that were new: one already
// journaled, or older than the stored offset (handled before), is skipped,
// so a duplicated update_id is handled once.
func (db *DB) Journal(updates []Update, next int64) ([]Update, error) {
	return db.JournalThen(updates, next, nil)
}

// JournalThen is Journal that calls applied, when not nil, with the new
// updates once they are in its transaction and before the commit, while
// it holds the write lock: a write transaction begun after applied
// commits after the journal, so that the updates' handlers can start
// while it is written to disk. The journal's transaction is one of Batch's
// (group.go), run alone and once: the Batch calls made while it runs, the
// handlers', share the next. applied must not wait for such a
// transaction. When the journal does not commit, DoneUpdate refuses the
// updates (ErrNotJournaled): no handler's effect commits without them.
func (db *DB) JournalThen(updates []Update, next int64, applied func(fresh []Update)) ([]Update, error) {
	return db.journal(updates, applied, func(tx *bolt.Tx) error {
		if next > offsetIn(tx) {
			return tx.Bucket(bucketMeta).Put(keyOffset, i64(next))
		}
		return nil
	})
}

// journal is JournalThen and JournalPushedThen: it journals the updates
// not handled or journaled before, runs also in the same transaction, and
// then applied.
func (db *DB) journal(updates []Update, applied func(fresh []Update), also func(*bolt.Tx) error) ([]Update, error) {
	var fresh []Update
	err := db.batchAlone(func(tx *bolt.Tx) error {
		fresh = fresh[:0]
		j := tx.Bucket(bucketJournal)
		pushed := tx.Bucket(bucketPushed)
		for _, u := range updates {
			if u.ID < offsetIn(tx) {
				continue // already handled: Telegram sent it again
			}
			if j.Get(i64(u.ID)) != nil || pushed.Get(i64(u.ID)) != nil {
				continue // journaled, or pushed to the webhook and handled
			}
			if err := j.Put(i64(u.ID), u.Raw); err != nil {
				return fmt.Errorf("journal update %d: %w", u.ID, err)
			}
			fresh = append(fresh, u)
		}
		if err := also(tx); err != nil {
			return err
		}
		if applied != nil {
			applied(fresh)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return fresh, nil
}

// PushedKeep is how long an update pushed to the webhook is remembered
// once handled: Telegram pushes an update again until the webhook answers
// it, for at most the 24 hours it keeps updates, and one answered while
// the answer was lost (a crash right after the journal committed) comes
// again within that time.
const PushedKeep = 48 * time.Hour

// JournalPushedThen is JournalThen for updates pushed to the webhook, which
// no offset confirms: an update is confirmed by answering its push once
// this returns. An update journaled or handled before (Telegram pushes
// again what it had no answer for) is skipped. dropped are the ids of
// updates confirmed without being journaled (a chat whose backlog is full):
// they count as handled. Handled pushes are remembered for PushedKeep
// (DoneUpdate records them); each call forgets a few of those handled
// before forgetBefore.
func (db *DB) JournalPushedThen(updates []Update, dropped []int64, forgetBefore time.Time, applied func(fresh []Update)) ([]Update, error) {
	return db.journal(updates, applied, func(tx *bolt.Tx) error {
		j, pushed := tx.Bucket(bucketJournal), tx.Bucket(bucketPushed)
		now := i64(time.Now().Unix())
		for _, id := range dropped {
			if j.Get(i64(id)) == nil {
				if err := pushed.Put(i64(id), now); err != nil {
					return err
				}
			}
		}
		return forgetPushed(pushed, forgetBefore)
	})
}

// forgetPushedAtOnce bounds how many handled pushes one journal forgets,
// so that the first after a long pause does not hold up its updates.
const forgetPushedAtOnce = 256

// forgetPushed deletes handled pushes recorded before before, oldest ids
// first. Ids grow with the time Telegram received an update, and an
// update is handled within a day of that, so it stops at the first one
// that is not old enough yet: the few later ones older than it go a day
// later at most.
func forgetPushed(pushed *bolt.Bucket, before time.Time) error {
	cut := before.Unix()
	var old [][]byte
	c := pushed.Cursor()
	for k, v := c.First(); k != nil && len(old) < forgetPushedAtOnce; k, v = c.Next() {
		if len(v) == 8 && int64(binary.BigEndian.Uint64(v)) >= cut {
			break
		}
		old = append(old, bytes.Clone(k))
	}
	// Deleting under a cursor moves it: the keys go once it is done.
	for _, k := range old {
		if err := pushed.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

func offsetIn(tx *bolt.Tx) int64 {
	v := tx.Bucket(bucketMeta).Get(keyOffset)
	if len(v) != 8 {
		return 0
	}
	return int64(binary.BigEndian.Uint64(v))
}

// Offset returns the getUpdates offset that confirms everything journaled.
func (db *DB) Offset() (int64, error) {
	var off int64
	err := db.view(func(tx *bolt.Tx) error {
		off = offsetIn(tx)
		return nil
	})
	return off, err
}

// Journaled returns the updates not yet handled, oldest first.
func (db *DB) Journaled() ([]Update, error) {
	var out []Update
	err := db.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketJournal).ForEach(func(k, v []byte) error {
			out = append(out, Update{ID: int64(binary.BigEndian.Uint64(k)), Raw: append([]byte(nil), v...)})
			return nil
		})
	})
	return out, err
}

// ErrNotJournaled is returned by DoneUpdate for an update that was never
// journaled nor confirmed (its id is not below the stored offset): the
// journal that held it failed, and Telegram sends it again.
var ErrNotJournaled = errors.New("update not journaled")

// DoneUpdate removes a handled update from the journal. Call it in the
// transaction that applies the update's effect; it fails with
// ErrNotJournaled, and so fails that transaction, when the update was
// never journaled (JournalThen).
func (tx *Tx) DoneUpdate(id int64) error {
	j := tx.tx.Bucket(bucketJournal)
	pushed := tx.tx.Bucket(bucketPushed)
	if j.Get(i64(id)) == nil {
		if id >= offsetIn(tx.tx) && pushed.Get(i64(id)) == nil {
			return fmt.Errorf("finish update %d: %w", id, ErrNotJournaled)
		}
		return nil // handled before, or dropped unjournaled (a full backlog)
	}
	// A polled update is below the offset its journal stored; one at or
	// above it was pushed to the webhook (JournalPushedThen), and Telegram
	// may push it again.
	if id >= offsetIn(tx.tx) {
		if err := pushed.Put(i64(id), i64(time.Now().Unix())); err != nil {
			return err
		}
	}
	return j.Delete(i64(id))
}

// Reply is a message the bot owes a chat: recorded with the state change
// that calls for it, deleted once Telegram accepted it.
type Reply struct {
	ID      uint64
	ChatID  int64
	Payload []byte // the bot's own encoding of the message
	// Message, never stored, is what Payload encodes, as the code that
	// recorded it had it, so that sending it right after needs no
	// decoding; nil for a reply read back from the database.
	Message any
}

// AddReply records a reply owed to chatID and returns its id. Ids increase,
// so replies are sent in the order they were recorded.
func (tx *Tx) AddReply(chatID int64, payload []byte) (uint64, error) {
	b := tx.tx.Bucket(bucketReplies)
	id, err := b.NextSequence()
	if err != nil {
		return 0, err
	}
	v := make([]byte, 8+len(payload))
	binary.BigEndian.PutUint64(v, uint64(chatID))
	copy(v[8:], payload)
	return id, b.Put(u64(id), v)
}

// DeleteReplies forgets replies Telegram accepted.
func (db *DB) DeleteReplies(ids ...uint64) error {
	if len(ids) == 0 {
		return nil
	}
	return db.batch(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketReplies)
		for _, id := range ids {
			if err := b.Delete(u64(id)); err != nil {
				return err
			}
		}
		return nil
	})
}

// PendingReplies returns the replies not yet accepted by Telegram, oldest first.
func (db *DB) PendingReplies() ([]Reply, error) {
	var out []Reply
	err := db.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketReplies).ForEach(func(k, v []byte) error {
			if len(v) < 8 {
				return fmt.Errorf("reply %x: short record", k)
			}
			out = append(out, Reply{
				ID:      binary.BigEndian.Uint64(k),
				ChatID:  int64(binary.BigEndian.Uint64(v)),
				Payload: append([]byte(nil), v[8:]...),
			})
			return nil
		})
	})
	return out, err
}
