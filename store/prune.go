package store

import (
	"encoding/json"
	"fmt"
	"time"
)

// PrunePolicy says how long daftar keeps records that only matter for a
// while. Zero keeps that kind for ever.
type PrunePolicy struct {
	// Outbox is how long a finished outbox entry (sent, failed, skipped,
	// undeliverable) is kept after it was made. Announcement copies are
	// kept: /umumkan_status counts them.
	Outbox time.Duration
	// Audit is how long an audit entry is kept.
	Audit time.Duration
	// Conversations is how long a conversation with nothing in it (no
	// answer, no consent, no registration) is kept untouched; after it the
	// person starts afresh, in their Telegram's language.
	Conversations time.Duration
}

// DefaultPrunePolicy is what the bot prunes every night: finished outbox
// entries after 90 days, audit entries after two years, empty
// conversations after a year.
func DefaultPrunePolicy() PrunePolicy {
	const day = 24 * time.Hour
	return PrunePolicy{Outbox: 90 * day, Audit: 730 * day, Conversations: 365 * day}
}

// Pruned counts what Prune deleted.
type Pruned struct {
	Outbox, Audit, Conversations int
}

// Prune deletes what p says is old at now. Reminders that came due are
// never enqueued again after their day (the scheduler looks back only to
// its last tick), so forgetting their idempotency keys cannot send one
// twice.
func (tx *Tx) Prune(now time.Time, p PrunePolicy) (Pruned, error) {
	var n Pruned
	var err error
	if p.Outbox > 0 {
		if n.Outbox, err = tx.pruneOutbox(now.Add(-p.Outbox)); err != nil {
			return n, fmt.Errorf("prune outbox: %w", err)
		}
	}
	if p.Audit > 0 {
		if n.Audit, err = tx.pruneAudit(now.Add(-p.Audit)); err != nil {
			return n, fmt.Errorf("prune audit log: %w", err)
		}
	}
	if p.Conversations > 0 {
		if n.Conversations, err = tx.pruneConversations(now.Add(-p.Conversations)); err != nil {
			return n, fmt.Errorf("prune conversations: %w", err)
		}
	}
	return n, nil
}

func (tx *Tx) pruneOutbox(before time.Time) (int, error) {
	queued := tx.tx.Bucket(bucketOutboxQueue)
	var old [][]byte
	err := tx.tx.Bucket(bucketOutbox).ForEach(func(k, v []byte) error {
		if queued.Get(k) != nil {
			return nil
		}
		var e struct {
			Kind      OutboxKind `json:"kind"`
			CreatedAt time.Time  `json:"created_at"`
		}
		if err := json.Unmarshal(v, &e); err != nil {
			return fmt.Errorf("decode outbox entry: %w", err)
		}
		if e.Kind != KindAnnouncement && e.CreatedAt.Before(before) {
			old = append(old, append([]byte(nil), k...))
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, id := range old {
		if err := tx.deleteOutbox(id); err != nil {
			return 0, err
		}
	}
	return len(old), nil
}

func (tx *Tx) pruneAudit(before time.Time) (int, error) {
	b := tx.tx.Bucket(bucketAudit)
	var old []AuditEntry
	// Ids grow with time: the oldest come first.
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		var e AuditEntry
		if err := json.Unmarshal(v, &e); err != nil {
			return 0, fmt.Errorf("decode audit entry: %w", err)
		}
		if !e.At.Before(before) {
			break
		}
		old = append(old, e)
	}
	for _, e := range old {
		if err := b.Delete(u64(e.ID)); err != nil {
			return 0, err
		}
		for _, u := range auditPeople(e) {
			if err := tx.tx.Bucket(bucketAuditByPerson).Delete(userKey(u, u64(e.ID))); err != nil {
				return 0, err
			}
		}
	}
	return len(old), nil
}

func (tx *Tx) pruneConversations(before time.Time) (int, error) {
	var old [][]byte
	err := tx.tx.Bucket(bucketConversations).ForEach(func(k, v []byte) error {
		var c Conversation
		if err := json.Unmarshal(v, &c); err != nil {
			return fmt.Errorf("decode conversation: %w", err)
		}
		if len(c.Answers) > 0 || !c.ConsentAt.IsZero() || !c.UpdatedAt.Before(before) {
			return nil
		}
		if tx.hasAny(bucketParticipantsByUser, c.UserID) {
			return nil
		}
		old = append(old, append([]byte(nil), k...))
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, k := range old {
		if err := tx.tx.Bucket(bucketConversations).Delete(k); err != nil {
			return 0, err
		}
	}
	return len(old), nil
}

// hasAny reports whether index holds an entry of userID.
func (tx *Tx) hasAny(index []byte, userID int64) bool {
	prefix := userKey(userID, nil)
	k, _ := tx.tx.Bucket(index).Cursor().Seek(prefix)
	return k != nil && len(k) >= 8 && string(k[:8]) == string(prefix)
}
