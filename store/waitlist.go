package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Sentinel errors of the waiting list.
var (
	// ErrAlreadyWaiting is returned when the person is on the batch's
	// waiting list already.
	ErrAlreadyWaiting = errors.New("already on the waiting list")
	// ErrNoOffer is returned by AcceptOffer and DeclineOffer when the
	// person holds no offer (it expired, or was never made).
	ErrNoOffer = errors.New("no seat offer")
)

// Offer is a freed seat held for the first person on the waiting list
// until Until. It goes out as an outbox entry of KindOffer, written in the
// transaction that makes the offer.
type Offer struct {
	Batch  string    `json:"batch"`
	UserID int64     `json:"user_id"`
	ChatID int64     `json:"chat_id"`
	Until  time.Time `json:"until"`
	Key    string    `json:"key"` // the idempotency key of its outbox message
	Kind   OfferKind `json:"kind,omitempty"`
}

// Seats says how a batch's seats are handed out: the batch (capacity,
// start, the config's open flag), the course's batches, and how long a
// person has to claim a freed seat.
type Seats struct {
	Batch Batch
	Claim time.Duration
	// Batches are every batch of the course: a person's seats and waiting
	// places must not be in two of them whose dates overlap. Nil: no
	// other batch to clash with.
	Batches []Batch
	// Intake is the course's rules about who may hold a place
	// (Course.Intake, Tx.CheckIntake); the zero value: none but the
	// batch's Eligibility.
	Intake Intake
}

// mayJoin returns why p may not take a seat or a waiting place in
// seats' batch at now, nil when they may: ErrBatchStarted once its first
// session has begun, ErrBatchClosed (only when open is asked) while it
// takes no registrations, the organisers' decision (SetBatchOpen) winning
// over the config, ErrOverlap while they hold a seat or waiting place
// in a batch of seats.Batches whose dates overlap, and the intake rules
// (CheckIntake: one place per NIK and batch, the course's limit of places
// per person, the batch's eligibility). The capacity is the caller's to
// check.
func (tx *Tx) mayJoin(seats Seats, p Participant, now time.Time, open bool) error {
	userID := p.UserID
	b := seats.Batch
	if b.Started(now) {
		return fmt.Errorf("batch %s: %w", b.ID, ErrBatchStarted)
	}
	if o, ok := tx.BatchOpen(b.ID); ok {
		b.Open = o
	}
	if open && !b.Open {
		return fmt.Errorf("batch %s: %w", b.ID, ErrBatchClosed)
	}
	mine, err := tx.ParticipantsOf(userID)
	if err != nil {
		return err
	}
	if o, clash := (Course{Batches: seats.Batches}).Overlap(b, mine); clash {
		return fmt.Errorf("batch %s and %s: %w", b.ID, o.ID, ErrOverlap)
	}
	return tx.CheckIntake(seats, p, now)
}

// TakeSeat is a person's registration: it gives p a seat in seats' batch
// as ConfirmSeat does, after checking that the batch takes registrations
// at now (open, not started) and that p holds no seat or waiting place in
// an overlapping batch (mayJoin). Confirming a summary shown before
// /tutup or before the start is refused here, in the seat's own
// transaction.
func (tx *Tx) TakeSeat(seats Seats, p Participant, now time.Time) (Participant, error) {
	p.Batch = seats.Batch.ID
	if old, err := tx.Participant(p.Batch, p.UserID); err == nil && old.Status == StatusRegistered {
		return old, ErrAlreadyRegistered
	}
	p.NIK = seats.Intake.NIKOf(p.Answers)
	if seats.Batch.Admission.Selection {
		return tx.Apply(seats, p, now) // an application, by the same rules (selection.go)
	}
	if err := tx.mayJoin(seats, p, now, true); err != nil {
		return Participant{}, fmt.Errorf("take seat: %w", err)
	}
	return tx.ConfirmSeat(p, seats.Batch.Capacity)
}

// claimUntil is the end of a claim window that starts at now: Claim long,
// but never past the start of the first session.
func (s Seats) claimUntil(now time.Time) time.Time {
	until := now.Add(s.Claim)
	if start := s.Batch.SessionStart(1); until.After(start) {
		until = start
	}
	return until
}

// JoinWaitingList puts p at the end of the waiting list of seats' batch
// and returns the position. It is idempotent: a person already waiting
// gets their position. Anyone else is refused as TakeSeat refuses them
// (closed, started, overlapping). p.Status and p.Seat are set here. A seat that came
// free meanwhile (nobody was waiting to be offered it) is offered at once,
// so no seat stays empty while someone waits.
func (tx *Tx) JoinWaitingList(seats Seats, p Participant, now time.Time) (int, error) {
	p.Batch = seats.Batch.ID
	old, err := tx.Participant(p.Batch, p.UserID)
	switch {
	case err == nil && old.Status == StatusRegistered:
		return 0, ErrAlreadyRegistered
	case err != nil && !errors.Is(err, ErrNotFound):
		return 0, err
	}
	s, err := tx.batchState(p.Batch)
	if err != nil {
		return 0, err
	}
	if i := slices.Index(s.Waiting, p.UserID); i >= 0 {
		return i + 1, nil
	}
	p.NIK = seats.Intake.NIKOf(p.Answers)
	if err := tx.mayWait(seats); err != nil {
		return 0, err
	}
	if err := tx.mayJoin(seats, p, now, true); err != nil {
		return 0, fmt.Errorf("join waiting list: %w", err)
	}
	s.Waiting = append(s.Waiting, p.UserID)
	p.Status, p.Seat = StatusWaiting, 0
	if err := tx.putParticipant(p); err != nil {
		return 0, err
	}
	if _, err := tx.offerFreed(seats, s, now); err != nil {
		return 0, err
	}
	return len(s.Waiting), nil
}

// WaitingPosition returns userID's position on batch's waiting list (1 is
// next), and 0 when they are not on it.
func (tx *Tx) WaitingPosition(batch string, userID int64) (int, error) {
	s, err := tx.batchState(batch)
	if err != nil {
		return 0, err
	}
	return slices.Index(s.Waiting, userID) + 1, nil
}

// WaitingCount returns how many people wait in batch.
func (tx *Tx) WaitingCount(batch string) (int, error) {
	s, err := tx.batchState(batch)
	return len(s.Waiting), err
}

// OfferOf returns the seat offer userID holds in batch, if any.
func (tx *Tx) OfferOf(batch string, userID int64) (Offer, bool, error) {
	s, err := tx.batchState(batch)
	if err != nil {
		return Offer{}, false, err
	}
	for _, o := range s.Offers {
		if o.UserID == userID {
			return o, true, nil
		}
	}
	return Offer{}, false, nil
}

// Offers returns the outstanding seat offers of batch.
func (tx *Tx) Offers(batch string) ([]Offer, error) {
	s, err := tx.batchState(batch)
	return s.Offers, err
}

// CancelRegistration takes userID out of the batch: a held seat is freed,
// a place on the waiting list (and any offer) given up. Freed seats are
// offered to the people waiting, in order; the offers made are returned
// (their messages are already in the outbox). Cancelling twice changes
// nothing.
func (tx *Tx) CancelRegistration(seats Seats, userID int64, at time.Time) ([]Offer, error) {
	batch := seats.Batch.ID
	p, err := tx.Participant(batch, userID)
	if err != nil {
		return nil, err
	}
	if p.Status == StatusCancelled {
		return nil, nil
	}
	s, err := tx.batchState(batch)
	if err != nil {
		return nil, err
	}
	s.remove(p)
	p.Status, p.Seat, p.CancelledAt = StatusCancelled, 0, at
	if err := tx.putParticipant(p); err != nil {
		return nil, err
	}
	return tx.offerFreed(seats, s, at)
}

// remove takes p's seat, place and offer out of the batch's state.
func (s *batchState) remove(p Participant) {
	if p.Status == StatusRegistered && p.Seat > 0 {
		s.Taken--
		s.Free = append(s.Free, p.Seat)
	}
	s.Waiting = slices.DeleteFunc(s.Waiting, func(id int64) bool { return id == p.UserID })
	s.Offers = slices.DeleteFunc(s.Offers, func(o Offer) bool { return o.UserID == p.UserID })
}

// offerFreed offers every seat that is neither taken nor held to the next
// people waiting who hold no offer yet, stores s, and returns the offers.
// No offer is made once the claim window would be empty (the batch has
// started), nor while the batch takes no registrations (offerclose.go).
func (tx *Tx) offerFreed(seats Seats, s batchState, now time.Time) ([]Offer, error) {
	if !tx.handsOnSeats(seats) {
		return nil, tx.putBatchState(seats.Batch.ID, s)
	}
	var made []Offer
	until := seats.claimUntil(now)
	for _, id := range s.Waiting {
		if s.Taken+len(s.Offers) >= seats.Batch.Capacity || !until.After(now) {
			break
		}
		if slices.ContainsFunc(s.Offers, func(o Offer) bool { return o.UserID == id }) {
			continue
		}
		p, err := tx.Participant(seats.Batch.ID, id)
		if err != nil {
			return nil, fmt.Errorf("waiting person: %w", err)
		}
		o := Offer{Batch: seats.Batch.ID, UserID: id, ChatID: p.ChatID, Until: until}
		// A person offered a seat twice with the same claim end (both
		// before the session start) still gets the second message.
		o.Key = fmt.Sprintf("offer/%s/%d/%d", o.Batch, o.UserID, until.Unix())
		for n := 2; tx.tx.Bucket(bucketOutboxKeys).Get([]byte(o.Key)) != nil; n++ {
			o.Key = fmt.Sprintf("offer/%s/%d/%d/%d", o.Batch, o.UserID, until.Unix(), n)
		}
		s.Offers = append(s.Offers, o)
		made = append(made, o)
		_, err = tx.Enqueue(offerEntry(o, now))
		if err != nil {
			return nil, err
		}
	}
	return made, tx.putBatchState(seats.Batch.ID, s)
}

// AcceptOffer gives userID the seat offered to them. It returns
// ErrBatchClosed while the batch takes no registrations (/tutup withdrew
// the offer; the person keeps their waiting place; not after a
// selection's results, selection.go), ErrNoOffer when they
// hold none, also when it has expired at now; ErrBatchStarted once the
// batch has begun and ErrOverlap while they hold a seat or a waiting
// place in another batch whose dates overlap (the offer stays until it
// is declined or expires).
func (tx *Tx) AcceptOffer(seats Seats, userID int64, now time.Time) (Participant, error) {
	batch := seats.Batch.ID
	s, err := tx.batchState(batch)
	if err != nil {
		return Participant{}, err
	}
	i := slices.IndexFunc(s.Offers, func(o Offer) bool { return o.UserID == userID })
	if i < 0 || !now.Before(s.Offers[i].Until) {
		if err := tx.refuseClosedOffer(seats, userID); err != nil {
			return Participant{}, err
		}
		return Participant{}, ErrNoOffer
	}
	p, err := tx.Participant(batch, userID)
	if err != nil {
		return Participant{}, err
	}
	if err := tx.mayJoin(seats, p, now, !tx.selectionDone(seats)); err != nil {
		return Participant{}, fmt.Errorf("accept offer: %w", err)
	}
	s.remove(p)
	s.seat(&p)
	if err := tx.putBatchState(batch, s); err != nil {
		return Participant{}, err
	}
	return p, tx.putParticipant(p)
}

// DeclineOffer turns an offer down: the person leaves the waiting list and
// the seat is offered to the next. The new offers are returned.
func (tx *Tx) DeclineOffer(seats Seats, userID int64, now time.Time) ([]Offer, error) {
	_, ok, err := tx.OfferOf(seats.Batch.ID, userID)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, ErrNoOffer
	}
	return tx.CancelRegistration(seats, userID, now)
}

// ExpireOffers ends the offers of batch whose claim window is over at now:
// those people leave the waiting list (an outbox notice tells them), and
// the seats go to the next people waiting. It returns the expired and the
// new offers.
func (tx *Tx) ExpireOffers(seats Seats, now time.Time) (expired, made []Offer, err error) {
	s, err := tx.batchState(seats.Batch.ID)
	if err != nil {
		return nil, nil, err
	}
	for _, o := range slices.Clone(s.Offers) { // s.remove below shifts s.Offers in place
		if now.Before(o.Until) {
			continue
		}
		expired = append(expired, o)
		p, err := tx.Participant(o.Batch, o.UserID)
		if err != nil {
			return nil, nil, err
		}
		s.remove(p)
		p.Status, p.Seat, p.CancelledAt = StatusCancelled, 0, now
		if err := tx.putParticipant(p); err != nil {
			return nil, nil, err
		}
		_, err = tx.Enqueue(noticeEntry(fmt.Sprintf("offer-expired/%s/%d/%d", o.Batch, o.UserID, o.Until.Unix()),
			NoticePayload{Notice: o.Kind.expiredNotice(), Batch: o.Batch}, o.ChatID, o.UserID, now))
		if err != nil {
			return nil, nil, err
		}
	}
	made, err = tx.offerFreed(seats, s, now)
	return expired, made, err
}

// NextOfferExpiry returns the earliest end of a claim window in any batch.
func (db *DB) NextOfferExpiry() (time.Time, bool, error) {
	var (
		next  time.Time
		found bool
	)
	err := db.View(func(tx *Tx) error {
		return tx.tx.Bucket(bucketBatches).ForEach(func(k, v []byte) error {
			var s batchState
			if err := json.Unmarshal(v, &s); err != nil {
				return err
			}
			for _, o := range s.Offers {
				if !found || o.Until.Before(next) {
					next, found = o.Until, true
				}
			}
			return nil
		})
	})
	return next, found, err
}

// ErasedCount returns how many registrations of batch were deleted on the
// person's request: all that remains of them.
func (tx *Tx) ErasedCount(batch string) (int, error) {
	s, err := tx.batchState(batch)
	return s.Erased, err
}

// Erase deletes everything stored about userID — registrations, answers, certificates,
// conversation, outbox entries, blocked flag — after giving up their seats
// and places as CancelRegistration does; only an anonymous count per
// batch remains. seats lists every batch of the course, whose freed seats
// are offered to the people waiting (the offers are returned);
// registrations in batches it does not list are deleted all the same. Call DB.Scrub after the transaction commits so the
// data leaves the file, not just the index.
func (tx *Tx) Erase(seats []Seats, userID int64, now time.Time) ([]Offer, error) {
	return tx.erase(seats, userID, AuditEntry{At: now, Action: AuditDataDeleted}, now)
}

// erase is Erase, recording done (its Action AuditDataDeleted) when
// anything personal was stored.
func (tx *Tx) erase(seats []Seats, userID int64, done AuditEntry, now time.Time) ([]Offer, error) {
	var made []Offer
	c, _, err := tx.Conversation(userID)
	if err != nil {
		return nil, err
	}
	// stored: anything personal was there (a registration, an answer, a
	// consent, a message owed). Without it nothing is rewritten or logged,
	// so that strangers cannot force rewrites or crowd out the audit log.
	stored := len(c.Answers) > 0 || !c.ConsentAt.IsZero()
	for _, st := range seats {
		if _, err := tx.Participant(st.Batch.ID, userID); errors.Is(err, ErrNotFound) {
			continue
		} else if err != nil {
			return nil, err
		}
		offers, err := tx.CancelRegistration(st, userID, now)
		if err != nil {
			return nil, err
		}
		made = append(made, offers...)
	}
	// Every registration goes, also in batches the config no longer
	// lists (their seats are not handed on: nobody can take them).
	all, err := tx.ParticipantsOf(userID)
	if err != nil {
		return nil, err
	}
	for _, p := range all {
		stored = true
		s, err := tx.batchState(p.Batch)
		if err != nil {
			return nil, err
		}
		s.remove(p)
		s.Erased++
		if err := tx.putBatchState(p.Batch, s); err != nil {
			return nil, err
		}
		if err := tx.deleteParticipant(p.Batch, userID); err != nil {
			return nil, err
		}
		if err := tx.deleteCertificate(p.Batch, userID); err != nil {
			return nil, err
		}
		for _, name := range erasedWithParticipant {
			if err := tx.deletePrefix(name, participantKey(p.Batch, userID)); err != nil {
				return nil, err
			}
		}
	}
	if err := tx.tx.Bucket(bucketConversations).Delete(i64(userID)); err != nil {
		return nil, err
	}
	if err := tx.forgetWalkIn(userID); err != nil {
		return nil, err
	}
	if err := tx.SetUnreachable(userID, time.Time{}); err != nil {
		return nil, err
	}
	owed, err := tx.deleteOutboxOf(userID)
	if err != nil {
		return nil, err
	}
	if !stored && owed == 0 {
		return made, nil
	}
	// Older audit entries (attendance marks) name the person: they lose
	// the name; the deletion itself is logged without one.
	if err := tx.ForgetAuditSubject(userID); err != nil {
		return nil, err
	}
	if err := tx.markScrub(); err != nil {
		return nil, err
	}
	return made, tx.Audit(done)
}

// erasedWithParticipant names buckets whose keys start with a
// participant's key (batch, 0, user id) and go with the participant.
// The survey's anonymous answer sets are not among them: nothing links
// them to anybody.
var erasedWithParticipant = [][]byte{[]byte("attendance"), bucketSurveyProgress, bucketSurveyDone, bucketSurveyLinked,
	bucketDecisions, bucketStillComing}

func (tx *Tx) deletePrefix(bucket, prefix []byte) error {
	b := tx.tx.Bucket(bucket)
	if b == nil {
		return nil
	}
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && len(k) >= len(prefix) && string(k[:len(prefix)]) == string(prefix); k, _ = c.Seek(prefix) {
		if err := c.Delete(); err != nil {
			return err
		}
	}
	return nil
}

// deleteOutboxOf removes every outbox entry addressed to userID and says
// how many there were.
func (tx *Tx) deleteOutboxOf(userID int64) (int, error) {
	n := 0
	err := tx.byUser(bucketOutboxByUser, userID, func(id []byte) error {
		n++
		return tx.deleteOutbox(id)
	})
	return n, err
}

// UpdateAnswers replaces the answers of userID's registration in seats'
// batch (an edit after registering); seat and status stay. While the
// registration holds a place, new answers that decide the intake (the
// NIK, the birth date) must pass its rules at now (CheckIntake): nobody
// takes another person's NIK by an edit. Other changes are not checked
// again, so that a rule made stricter after a registration does not keep
// a person from correcting their name.
func (tx *Tx) UpdateAnswers(seats Seats, userID int64, answers map[string]string, now time.Time) (Participant, error) {
	p, err := tx.Participant(seats.Batch.ID, userID)
	if err != nil {
		return p, err
	}
	in := seats.Intake
	decides := in.NIKOf(answers) != in.NIKOf(p.Answers) ||
		in.BirthField != "" && answers[in.BirthField] != p.Answers[in.BirthField]
	p.Answers = answers
	p.NIK = in.NIKOf(answers)
	if decides && p.Status.HoldsPlace() {
		if err := tx.CheckIntake(seats, p, now); err != nil {
			return Participant{}, fmt.Errorf("update answers: %w", err)
		}
	}
	return p, tx.putParticipant(p)
}

// RetireBatch deletes the personal data of every participant of batch, as
// the retention period asks, leaving only the anonymous counts. A person's
// conversation goes too when they have no registration left. It returns
// how many participants were deleted; call DB.Scrub after it commits.
func (tx *Tx) RetireBatch(batch string) (int, error) {
	s, err := tx.batchState(batch)
	if err != nil {
		return 0, err
	}
	var users []int64
	prefix := append([]byte(batch), 0)
	c := tx.tx.Bucket(bucketParticipants).Cursor()
	for k, _ := c.Seek(prefix); k != nil && len(k) == len(prefix)+8 && string(k[:len(prefix)]) == string(prefix); k, _ = c.Next() {
		users = append(users, int64(binary.BigEndian.Uint64(k[len(prefix):])))
	}
	if len(users) == 0 {
		return 0, nil
	}
	for _, u := range users {
		key := participantKey(batch, u)
		if err := tx.deleteParticipant(batch, u); err != nil {
			return 0, err
		}
		if err := tx.deleteCertificate(batch, u); err != nil {
			return 0, err
		}
		for _, name := range erasedWithParticipant {
			if err := tx.deletePrefix(name, key); err != nil {
				return 0, err
			}
		}
		rest, err := tx.ParticipantsOf(u)
		if err != nil {
			return 0, err
		}
		if len(rest) == 0 {
			if err := tx.tx.Bucket(bucketConversations).Delete(i64(u)); err != nil {
				return 0, err
			}
			if err := tx.forgetWalkIn(u); err != nil {
				return 0, err
			}
			if _, err := tx.deleteOutboxOf(u); err != nil {
				return 0, err
			}
		}
	}
	s.Retired += len(users)
	s.Waiting, s.Offers = nil, nil
	if err := tx.markScrub(); err != nil {
		return 0, err
	}
	return len(users), tx.putBatchState(batch, s)
}
