package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Walk-ins: people an organiser registers at the desk. A walk-in has no
// Telegram account yet: their registration carries a synthetic user id,
// negative (Telegram's user ids are positive), ChatID 0, and nothing is
// ever sent to it (Enqueue stores an entry for it as skipped, Recipients
// leaves it out). The registration's claim link attaches it to the
// person's account when they open it (ClaimWalkIn), after which they are
// an ordinary participant.

// WalkIn is what the store keeps of an unclaimed walk-in besides the
// registration: the claim code and who enrolled them when.
type WalkIn struct {
	UserID int64     `json:"user_id"` // the synthetic id, < 0
	Batch  string    `json:"batch"`   // the batch enrolled in
	Code   string    `json:"code"`    // the claim code (ClaimCode)
	By     int64     `json:"by"`      // the organiser
	At     time.Time `json:"at"`
}

var (
	bucketWalkIns     = []byte("walkins")      // synthetic user id → WalkIn
	bucketWalkInCodes = []byte("walkin_codes") // claim code → synthetic user id
)

// IsWalkIn reports whether userID is a walk-in's synthetic id: a
// registration nobody can be sent anything at.
func IsWalkIn(userID int64) bool { return userID < 0 }

// EnrolWalkIn registers p (its Lang is cleared), filled in by organiser by for a person at the
// desk who gave their consent to them in person at p.ConsentAt, in a seat
// of seats' batch: taken as placeSeat takes an organiser's seat (the
// capacity, nobody waiting, not started, every rule of the seat
// transactions; a closed batch takes them). A full batch is ErrBatchFull:
// a person without Telegram cannot wait for an offer. It returns the
// registration under its new synthetic id and the walk-in with its claim
// code.
func (tx *Tx) EnrolWalkIn(seats Seats, p Participant, by int64, now time.Time) (Participant, WalkIn, error) {
	seq, err := tx.tx.Bucket(bucketWalkIns).NextSequence()
	if err != nil {
		return Participant{}, WalkIn{}, err
	}
	// Lang stays empty until the claim: it is the language of the
	// person's Telegram, and the exports' empty language cell is how they
	// show a registration without Telegram.
	p.UserID, p.ChatID, p.ConsentBy, p.RegisteredAt, p.Lang = -int64(seq), 0, by, now, ""
	p, err = tx.placeSeat(seats, p, now)
	if err != nil {
		return Participant{}, WalkIn{}, fmt.Errorf("enrol walk-in in %s: %w: %w", seats.Batch.ID, ErrSeatRefused, err)
	}
	code, err := tx.newClaimCode()
	if err != nil {
		return Participant{}, WalkIn{}, err
	}
	w := WalkIn{UserID: p.UserID, Batch: p.Batch, Code: code, By: by, At: now}
	if err := putJSON(tx.tx.Bucket(bucketWalkIns), i64(w.UserID), w); err != nil {
		return Participant{}, WalkIn{}, err
	}
	if err := tx.tx.Bucket(bucketWalkInCodes).Put([]byte(code), i64(w.UserID)); err != nil {
		return Participant{}, WalkIn{}, err
	}
	return p, w, nil
}

// WalkInOf returns the walk-in record of synthetic id userID, or
// ErrNotFound (claimed, erased, or never a walk-in).
func (tx *Tx) WalkInOf(userID int64) (WalkIn, error) {
	var w WalkIn
	found, err := getJSON(tx.tx.Bucket(bucketWalkIns), i64(userID), &w)
	if err != nil {
		return w, err
	}
	if !found {
		return w, ErrNotFound
	}
	return w, nil
}

// forgetWalkIn deletes the walk-in record of userID and its claim code,
// when there is one: on a claim, an erasure, or when the retention
// deletes their last registration.
func (tx *Tx) forgetWalkIn(userID int64) error {
	if !IsWalkIn(userID) {
		return nil
	}
	w, err := tx.WalkInOf(userID)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := tx.tx.Bucket(bucketWalkInCodes).Delete([]byte(w.Code)); err != nil {
		return err
	}
	return tx.tx.Bucket(bucketWalkIns).Delete(i64(userID))
}

// WalkIns returns every unclaimed walk-in.
func (tx *Tx) WalkIns() ([]WalkIn, error) {
	var out []WalkIn
	err := tx.tx.Bucket(bucketWalkIns).ForEach(func(_, v []byte) error {
		var w WalkIn
		if err := json.Unmarshal(v, &w); err != nil {
			return fmt.Errorf("decode walk-in: %w", err)
		}
		out = append(out, w)
		return nil
	})
	return out, err
}
