package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Sentinel errors of the intake rules (Tx.CheckIntake). None of them, nor
// the context wrapped around them, names the person or their NIK: they
// may be logged.
var (
	// ErrNIKTaken is returned when the NIK holds a place (a seat, a
	// waiting place, an application) in the batch under another Telegram
	// account.
	ErrNIKTaken = errors.New("the nik holds a place in this batch already")
	// ErrTooManyPlaces is returned when the person — the account, or
	// anyone with their NIK — already holds Intake.MaxPlaces places in
	// batches of the course that have not ended.
	ErrTooManyPlaces = errors.New("the person holds as many places in this course as it allows")
)

// AuditNIKConflict is the audit action (persisted: only add) of a NIK
// refused because it holds a place in Batch under another account: By is
// the account that gave it. The log says that someone tried, never the
// NIK.
const AuditNIKConflict = "nik_conflict"

// HoldsPlace reports whether a registration with status s holds a place
// in its batch, one that counts against the intake rules (one place per
// NIK and batch, Intake.MaxPlaces per course): a seat or a waiting place;
// in a selection batch (selection.go) an application, the seat held for
// a selected person and a reserve's place too. A status that holds a
// place is added here, and every rule follows.
func (s Status) HoldsPlace() bool {
	switch s {
	case StatusRegistered, StatusWaiting, StatusApplied, StatusSelected, StatusReserve:
		return true
	}
	return false
}

// Intake is a course's rules about who may hold a place in its batches,
// beside the batch's own Eligibility: Course.Intake builds it.
type Intake struct {
	// NIKField is the key of the form's NIK answer (the first field of
	// KindNIK); "" when the form asks for none, which turns the NIK rules
	// off.
	NIKField string
	// BirthField is the key of the birth-date answer
	// (Course.BirthDateField); "" when the form asks for none, and the
	// age comes from the NIK.
	BirthField string
	// MaxPlaces is how many batches of the course one person may hold a
	// place in at once (max_batches_per_person); below 1 counts as 1.
	MaxPlaces int
	// Batches are the ids of the course's batches: the places counted
	// against MaxPlaces and the attendances exclude_months looks at. None:
	// no course to count in (seeding, tests).
	Batches []string
}

// Intake returns the course's intake rules.
func (c Course) Intake() Intake {
	in := Intake{MaxPlaces: c.MaxBatchesPerPerson}
	if f, ok := c.First(KindNIK); ok {
		in.NIKField = f.Key
	}
	if f, ok := c.BirthDateField(); ok {
		in.BirthField = f.Key
	}
	for _, b := range c.Batches {
		in.Batches = append(in.Batches, b.ID)
	}
	return in
}

// NIKOf returns the NIK among answers, "" when there is none.
func (in Intake) NIKOf(answers map[string]string) string {
	if in.NIKField == "" {
		return ""
	}
	return answers[in.NIKField]
}

func (in Intake) inCourse(batch string) bool {
	for _, id := range in.Batches {
		if id == batch {
			return true
		}
	}
	return false
}

func (in Intake) maxPlaces() int { return max(in.MaxPlaces, 1) }

// CheckIntake returns why p (its UserID, Batch and Answers) may not hold
// a place in seats' batch at now, nil when it may. It is the one rule of
// the intake, asked by every transaction that gives a place (TakeSeat,
// JoinWaitingList, AcceptOffer, UpdateAnswers) and by the conversation as
// soon as the answer that decides it is typed:
//
//   - the batch's Eligibility (age, region, a recent attendance: ErrTooYoung,
//     ErrTooOld, ErrRegion, ErrRecentlyTrained);
//   - the NIK holds no place in the batch under another account
//     (ErrNIKTaken);
//   - the account and the NIK together hold places in fewer than
//     Intake.MaxPlaces other batches of the course that have not ended
//     (ErrTooManyPlaces).
//
// p's own registration in the batch is not counted against it. It reads
// only the places of p's account and of its NIK (the NIK index), never
// every registration.
func (tx *Tx) CheckIntake(seats Seats, p Participant, now time.Time) error {
	b, in := seats.Batch, seats.Intake
	nik := in.NIKOf(p.Answers)
	if err := b.Eligibility.check(in, b, p.Answers, nik); err != nil {
		return fmt.Errorf("batch %s: %w", b.ID, err)
	}
	places, err := tx.ParticipantsOf(p.UserID)
	if err != nil {
		return err
	}
	if nik != "" {
		theirs, err := tx.placesOfNIK(nik)
		if err != nil {
			return err
		}
		places = append(places, theirs...)
	}
	held := map[string]bool{}
	for _, q := range places {
		if q.Batch == b.ID && q.UserID == p.UserID {
			continue
		}
		if q.Batch == b.ID && q.Status.HoldsPlace() {
			return fmt.Errorf("batch %s: %w", b.ID, ErrNIKTaken)
		}
		if !in.inCourse(q.Batch) {
			continue
		}
		qb, ok := batchIn(seats.Batches, q.Batch)
		if !ok {
			continue // a batch the config no longer lists: no dates to go by
		}
		if b.Eligibility.trainedRecently(qb, q.Status, b, now) {
			return fmt.Errorf("batch %s after %s: %w", b.ID, qb.ID, ErrRecentlyTrained)
		}
		if q.Status.HoldsPlace() && !qb.Ended(now) {
			held[q.Batch] = true
		}
	}
	if len(in.Batches) > 0 && len(held) >= in.maxPlaces() {
		return fmt.Errorf("batch %s: %d of %d: %w", b.ID, len(held), in.maxPlaces(), ErrTooManyPlaces)
	}
	return nil
}

func batchIn(bs []Batch, id string) (Batch, bool) {
	for _, b := range bs {
		if b.ID == id {
			return b, true
		}
	}
	return Batch{}, false
}

// The NIK index: every registration with a NIK, found from the NIK by a
// seek, so that the intake rules cost the places of one NIK, not a scan.
// It is written with the registration (putParticipant, deleteParticipant),
// so every erasure, retention and scrub path keeps it.
var (
	bucketParticipantsByNIK = []byte("participants_by_nik") // nik, 0, batch, 0, user id → nil
	bucketNIKOfParticipant  = []byte("nik_of_participant")  // batch, 0, user id → nik
)

func nikKey(nik string, pk []byte) []byte {
	k := make([]byte, 0, len(nik)+1+len(pk))
	k = append(k, nik...)
	k = append(k, 0)
	return append(k, pk...)
}

// indexNIK points the NIK index at the registration under key pk, whose
// NIK is now nik ("" for none).
func (tx *Tx) indexNIK(pk []byte, nik string) error {
	of := tx.tx.Bucket(bucketNIKOfParticipant)
	old := string(of.Get(pk)) // a copy: the bucket changes below
	if old == nik {
		return nil
	}
	by := tx.tx.Bucket(bucketParticipantsByNIK)
	if old != "" {
		if err := by.Delete(nikKey(old, pk)); err != nil {
			return err
		}
	}
	if nik == "" {
		return of.Delete(pk)
	}
	if err := by.Put(nikKey(nik, pk), nil); err != nil {
		return err
	}
	return of.Put(pk, []byte(nik))
}

// placesOfNIK returns every registration, of any status and account,
// whose NIK is nik.
func (tx *Tx) placesOfNIK(nik string) ([]Participant, error) {
	prefix := nikKey(nik, nil)
	var out []Participant
	c := tx.tx.Bucket(bucketParticipantsByNIK).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		var p Participant
		found, err := getJSON(tx.tx.Bucket(bucketParticipants), k[len(prefix):], &p)
		if err != nil {
			return nil, err
		}
		if found {
			out = append(out, p)
		}
	}
	return out, nil
}

// PlacesOfNIK returns the registrations, of any account, that hold a
// place (Status.HoldsPlace) with nik: what an organiser reads about a
// person, and what the model test checks.
func (tx *Tx) PlacesOfNIK(nik string) ([]Participant, error) {
	all, err := tx.placesOfNIK(nik)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, p := range all {
		if p.Status.HoldsPlace() {
			out = append(out, p)
		}
	}
	return out, nil
}

// indexNIKs fills the NIK index of a file written before it existed
// (migration to schema version 4): each registration's NIK is its answer
// to opts.NIKFields[its batch]; batches not listed have no NIK.
func indexNIKs(tx *bolt.Tx, opts Options) error {
	if len(opts.NIKFields) == 0 {
		return nil
	}
	changed, err := addKey(tx.Bucket(bucketParticipants), "participant", "nik", func(p map[string]json.RawMessage) (any, error) {
		var batch string
		var answers map[string]string
		if err := json.Unmarshal(p["batch"], &batch); err != nil {
			return nil, err
		}
		if raw, ok := p["answers"]; ok {
			if err := json.Unmarshal(raw, &answers); err != nil {
				return nil, err
			}
		}
		nik := answers[opts.NIKFields[batch]]
		if opts.NIKFields[batch] == "" || nik == "" {
			return nil, nil
		}
		return nik, nil
	})
	if err != nil {
		return err
	}
	by, of := tx.Bucket(bucketParticipantsByNIK), tx.Bucket(bucketNIKOfParticipant)
	for _, e := range changed {
		var p struct {
			NIK string `json:"nik"`
		}
		if err := json.Unmarshal(e.v, &p); err != nil {
			return err
		}
		if err := by.Put(nikKey(p.NIK, e.k), nil); err != nil {
			return err
		}
		if err := of.Put(e.k, []byte(p.NIK)); err != nil {
			return err
		}
	}
	return nil
}

// PlacesFull reports whether the person whose registrations are mine
// holds places (Status.HoldsPlace) in as many batches of c other than b,
// not ended at now, as c allows (MaxBatchesPerPerson): b is not
// available to them. CheckIntake applies the same count, with the places
// of the person's NIK too, in the seat transaction.
func (c Course) PlacesFull(b Batch, mine Registrations, now time.Time) bool {
	n := 0
	for _, p := range mine {
		if p.Batch == b.ID || !p.Status.HoldsPlace() {
			continue
		}
		if o, ok := c.Batch(p.Batch); ok && !o.Ended(now) {
			n++
		}
	}
	return n >= max(c.MaxBatchesPerPerson, 1)
}
