package store

import (
	"encoding/json"
	"fmt"
	"time"
)

// ForgetAbandonedForms applies the retention to forms nobody finished:
// every conversation holding answers that was last touched before before
// is replaced by reset(c, active) — active tells whether the person holds
// a seat or a waiting place — and the file is marked for a scrub. It
// returns how many forms it forgot. The answers of a confirmed
// registration live in the registration and are not touched.
func (tx *Tx) ForgetAbandonedForms(before time.Time, reset func(c Conversation, active bool) Conversation) (int, error) {
	var old []Conversation
	err := tx.tx.Bucket(bucketConversations).ForEach(func(k, v []byte) error {
		var c Conversation
		if err := json.Unmarshal(v, &c); err != nil {
			return fmt.Errorf("decode conversation: %w", err)
		}
		if len(c.Answers) > 0 && c.UpdatedAt.Before(before) {
			old = append(old, c)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	// Walk-ins' forms an organiser left unfinished at the desk, too.
	desks, err := tx.forgetAbandonedDesks(before)
	if err != nil || len(old) == 0 {
		return desks, err
	}
	for _, c := range old {
		ps, err := tx.ParticipantsOf(c.UserID)
		if err != nil {
			return 0, err
		}
		if err := tx.PutConversation(reset(c, Registrations(ps).Active())); err != nil {
			return 0, err
		}
	}
	return len(old) + desks, tx.markScrub()
}

// AbandonedForms counts the conversations ForgetAbandonedForms(before, …)
// would reset, reading only.
func (tx *Tx) AbandonedForms(before time.Time) (int, error) {
	n := 0
	err := tx.tx.Bucket(bucketConversations).ForEach(func(k, v []byte) error {
		defer tx.walked(k, v) // once decoded: a release drops the page v is on
		var c struct {
			Answers   json.RawMessage `json:"answers"` // not decoded: only whether there are any
			UpdatedAt time.Time       `json:"updated_at"`
		}
		if err := json.Unmarshal(v, &c); err != nil {
			return fmt.Errorf("decode conversation: %w", err)
		}
		if a := string(c.Answers); a != "" && a != "null" && a != "{}" && c.UpdatedAt.Before(before) {
			n++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	desks, err := tx.abandonedDesks(before)
	return n + len(desks), err
}
