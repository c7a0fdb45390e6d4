package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"sort"
	"time"
)

// Status of a participant in a batch. Persisted: only add.
type Status string

// Statuses.
const (
	StatusRegistered Status = "registered"
	StatusWaiting    Status = "waiting"
	StatusCancelled  Status = "cancelled"
)

// Participant is one person's registration in one batch.
type Participant struct {
	UserID       int64             `json:"user_id"`
	ChatID       int64             `json:"chat_id"`
	Batch        string            `json:"batch"`
	Status       Status            `json:"status"`
	Seat         int               `json:"seat,omitempty"` // 1..capacity while registered
	Answers      map[string]string `json:"answers"`
	Lang         string            `json:"lang"`
	ConsentAt    time.Time         `json:"consent_at"`
	RegisteredAt time.Time         `json:"registered_at"`
	CancelledAt  time.Time         `json:"cancelled_at,omitzero"`
	// NIK is the answer to the course's NIK field (Intake.NIKOf), set by
	// the transactions that give a place: what the NIK index holds.
	NIK string `json:"nik,omitempty"`
	// ConsentBy is the organiser the person gave their consent to in
	// person, for a walk-in (EnrolWalkIn); 0 when they gave it in the chat.
	ConsentBy int64 `json:"consent_by,omitempty"`
	// MovedTo is the batch an organiser moved this registration to
	// (MoveParticipant); it is then cancelled here.
	MovedTo string `json:"moved_to,omitempty"`
}

// batchState is what the store keeps per batch to hand out seats fairly.
// Invariants: Taken + len(Offers) <= capacity; every offer's user is in
// Waiting; Waiting has no duplicates, and a person's waiting position is
// their index in it + 1.
type batchState struct {
	Taken    int     `json:"taken"`
	NextSeat int     `json:"next_seat"`         // the highest seat number ever given + 1
	Free     []int   `json:"free,omitempty"`    // seat numbers below NextSeat given back
	Waiting  []int64 `json:"waiting,omitempty"` // the waiting list, first come first
	Offers   []Offer `json:"offers,omitempty"`  // seats held for people on the waiting list
	Erased   int     `json:"erased,omitempty"`  // registrations deleted on request: an anonymous count
	Retired  int     `json:"retired,omitempty"` // registrations deleted when the retention period ended
	// Certificates is the highest certificate number issued in the batch:
	// numbers are never given twice, also after an erasure.
	Certificates int `json:"certificates,omitempty"`
}

func participantKey(batch string, userID int64) []byte {
	k := make([]byte, 0, len(batch)+9)
	k = append(k, batch...)
	k = append(k, 0)
	return binary.BigEndian.AppendUint64(k, uint64(userID))
}

func (tx *Tx) batchState(batch string) (batchState, error) {
	var s batchState
	if _, err := getJSON(tx.tx.Bucket(bucketBatches), []byte(batch), &s); err != nil {
		return s, err
	}
	if s.NextSeat == 0 {
		s.NextSeat = 1
	}
	return s, nil
}

// ConfirmSeat gives p the lowest free seat of p.Batch when fewer than
// capacity are taken, and stores p as registered with that seat. It returns
// ErrBatchFull when none is left and ErrAlreadyRegistered (with the stored
// participant) when p already holds a seat there. It checks the capacity
// only: a person's own registration goes through TakeSeat, which checks
// the batch rules first; ConfirmSeat alone is for seeding and imports.
func (tx *Tx) ConfirmSeat(p Participant, capacity int) (Participant, error) {
	bucket := tx.tx.Bucket(bucketParticipants)
	key := participantKey(p.Batch, p.UserID)
	var old Participant
	found, err := getJSON(bucket, key, &old)
	if err != nil {
		return Participant{}, err
	}
	if found && old.Status == StatusRegistered {
		return old, ErrAlreadyRegistered
	}
	s, err := tx.batchState(p.Batch)
	if err != nil {
		return Participant{}, err
	}
	if found && old.Status == StatusWaiting {
		// A seat for someone waiting goes through an offer.
		return old, fmt.Errorf("confirm seat %s: %w", p.Batch, ErrAlreadyWaiting)
	}
	if s.Taken+len(s.Offers) >= capacity || len(s.Waiting) > 0 {
		return Participant{}, fmt.Errorf("confirm seat %s: %w", p.Batch, ErrBatchFull)
	}
	s.seat(&p)
	if err := tx.putBatchState(p.Batch, s); err != nil {
		return Participant{}, err
	}
	if err := tx.putParticipant(p); err != nil {
		return Participant{}, err
	}
	return p, nil
}

// seat gives p the lowest free seat number.
func (s *batchState) seat(p *Participant) {
	if len(s.Free) > 0 {
		sort.Ints(s.Free)
		p.Seat, s.Free = s.Free[0], s.Free[1:]
	} else {
		p.Seat = s.NextSeat
		s.NextSeat++
	}
	s.Taken++
	p.Status = StatusRegistered
}

func (tx *Tx) putBatchState(batch string, s batchState) error {
	return putJSON(tx.tx.Bucket(bucketBatches), []byte(batch), s)
}

// SeatsTaken returns how many seats of batch are taken.
func (tx *Tx) SeatsTaken(batch string) (int, error) {
	s, err := tx.batchState(batch)
	return s.Taken, err
}

// Participant returns userID's registration in batch, or ErrNotFound.
func (tx *Tx) Participant(batch string, userID int64) (Participant, error) {
	var p Participant
	key := participantKey(batch, userID)
	data := tx.tx.Bucket(bucketParticipants).Get(key)
	// Reports read thousands one at a time; counted once decoded, as a
	// release drops the page data is on.
	defer tx.walked(key, data)
	if data == nil {
		return p, ErrNotFound
	}
	if err := json.Unmarshal(data, &p); err != nil {
		return p, fmt.Errorf("decode record %x: %w", key, err)
	}
	return p, nil
}

// ParticipantsOf returns every registration of userID, in batch id order.
func (tx *Tx) ParticipantsOf(userID int64) ([]Participant, error) {
	var out []Participant
	err := tx.byUser(bucketParticipantsByUser, userID, func(batch []byte) error {
		var p Participant
		found, err := getJSON(tx.tx.Bucket(bucketParticipants), participantKey(string(batch), userID), &p)
		if err != nil || !found {
			return err
		}
		out = append(out, p)
		return nil
	})
	return out, err
}

// Participants returns every registration, ordered by batch id, then status
// (registered, waiting, cancelled), then seat and registration time.
func (tx *Tx) Participants() ([]Participant, error) {
	var out []Participant
	err := tx.tx.Bucket(bucketParticipants).ForEach(func(k, v []byte) error {
		var p Participant
		if _, err := getJSON(tx.tx.Bucket(bucketParticipants), k, &p); err != nil {
			return err
		}
		out = append(out, p)
		tx.walked(k, v)
		return nil
	})
	sortParticipants(out)
	return out, err
}

// statusOrder is the order of lists: the seats, the seats held for the
// selected, the waiting list, the reserves, the open applications, then
// those no longer in.
var statusOrder = map[Status]int{StatusRegistered: 0, StatusSelected: 1, StatusWaiting: 2, StatusReserve: 3,
	StatusApplied: 4, StatusNotSelected: 5, StatusCancelled: 6}

func sortParticipants(ps []Participant) {
	sort.SliceStable(ps, func(i, j int) bool { return listedBefore(listKeyOf(ps[i]), listKeyOf(ps[j])) })
}

// listKey is what the order of Participants looks at.
type listKey struct {
	Batch        string    `json:"batch"`
	Status       Status    `json:"status"`
	Seat         int       `json:"seat,omitempty"`
	RegisteredAt time.Time `json:"registered_at"`
}

func listKeyOf(p Participant) listKey {
	return listKey{Batch: p.Batch, Status: p.Status, Seat: p.Seat, RegisteredAt: p.RegisteredAt}
}

// listedBefore reports whether a is listed before b: by batch id, then
// registered, waiting, cancelled, then by seat, then by registration time.
func listedBefore(a, b listKey) bool {
	if a.Batch != b.Batch {
		return a.Batch < b.Batch
	}
	if a.Status != b.Status {
		return statusOrder[a.Status] < statusOrder[b.Status]
	}
	if a.Seat != b.Seat {
		return a.Seat < b.Seat
	}
	return a.RegisteredAt.Before(b.RegisteredAt)
}

// ParticipantRef names a registration: the batch and the user.
type ParticipantRef struct {
	Batch  string
	UserID int64
}

// ParticipantsIn returns every registration of batch, in the order of
// Participants: registered by seat, then waiting, then cancelled.
func (tx *Tx) ParticipantsIn(batch string) ([]Participant, error) {
	var out []Participant
	prefix := append([]byte(batch), 0)
	c := tx.tx.Bucket(bucketParticipants).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var p Participant
		if err := json.Unmarshal(v, &p); err != nil {
			return nil, fmt.Errorf("decode participant %x: %w", k, err)
		}
		out = append(out, p)
		tx.walked(k, v)
	}
	sortParticipants(out)
	return out, nil
}

// ParticipantOrder returns every registration of batch ("" for every
// batch) in the order Participants lists them, decoding only what the
// order needs: a report over thousands of people reads them one at a
// time in this order (Tx.Participant) instead of holding them all.
func (tx *Tx) ParticipantOrder(batch string) ([]ParticipantRef, error) {
	type entry struct {
		ParticipantRef
		listKey
	}
	var order []entry
	var prefix []byte
	if batch != "" {
		prefix = append([]byte(batch), 0)
	}
	c := tx.tx.Bucket(bucketParticipants).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var e entry
		if err := json.Unmarshal(v, &e.listKey); err != nil {
			return nil, fmt.Errorf("decode participant %x: %w", k, err)
		}
		if n := len(order); n > 0 && order[n-1].listKey.Batch == e.listKey.Batch {
			e.listKey.Batch = order[n-1].listKey.Batch // keys come by batch: one string per batch
		}
		e.ParticipantRef = ParticipantRef{Batch: e.listKey.Batch, UserID: int64(binary.BigEndian.Uint64(k[len(k)-8:]))}
		order = append(order, e)
		tx.walked(k, v)
	}
	sort.SliceStable(order, func(i, j int) bool { return listedBefore(order[i].listKey, order[j].listKey) })
	refs := make([]ParticipantRef, len(order))
	for i, e := range order {
		refs[i] = e.ParticipantRef
	}
	return refs, nil
}

// Participants returns every registration (see Tx.Participants).
func (db *DB) Participants() ([]Participant, error) {
	var out []Participant
	err := db.View(func(tx *Tx) error {
		var err error
		out, err = tx.Participants()
		return err
	})
	return out, err
}
