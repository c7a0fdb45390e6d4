package store

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Claim links: t.me/<bot>?start=klaim-<code> attaches a walk-in's
// registration to the Telegram account that opens it, once.

// ClaimStart is the deep link parameter before a claim code.
const ClaimStart = "klaim-"

// ClaimCodeLen is the length of a claim code: 16 characters of
// Crockford's base32, 80 random bits from crypto/rand, so that nobody
// finds another person's link by trying.
const ClaimCodeLen = 16

// Sentinel errors of the claim links.
var (
	// ErrNoClaim is returned by ClaimWalkIn for a code that is not a
	// walk-in's: made up, already used, or its registration is gone.
	ErrNoClaim = errors.New("no such claim link")
	// ErrClaimHeld is returned by ClaimWalkIn when the account already
	// holds a place (Status.HoldsPlace: a seat, a waiting place, an
	// application, a selected person's held seat, a reserve's place) in
	// the walk-in's batch (or one whose dates overlap it), or the intake
	// rules refuse it the place (wrapped with ErrClaimHeld: CheckIntake's
	// error); the link stays usable.
	ErrClaimHeld = errors.New("the account already holds a place in the batch")
)

func (tx *Tx) newClaimCode() (string, error) {
	for range 8 {
		var b [10]byte
		if _, err := rand.Read(b[:]); err != nil {
			return "", fmt.Errorf("claim code: %w", err)
		}
		code := make([]byte, ClaimCodeLen)
		// 10 bytes are 80 bits: two 40-bit halves of 8 characters each.
		for h := range 2 {
			v := uint64(0)
			for _, x := range b[h*5 : h*5+5] {
				v = v<<8 | uint64(x)
			}
			for i := range 8 {
				code[h*8+i] = crockford[v&31]
				v >>= 5
			}
		}
		if tx.tx.Bucket(bucketWalkInCodes).Get(code) == nil {
			return string(code), nil
		}
	}
	return "", errors.New("claim code: no free code found")
}

// ParseClaimCode returns code in the form it is stored in: lower case, o
// read as 0, i and l as 1; ok is false when it cannot be a claim code
// (wrong length or a character outside Crockford's base32).
func ParseClaimCode(code string) (string, bool) {
	if len(code) != ClaimCodeLen {
		return "", false
	}
	out := []byte(strings.ToLower(code))
	if len(out) != ClaimCodeLen {
		return "", false
	}
	for i, c := range out {
		switch c {
		case 'o':
			c = '0'
		case 'i', 'l':
			c = '1'
		}
		if strings.IndexByte(crockford, c) < 0 {
			return "", false
		}
		out[i] = c
	}
	return string(out), true
}

// WalkInByCode returns the walk-in whose claim code is code, or
// ErrNotFound.
func (tx *Tx) WalkInByCode(code string) (WalkIn, error) {
	code, ok := ParseClaimCode(code)
	if !ok {
		return WalkIn{}, ErrNotFound
	}
	raw := tx.tx.Bucket(bucketWalkInCodes).Get([]byte(code))
	if len(raw) != 8 {
		return WalkIn{}, ErrNotFound
	}
	return tx.WalkInOf(int64(binary.BigEndian.Uint64(raw)))
}

// ClaimWalkIn attaches the walk-in whose claim code is code to account
// userID (chatID its private chat, lang their language): every
// registration of the walk-in, with its attendance, certificate and
// survey progress, becomes userID's, and the code is used up. From then
// on reminders and everything else reach them. It returns the
// registrations claimed. ErrNoClaim for an unknown or used code or one
// whose registration was cancelled or deleted; ErrClaimHeld when the
// account holds a place (Status.HoldsPlace) in the walk-in's batch or in one
// of seats (the batches of the course) whose dates overlap it; both
// change nothing.
func (tx *Tx) ClaimWalkIn(seats []Seats, code string, userID, chatID int64, lang string, now time.Time) ([]Participant, error) {
	code, ok := ParseClaimCode(code)
	if !ok || IsWalkIn(userID) || userID == 0 {
		return nil, ErrNoClaim
	}
	raw := tx.tx.Bucket(bucketWalkInCodes).Get([]byte(code))
	if raw == nil {
		return nil, ErrNoClaim
	}
	if len(raw) != 8 {
		return nil, ErrNoClaim
	}
	walkin := int64(binary.BigEndian.Uint64(raw))
	regs, err := tx.ParticipantsOf(walkin)
	if err != nil {
		return nil, err
	}
	live := false
	for _, p := range regs {
		live = live || p.Status == StatusRegistered
	}
	if !live {
		return nil, ErrNoClaim
	}
	mine, err := tx.ParticipantsOf(userID)
	if err != nil {
		return nil, err
	}
	var batches []Batch
	for _, st := range seats {
		batches = append(batches, st.Batch)
	}
	for _, p := range regs {
		if p.Status != StatusRegistered {
			continue
		}
		for _, m := range mine {
			// Any place counts, not a seat or waiting place only: an
			// application would be dropped, and a selected person or a
			// reserve left on the waiting list while seated.
			if m.Batch == p.Batch && m.Status.HoldsPlace() {
				return nil, ErrClaimHeld
			}
		}
		for _, st := range seats {
			if st.Batch.ID != p.Batch {
				continue
			}
			if _, clash := (Course{Batches: batches}).Overlap(st.Batch, mine); clash {
				return nil, ErrClaimHeld
			}
		}
	}
	// The intake rules (one place per NIK and batch, the course's limit
	// of places per person, eligibility) as for any place: asked with the
	// walk-in's own registration out of the way, which is put back.
	for _, p := range regs {
		if p.Status != StatusRegistered {
			continue
		}
		for _, st := range seats {
			if st.Batch.ID != p.Batch {
				continue
			}
			if err := tx.deleteParticipant(p.Batch, p.UserID); err != nil {
				return nil, err
			}
			err := tx.CheckIntake(st, Participant{UserID: userID, Batch: p.Batch, Answers: p.Answers}, now)
			if perr := tx.putParticipant(p); perr != nil {
				return nil, perr
			}
			if err != nil {
				return nil, fmt.Errorf("%w: %w", ErrClaimHeld, err)
			}
		}
	}
	held := map[string]bool{}
	for _, m := range mine {
		held[m.Batch] = true
	}
	var out []Participant
	for _, p := range regs {
		if p.Status != StatusRegistered && held[p.Batch] {
			// A cancelled registration (one moved away) gives way to the
			// account's own in that batch: it is history, deleted.
			if err := tx.deleteRegistration(p.Batch, p.UserID); err != nil {
				return nil, err
			}
			continue
		}
		np, err := tx.rekeyParticipant(p, userID, chatID, lang)
		if err != nil {
			return nil, err
		}
		out = append(out, np)
		if np.Status == StatusRegistered {
			if err := tx.Audit(AuditEntry{At: now, By: userID, Action: AuditWalkInClaimed, Batch: np.Batch, Subject: userID}); err != nil {
				return nil, err
			}
		}
	}
	if err := tx.forgetWalkIn(walkin); err != nil {
		return nil, err
	}
	// What was owed to the walk-in (stored as skipped) and the log's
	// entries naming the synthetic id lose it: it names nobody now.
	if _, err := tx.deleteOutboxOf(walkin); err != nil {
		return nil, err
	}
	if err := tx.ForgetAuditSubject(walkin); err != nil {
		return nil, err
	}
	return out, nil
}

// deleteRegistration deletes the registration of userID in batch with
// everything kept under its key.
func (tx *Tx) deleteRegistration(batch string, userID int64) error {
	if err := tx.deleteParticipant(batch, userID); err != nil {
		return err
	}
	if err := tx.deleteCertificate(batch, userID); err != nil {
		return err
	}
	for _, name := range erasedWithParticipant {
		if err := tx.deletePrefix(name, participantKey(batch, userID)); err != nil {
			return err
		}
	}
	return tx.markScrub()
}

// rekeyParticipant moves registration p, and everything kept under its
// key, to userID.
func (tx *Tx) rekeyParticipant(p Participant, userID, chatID int64, lang string) (Participant, error) {
	from := participantKey(p.Batch, p.UserID)
	to := participantKey(p.Batch, userID)
	if err := tx.deleteParticipant(p.Batch, p.UserID); err != nil {
		return p, err
	}
	// A cancelled registration of the account in the same batch gives
	// way to the claimed one.
	if err := tx.deleteParticipant(p.Batch, userID); err != nil {
		return p, err
	}
	for _, name := range erasedWithParticipant {
		if err := tx.rekeyPrefix(name, from, to); err != nil {
			return p, err
		}
	}
	if cert, err := tx.Certificate(p.Batch, p.UserID); err == nil {
		cert.UserID = userID
		if err := tx.tx.Bucket(bucketCertificates).Delete(from); err != nil {
			return p, err
		}
		if err := putJSON(tx.tx.Bucket(bucketCertificates), to, cert); err != nil {
			return p, err
		}
		if err := tx.tx.Bucket(bucketCertificateCodes).Put([]byte(cert.Code), to); err != nil {
			return p, err
		}
	} else if !errors.Is(err, ErrNotFound) {
		return p, err
	}
	if b := tx.tx.Bucket(bucketSurveyLinked); b != nil {
		var resp SurveyResponse
		if found, err := getJSON(b, to, &resp); err != nil {
			return p, err
		} else if found && resp.UserID != 0 {
			resp.UserID = userID
			if err := putJSON(b, to, resp); err != nil {
				return p, err
			}
		}
	}
	p.UserID, p.ChatID = userID, chatID
	if lang != "" {
		p.Lang = lang
	}
	return p, tx.putParticipant(p)
}

// rekeyPrefix moves every key of bucket that starts with from to the same
// key starting with to, dropping what was under to before.
func (tx *Tx) rekeyPrefix(bucket, from, to []byte) error {
	b := tx.tx.Bucket(bucket)
	if b == nil {
		return nil
	}
	if err := tx.deletePrefix(bucket, to); err != nil {
		return err
	}
	type kv struct{ k, v []byte }
	var moved []kv
	c := b.Cursor()
	for k, v := c.Seek(from); k != nil && bytes.HasPrefix(k, from); k, v = c.Next() {
		nk := append(append([]byte(nil), to...), k[len(from):]...)
		moved = append(moved, kv{nk, append([]byte(nil), v...)})
	}
	if err := tx.deletePrefix(bucket, from); err != nil {
		return err
	}
	for _, e := range moved {
		if err := b.Put(e.k, e.v); err != nil {
			return err
		}
	}
	return nil
}
