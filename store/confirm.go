package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// "Still coming?": Admission.AskDaysBefore days before a first-come batch
// starts, every seat holder is asked whether they still come
// (AskStillComing, enqueued by the scheduler). "Saya hadir" confirms the
// seat; "Tidak jadi" gives it up at once (CancelRegistration: the first
// person waiting gets an offer). Unanswered when Admission.ConfirmWindow is
// over (ExpireStillComing), the seat is kept and the person flagged to
// the organisers (Unconfirmed), or, with Admission.Release, given up as if
// they had said no.

// ErrNotAsked is returned by AnswerStillComing when the person was not
// asked, or holds no seat any more.
var ErrNotAsked = errors.New("not asked whether still coming")

// KindStillComing is the question whether a seat holder still comes
// (StillComingPayload). Persisted: only add.
const KindStillComing OutboxKind = "still_coming"

// NoticeUnconfirmedReleased: a seat holder did not answer whether they
// still come and the seat was given up (unconfirmed = "release").
// Persisted: only add.
const NoticeUnconfirmedReleased Notice = "unconfirmed_released"

var bucketStillComing = []byte("still_coming") // participant key → StillComing

// Answers to "still coming?". Persisted: only add.
const (
	AnswerComing    = "yes"
	AnswerNotComing = "no"
)

// StillComing is what a seat holder was asked before the start and how
// they answered.
type StillComing struct {
	AskedAt    time.Time `json:"asked_at"`
	Until      time.Time `json:"until"`            // the answer is due by then
	Answer     string    `json:"answer,omitempty"` // AnswerComing, AnswerNotComing, or "" while unanswered
	AnsweredAt time.Time `json:"answered_at,omitzero"`
	Expired    bool      `json:"expired,omitempty"` // Until passed without an answer
}

// StillComingPayload is what a KindStillComing entry asks about.
type StillComingPayload struct{ Batch string }

// StillComingKey is the idempotency key of the question to userID in
// batch: asked once. Persisted: never change its form.
func StillComingKey(batch string, userID int64) string {
	return fmt.Sprintf("still-coming/%s/%d", batch, userID)
}

// StillComing reads the payload of a KindStillComing entry.
func (e OutboxEntry) StillComing() (StillComingPayload, error) {
	if e.Kind != KindStillComing {
		return StillComingPayload{}, fmt.Errorf("outbox %d is a %s, not a still-coming question", e.ID, e.Kind)
	}
	return StillComingPayload{Batch: e.Data["batch"]}, nil
}

// AskAt returns when the seat holders of b are asked whether they still
// come: AskDaysBefore days before its first session begins, at the
// session's clock time; false when they are not asked (the batch admits
// by selection, whose selected confirm anyway, or the key is 0).
func (b Batch) AskAt() (time.Time, bool) {
	if b.Admission.AskDaysBefore <= 0 || b.Admission.Selection {
		return time.Time{}, false
	}
	return b.SessionStart(1).AddDate(0, 0, -b.Admission.AskDaysBefore), true
}

// AskStillComing asks, at now, every seat holder of b who registered
// before b.AskAt and was not asked yet, except walk-ins not claimed yet
// (their claim makes them seat holders it asks): one outbox entry each,
// an answer due by now + ConfirmWindow (never past the start). Before AskAt, once
// the batch has started, or when b asks nobody, it does nothing; so a
// scheduler that was down asks when it comes back, while it is still
// useful. It returns how many it asked.
func (tx *Tx) AskStillComing(b Batch, now time.Time) (int, error) {
	at, ok := b.AskAt()
	if !ok || now.Before(at) || b.Started(now) {
		return 0, nil
	}
	ps, err := tx.RegisteredIn(b.ID)
	if err != nil {
		return 0, err
	}
	until := now.Add(b.Admission.ConfirmWindow)
	if start := b.SessionStart(1); until.After(start) {
		until = start
	}
	bucket := tx.tx.Bucket(bucketStillComing)
	n := 0
	for _, p := range ps {
		key := participantKey(b.ID, p.UserID)
		if !p.RegisteredAt.Before(at) || bucket.Get(key) != nil {
			continue // registered since the question: they just said they come
		}
		if IsWalkIn(p.UserID) {
			// No chat to ask in: unanswered, a release would take the
			// seat for a question nobody saw. Asked once claimed.
			continue
		}
		if err := putJSON(bucket, key, StillComing{AskedAt: now, Until: until}); err != nil {
			return n, err
		}
		if _, err := tx.Enqueue(OutboxEntry{
			Key: StillComingKey(b.ID, p.UserID), Kind: KindStillComing,
			ChatID: p.ChatID, UserID: p.UserID, Data: map[string]string{"batch": b.ID}, CreatedAt: now,
		}); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// StillComingOf returns what userID was asked in batch and how they
// answered; false when they were not asked.
func (tx *Tx) StillComingOf(batch string, userID int64) (StillComing, bool, error) {
	var c StillComing
	found, err := getJSON(tx.tx.Bucket(bucketStillComing), participantKey(batch, userID), &c)
	return c, found, err
}

// AnswerStillComing records userID's answer in seats' batch at now:
// coming confirms the seat (also after the window, which clears the
// organisers' flag); not coming gives it up at once, as
// CancelRegistration does, and the offers made are returned. It returns
// ErrNotAsked when they were not asked or no longer hold the seat.
func (tx *Tx) AnswerStillComing(seats Seats, userID int64, coming bool, now time.Time) ([]Offer, error) {
	batch := seats.Batch.ID
	c, asked, err := tx.StillComingOf(batch, userID)
	if err != nil {
		return nil, err
	}
	p, err := tx.Participant(batch, userID)
	if errors.Is(err, ErrNotFound) || !asked || err == nil && (p.Status != StatusRegistered || !p.RegisteredAt.Before(c.AskedAt)) {
		return nil, ErrNotAsked
	}
	if err != nil {
		return nil, err
	}
	c.Answer, c.AnsweredAt = AnswerComing, now
	if !coming {
		c.Answer = AnswerNotComing
	}
	if err := putJSON(tx.tx.Bucket(bucketStillComing), participantKey(batch, userID), c); err != nil {
		return nil, err
	}
	if coming {
		return nil, nil
	}
	return tx.CancelRegistration(seats, userID, now)
}

// ExpireStillComing ends, at now, the questions of seats' batch whose
// window is over unanswered: the person keeps the seat and is flagged
// (Unconfirmed), or, with Admission.Release, loses it (an outbox notice
// tells them) and the seat is offered to the waiting list. It returns how
// many expired and the offers made.
func (tx *Tx) ExpireStillComing(seats Seats, now time.Time) (int, []Offer, error) {
	batch := seats.Batch.ID
	prefix := append([]byte(batch), 0)
	type due struct {
		user int64
		c    StillComing
	}
	var expired []due
	cur := tx.tx.Bucket(bucketStillComing).Cursor()
	for k, v := cur.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = cur.Next() {
		var c StillComing
		if err := json.Unmarshal(v, &c); err != nil {
			return 0, nil, fmt.Errorf("decode still-coming %x: %w", k, err)
		}
		if c.Answer == "" && !c.Expired && !now.Before(c.Until) {
			expired = append(expired, due{user: userOfKey(k), c: c})
		}
	}
	var made []Offer
	for _, d := range expired {
		d.c.Expired = true
		if err := putJSON(tx.tx.Bucket(bucketStillComing), participantKey(batch, d.user), d.c); err != nil {
			return 0, nil, err
		}
		if !seats.Batch.Admission.Release {
			continue
		}
		p, err := tx.Participant(batch, d.user)
		if errors.Is(err, ErrNotFound) || err == nil && p.Status != StatusRegistered {
			continue
		}
		if err != nil {
			return 0, nil, err
		}
		offers, err := tx.CancelRegistration(seats, d.user, now)
		if err != nil {
			return 0, nil, err
		}
		made = append(made, offers...)
		if _, err := tx.Enqueue(noticeEntry(fmt.Sprintf("unconfirmed-released/%s/%d", batch, d.user),
			NoticePayload{Notice: NoticeUnconfirmedReleased, Batch: batch}, p.ChatID, p.UserID, now)); err != nil {
			return 0, nil, err
		}
	}
	return len(expired), made, nil
}

// Unconfirmed returns the seat holders of batch who were asked whether
// they still come and let the window pass without an answer (kept
// seats, unconfirmed = "keep"): the organisers see them flagged.
func (tx *Tx) Unconfirmed(batch string) (map[int64]bool, error) {
	out := map[int64]bool{}
	prefix := append([]byte(batch), 0)
	cur := tx.tx.Bucket(bucketStillComing).Cursor()
	for k, v := cur.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = cur.Next() {
		var c StillComing
		if err := json.Unmarshal(v, &c); err != nil {
			return nil, fmt.Errorf("decode still-coming %x: %w", k, err)
		}
		if !c.Expired || c.Answer != "" {
			continue
		}
		u := userOfKey(k)
		if p, err := tx.Participant(batch, u); err == nil && p.Status == StatusRegistered && p.RegisteredAt.Before(c.AskedAt) {
			out[u] = true
		}
	}
	return out, nil
}

// userOfKey is the user id at the end of a participant key.
func userOfKey(k []byte) int64 {
	var u uint64
	for _, c := range k[len(k)-8:] {
		u = u<<8 | uint64(c)
	}
	return int64(u)
}
