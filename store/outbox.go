package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// OutboxStatus is where an outbox entry stands. Persisted: only add.
type OutboxStatus string

// Outbox statuses.
const (
	OutboxQueued        OutboxStatus = "queued"        // waiting to be sent, maybe after NotBefore
	OutboxSent          OutboxStatus = "sent"          // Telegram accepted it
	OutboxFailed        OutboxStatus = "failed"        // given up: retries exhausted or refused as malformed
	OutboxUndeliverable OutboxStatus = "undeliverable" // the person blocked the bot or is gone
	OutboxSkipped       OutboxStatus = "skipped"       // no longer meant for the person (e.g. they cancelled)
)

// OutboxKind is what an outbox entry sends. Persisted: only add.
type OutboxKind string

// Kinds of outbox entries, each with its payload (payload.go).
const (
	KindReminder     OutboxKind = "reminder"     // ReminderPayload
	KindOffer        OutboxKind = "offer"        // OfferPayload: a freed seat offered to the first person waiting
	KindAnnouncement OutboxKind = "announcement" // AnnouncementCopy: a message copied from an organiser's chat
	KindNotice       OutboxKind = "notice"       // NoticePayload: any other message
	KindDocument     OutboxKind = "document"     // DocumentPayload: a file made when it is sent (a certificate)
	KindSurvey       OutboxKind = "survey"       // SurveyPayload: the end-of-course survey or its reminder
)

// OutboxEntry is a message sent later or in bulk: reminders, waiting-list
// offers, announcements. The dispatcher renders it when it sends it, in the
// recipient's language at that moment.
type OutboxEntry struct {
	ID        uint64            `json:"id"`  // order of enqueueing, set by Enqueue
	Key       string            `json:"key"` // idempotency key: one entry per key, ever
	Kind      OutboxKind        `json:"kind"`
	ChatID    int64             `json:"chat_id"`
	UserID    int64             `json:"user_id"`
	Data      map[string]string `json:"data,omitempty"` // the payload as stored: build and read it with payload.go`
	Status    OutboxStatus      `json:"status"`
	Attempts  int               `json:"attempts,omitempty"`
	NotBefore time.Time         `json:"not_before,omitzero"` // not sent before this moment
	Error     string            `json:"error,omitempty"`     // why it failed, for organisers
	MessageID int               `json:"message_id,omitempty"`
	CreatedAt time.Time         `json:"created_at"`
	SentAt    time.Time         `json:"sent_at,omitzero"`
	// SendingAt is set (MarkSending) before a request of the entry leaves
	// and cleared when its outcome is recorded: an entry still queued with
	// it set after a crash may have reached the person already.
	SendingAt time.Time `json:"sending_at,omitzero"`
	// PartsSent is how many of the messages a long text is split into
	// Telegram took already (MarkPartSent): a resend goes on from the next.
	PartsSent int `json:"parts_sent,omitempty"`
}

var (
	bucketOutbox      = []byte("outbox")       // id → entry
	bucketOutboxKeys  = []byte("outbox_keys")  // idempotency key → id
	bucketOutboxQueue = []byte("outbox_queue") // id → nil, for entries still queued
	bucketUnreachable = []byte("unreachable")  // user id → time the bot was blocked
)

// ErrNotQueued is returned when an outbox entry is marked that is no
// longer queued (another path already finished it).
var ErrNotQueued = errors.New("outbox entry is not queued")

// Enqueue stores e as queued unless an entry with the same key exists. It
// reports whether e was stored; enqueueing a key twice stores it once.
func (tx *Tx) Enqueue(e OutboxEntry) (bool, error) {
	if e.Key == "" {
		return false, errors.New("enqueue: empty idempotency key")
	}
	keys := tx.tx.Bucket(bucketOutboxKeys)
	if keys.Get([]byte(e.Key)) != nil {
		return false, nil
	}
	out := tx.tx.Bucket(bucketOutbox)
	id, err := out.NextSequence()
	if err != nil {
		return false, err
	}
	e.ID, e.Status = id, OutboxQueued
	if IsWalkIn(e.UserID) {
		// A walk-in has no chat: nothing is ever sent to them. The entry
		// is kept as skipped, so that counts and keys stay as for anyone.
		e.Status, e.Error = OutboxSkipped, "no Telegram account"
	}
	if err := putJSON(out, u64(id), e); err != nil {
		return false, fmt.Errorf("enqueue %s: %w", e.Kind, err)
	}
	if err := keys.Put([]byte(e.Key), u64(id)); err != nil {
		return false, err
	}
	if err := tx.tx.Bucket(bucketOutboxByUser).Put(userKey(e.UserID, u64(id)), nil); err != nil {
		return false, err
	}
	if e.Status != OutboxQueued {
		return true, nil
	}
	return true, tx.tx.Bucket(bucketOutboxQueue).Put(u64(id), nil)
}

// deleteOutbox removes the outbox entry id with its key, queue and
// person index entries.
func (tx *Tx) deleteOutbox(id []byte) error {
	var e OutboxEntry
	found, err := getJSON(tx.tx.Bucket(bucketOutbox), id, &e)
	if err != nil || !found {
		return err
	}
	for _, b := range [][]byte{bucketOutbox, bucketOutboxQueue} {
		if err := tx.tx.Bucket(b).Delete(id); err != nil {
			return err
		}
	}
	if err := tx.tx.Bucket(bucketOutboxKeys).Delete([]byte(e.Key)); err != nil {
		return err
	}
	return tx.tx.Bucket(bucketOutboxByUser).Delete(userKey(e.UserID, id))
}

// Queued returns up to limit queued entries due at now (NotBefore passed),
// oldest first, skipping the ids in skip (entries already being sent).
func (db *DB) Queued(now time.Time, limit int, skip map[uint64]bool) ([]OutboxEntry, error) {
	var out []OutboxEntry
	err := db.view(func(tx *bolt.Tx) error {
		all := tx.Bucket(bucketOutbox)
		c := tx.Bucket(bucketOutboxQueue).Cursor()
		for k, _ := c.First(); k != nil && len(out) < limit; k, _ = c.Next() {
			id := binary.BigEndian.Uint64(k)
			if skip[id] {
				continue
			}
			var e OutboxEntry
			if _, err := getJSON(all, k, &e); err != nil {
				return err
			}
			if e.NotBefore.After(now) {
				continue
			}
			out = append(out, e)
		}
		return nil
	})
	return out, err
}

// NextDue returns when the earliest queued entry becomes due, and false
// when nothing is queued.
func (db *DB) NextDue() (time.Time, bool, error) {
	var (
		next  time.Time
		found bool
	)
	err := db.view(func(tx *bolt.Tx) error {
		all := tx.Bucket(bucketOutbox)
		return tx.Bucket(bucketOutboxQueue).ForEach(func(k, _ []byte) error {
			var e OutboxEntry
			if _, err := getJSON(all, k, &e); err != nil {
				return err
			}
			if !found || e.NotBefore.Before(next) {
				next, found = e.NotBefore, true
			}
			return nil
		})
	})
	return next, found, err
}

// finishOutbox applies change to queued entry id and stores it; the entry
// leaves the queue unless change leaves it queued.
func (db *DB) finishOutbox(id uint64, change func(*OutboxEntry, *Tx) error) error {
	return db.batch(func(btx *bolt.Tx) error {
		all := btx.Bucket(bucketOutbox)
		var e OutboxEntry
		found, err := getJSON(all, u64(id), &e)
		if err != nil {
			return err
		}
		if !found || e.Status != OutboxQueued {
			return fmt.Errorf("outbox %d: %w", id, ErrNotQueued)
		}
		e.SendingAt = time.Time{} // an outcome ends the request
		if err := change(&e, &Tx{tx: btx}); err != nil {
			return err
		}
		if e.Status != OutboxQueued {
			if err := btx.Bucket(bucketOutboxQueue).Delete(u64(id)); err != nil {
				return err
			}
		}
		return putJSON(all, u64(id), e)
	})
}

// MarkSending records, durably, that a request of queued entry id is
// about to leave: a crash from now until its outcome is recorded may
// deliver it twice (see SendingAt).
func (db *DB) MarkSending(id uint64, at time.Time) error {
	return db.finishOutbox(id, func(e *OutboxEntry, _ *Tx) error {
		e.SendingAt = at
		return nil
	})
}

// MarkPartSent records that Telegram took the first parts messages of
// entry id; the entry stays queued, and being sent (from at), for the
// next part.
func (db *DB) MarkPartSent(id uint64, parts int, at time.Time) error {
	return db.finishOutbox(id, func(e *OutboxEntry, _ *Tx) error {
		e.PartsSent, e.SendingAt = parts, at
		return nil
	})
}

// InFlight returns how many queued entries are marked as being sent
// (MarkSending): after a crash, at most these may arrive twice.
func (db *DB) InFlight() (int, error) {
	n := 0
	err := db.view(func(tx *bolt.Tx) error {
		all := tx.Bucket(bucketOutbox)
		return tx.Bucket(bucketOutboxQueue).ForEach(func(k, _ []byte) error {
			var e OutboxEntry
			if _, err := getJSON(all, k, &e); err != nil {
				return err
			}
			if !e.SendingAt.IsZero() {
				n++
			}
			return nil
		})
	})
	return n, err
}

// MarkSent records that Telegram accepted entry id as message msgID.
func (db *DB) MarkSent(id uint64, msgID int, at time.Time) error {
	return db.finishOutbox(id, func(e *OutboxEntry, _ *Tx) error {
		e.Status, e.MessageID, e.SentAt, e.Error = OutboxSent, msgID, at, ""
		e.Attempts++
		return nil
	})
}

// MarkRetry leaves entry id queued until notBefore, counting an attempt
// when counted is true (a 429 is Telegram's pace, not the entry's fault).
func (db *DB) MarkRetry(id uint64, notBefore time.Time, reason string, counted bool) error {
	return db.finishOutbox(id, func(e *OutboxEntry, _ *Tx) error {
		e.NotBefore, e.Error = notBefore, reason
		if counted {
			e.Attempts++
		}
		return nil
	})
}

// MarkFailed gives up on entry id with the reason.
func (db *DB) MarkFailed(id uint64, reason string) error {
	return db.finishOutbox(id, func(e *OutboxEntry, _ *Tx) error {
		e.Status, e.Error = OutboxFailed, reason
		e.Attempts++
		return nil
	})
}

// MarkSkipped drops entry id without sending it, with the reason.
func (db *DB) MarkSkipped(id uint64, reason string) error {
	return db.finishOutbox(id, func(e *OutboxEntry, _ *Tx) error {
		e.Status, e.Error = OutboxSkipped, reason
		return nil
	})
}

// MarkUndeliverable gives up on entry id because its recipient blocked the
// bot, and records the recipient as unreachable at the same time.
func (db *DB) MarkUndeliverable(id uint64, reason string, at time.Time) error {
	return db.finishOutbox(id, func(e *OutboxEntry, tx *Tx) error {
		e.Status, e.Error = OutboxUndeliverable, reason
		e.Attempts++
		return tx.SetUnreachable(e.UserID, at)
	})
}

// Outbox returns entry id.
func (db *DB) Outbox(id uint64) (OutboxEntry, error) {
	var e OutboxEntry
	err := db.view(func(tx *bolt.Tx) error {
		found, err := getJSON(tx.Bucket(bucketOutbox), u64(id), &e)
		if err == nil && !found {
			err = ErrNotFound
		}
		return err
	})
	return e, err
}

// OutboxByKey returns the entry with idempotency key.
func (tx *Tx) OutboxByKey(key string) (OutboxEntry, error) {
	var e OutboxEntry
	id := tx.tx.Bucket(bucketOutboxKeys).Get([]byte(key))
	if id == nil {
		return e, ErrNotFound
	}
	_, err := getJSON(tx.tx.Bucket(bucketOutbox), id, &e)
	return e, err
}

// OutboxCounts returns how many entries are in each status.
func (db *DB) OutboxCounts() (map[OutboxStatus]int, error) {
	counts := map[OutboxStatus]int{}
	err := db.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketOutbox).ForEach(func(k, v []byte) error {
			var e struct {
				Status OutboxStatus `json:"status"`
			}
			if err := json.Unmarshal(v, &e); err != nil {
				return err
			}
			counts[e.Status]++
			return nil
		})
	})
	return counts, err
}

// SetUnreachable records that userID blocked the bot (or deleted their
// account) at the given time; a zero time clears it.
func (tx *Tx) SetUnreachable(userID int64, at time.Time) error {
	b := tx.tx.Bucket(bucketUnreachable)
	if at.IsZero() {
		return b.Delete(i64(userID))
	}
	data, err := at.MarshalBinary()
	if err != nil {
		return err
	}
	return b.Put(i64(userID), data)
}

// Unreachable reports whether userID blocked the bot.
func (tx *Tx) Unreachable(userID int64) bool {
	key := i64(userID)
	v := tx.tx.Bucket(bucketUnreachable).Get(key)
	tx.walked(key, v) // the statistics ask it of everybody
	return v != nil
}

var (
	bucketSchedule = []byte("schedule") // scheduler bookkeeping
	keyLastTick    = []byte("last_tick")
)

// LastTick returns when the scheduler last looked for due work; zero when
// it never ran.
func (tx *Tx) LastTick() time.Time {
	var t time.Time
	if v := tx.tx.Bucket(bucketSchedule).Get(keyLastTick); v != nil {
		_ = t.UnmarshalBinary(v)
	}
	return t
}

// SetLastTick records when the scheduler last looked for due work. Call it
// in the transaction that enqueues what that look found.
func (tx *Tx) SetLastTick(at time.Time) error {
	data, err := at.MarshalBinary()
	if err != nil {
		return err
	}
	return tx.tx.Bucket(bucketSchedule).Put(keyLastTick, data)
}

// RegisteredIn returns the participants holding a seat in batch, by seat.
func (tx *Tx) RegisteredIn(batch string) ([]Participant, error) {
	var out []Participant
	prefix := append([]byte(batch), 0)
	c := tx.tx.Bucket(bucketParticipants).Cursor()
	for k, v := c.Seek(prefix); k != nil && len(k) == len(prefix)+8 && string(k[:len(prefix)]) == string(prefix); k, v = c.Next() {
		var p Participant
		if err := json.Unmarshal(v, &p); err != nil {
			return nil, fmt.Errorf("decode participant: %w", err)
		}
		if p.Status == StatusRegistered {
			out = append(out, p)
		}
	}
	sortParticipants(out)
	return out, nil
}
