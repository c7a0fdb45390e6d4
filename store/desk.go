package store

import (
	"encoding/json"
	"fmt"
	"time"
)

// DeskKind is what an organiser's desk action waits for. Persisted: only add.
type DeskKind string

// Desk actions.
const (
	DeskCancel DeskKind = "cancel" // Batalkan pressed: a reason (the next message) or Lewati
	DeskMove   DeskKind = "move"   // Pindahkan pressed: the batch to move to
	DeskEnrol  DeskKind = "enrol"  // /daftarkan: the walk-in's form, one question at a time
)

// DeskState is the staff action an organiser is in the middle of, kept in
// the store so that a restart does not lose it or turn the organiser's
// next message into something else. One per organiser: a new action
// replaces the one before.
type DeskState struct {
	UserID int64    `json:"user_id"` // the organiser
	Kind   DeskKind `json:"kind"`
	Batch  string   `json:"batch"`
	// Subject and Stamp are the registration acted on (cancel, move) as
	// the organiser's screen showed it (Participant.Stamp).
	Subject int64  `json:"subject,omitempty"`
	Stamp   string `json:"stamp,omitempty"`
	// Seq counts the screens of the action: a button of an older one is
	// stale.
	Seq int64 `json:"seq"`
	// The walk-in's form: the question at, the answers so far, when the
	// person gave their consent (zero: not yet), and whether the form is
	// done (the summary is shown).
	Step      int               `json:"step,omitempty"`
	Answers   map[string]string `json:"answers,omitempty"`
	ConsentAt time.Time         `json:"consent_at,omitzero"`
	Summary   bool              `json:"summary,omitempty"`
	// Editing is set while a question is asked again from the summary.
	Editing   bool      `json:"editing,omitempty"`
	UpdatedAt time.Time `json:"updated_at"`
}

var bucketDesk = []byte("desk") // organiser user id → DeskState

// DeskState returns the desk action organiser userID is in; ok is false
// when none.
func (tx *Tx) DeskState(userID int64) (s DeskState, ok bool, err error) {
	ok, err = getJSON(tx.tx.Bucket(bucketDesk), i64(userID), &s)
	if err != nil {
		return DeskState{}, false, fmt.Errorf("desk state: %w", err)
	}
	return s, ok, nil
}

// PutDeskState stores s as its organiser's desk action.
func (tx *Tx) PutDeskState(s DeskState) error {
	return putJSON(tx.tx.Bucket(bucketDesk), i64(s.UserID), s)
}

// abandonedDesks are the organisers whose walk-in form, holding answers,
// was last touched before before.
func (tx *Tx) abandonedDesks(before time.Time) ([]int64, error) {
	var out []int64
	err := tx.tx.Bucket(bucketDesk).ForEach(func(k, v []byte) error {
		if len(k) != 8 {
			return nil // the sequence lives in the bucket, not in a key
		}
		var s DeskState
		if err := json.Unmarshal(v, &s); err != nil {
			return fmt.Errorf("decode desk state: %w", err)
		}
		if len(s.Answers) > 0 && s.UpdatedAt.Before(before) {
			out = append(out, s.UserID)
		}
		return nil
	})
	return out, err
}

// forgetAbandonedDesks ends the walk-in forms abandonedDesks finds, as
// the retention of unfinished forms asks, and says how many.
func (tx *Tx) forgetAbandonedDesks(before time.Time) (int, error) {
	users, err := tx.abandonedDesks(before)
	if err != nil {
		return 0, err
	}
	for _, u := range users {
		if err := tx.ClearDeskState(u, true); err != nil {
			return 0, err
		}
	}
	return len(users), nil
}

// NextDeskSeq returns a number no desk screen had before, for the
// buttons of a new one.
func (tx *Tx) NextDeskSeq() (int64, error) {
	n, err := tx.tx.Bucket(bucketDesk).NextSequence()
	return int64(n), err
}

// ClearDeskState ends organiser userID's desk action, if any. An
// abandoned walk-in form's answers are personal data kept nowhere else:
// the file is then marked for a rewrite (DB.Scrub), so that they leave it.
func (tx *Tx) ClearDeskState(userID int64, abandoned bool) error {
	s, ok, err := tx.DeskState(userID)
	if err != nil || !ok {
		return err
	}
	if err := tx.tx.Bucket(bucketDesk).Delete(i64(userID)); err != nil {
		return err
	}
	if abandoned && len(s.Answers) > 0 {
		return tx.markScrub()
	}
	return nil
}
