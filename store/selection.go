package store

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"
)

// Selection: a batch whose Admission says Selection takes applications
// instead of seats (Apply). Organisers decide each applicant (Decide:
// selected, reserve, not selected) until they send the results
// (SendResults). Then every applicant is told through the outbox; the
// selected hold their seat as an offer (the waiting list's machinery,
// waitlist.go) until they confirm it (AcceptOffer) or the confirmation
// window ends, the reserves wait behind them in the batch's waiting list,
// so that a seat given up goes to the first reserve as an offer, exactly
// as on a first-come waiting list.

// Statuses of a selection batch. Persisted: only add.
const (
	StatusApplied     Status = "applied"      // applied; results not sent yet
	StatusSelected    Status = "selected"     // selected: a seat is held until they confirm
	StatusReserve     Status = "reserve"      // a reserve: waits for a seat given up
	StatusNotSelected Status = "not_selected" // told they were not selected
)

// HoldsPlaceIn reports whether the person holds a place in batch
// (Status.HoldsPlace).
func (rs Registrations) HoldsPlaceIn(batch string) bool {
	return slices.ContainsFunc(rs, func(p Participant) bool { return p.Batch == batch && p.Status.HoldsPlace() })
}

// Admission is how a batch admits people beyond its seats and dates: by
// selection or first come, and whether seat holders are asked before the
// start whether they still come (confirm.go).
type Admission struct {
	// Selection: Konfirmasi submits an application (admission =
	// "selection"); otherwise it takes a seat (first come).
	Selection bool
	// ResultsBy is when the organisers promise the results (the midnight
	// of that date); zero: before the batch starts.
	ResultsBy time.Time
	// ConfirmWindow is how long a selected person, or a seat holder asked
	// whether they still come, has to answer (confirm_hours).
	ConfirmWindow time.Duration
	// AskDaysBefore is how many days before the start seat holders of a
	// first-come batch are asked whether they still come; 0: never.
	AskDaysBefore int
	// Release: a seat holder who does not answer by the end of
	// ConfirmWindow loses the seat (unconfirmed = "release"); otherwise
	// they keep it and are flagged to organisers.
	Release bool
}

// OfferKind says why a seat is held for someone. Persisted: only add.
type OfferKind string

// Offer kinds.
const (
	OfferWaiting  OfferKind = ""         // a freed seat for the first person waiting (or the first reserve)
	OfferSelected OfferKind = "selected" // the seat of a selected applicant, until they confirm it
)

// Sentinel errors of selection.
var (
	// ErrAlreadyApplied is returned by Apply when the person's
	// application in the batch is in already.
	ErrAlreadyApplied = errors.New("already applied to this batch")
	// ErrResultsSent is returned by Apply, Decide and SendResults once the
	// batch's results went out. Apply's wraps ErrBatchClosed too: the
	// batch takes no more applications.
	ErrResultsSent = errors.New("selection results already sent")
	// ErrNotApplicant is returned by Decide when the person holds no
	// application in the batch (they withdrew it, or never applied).
	ErrNotApplicant = errors.New("not an applicant of this batch")
	// ErrSelectionFull is returned by Decide and SendResults when more
	// people would be selected than the batch has seats.
	ErrSelectionFull = errors.New("more selected than seats")
	// ErrNotSelection is returned by Decide and SendResults for a batch
	// that admits first come.
	ErrNotSelection = errors.New("batch admits first come, not by selection")
)

// Audit actions of selection. Persisted: only add.
const (
	AuditDecision    = "selection_decision" // Batch, Subject; Detail: the status decided
	AuditResultsSent = "results_sent"       // Batch; Detail: the counts sent
)

var (
	bucketDecisions   = []byte("decisions")    // participant key → decision
	bucketResultsSent = []byte("results_sent") // batch → time the results went out
)

// decision is an organiser's decision on an applicant.
type decision struct {
	Status Status    `json:"status"`
	At     time.Time `json:"at"`
	Order  uint64    `json:"order"` // reserves are ranked by it, first decided first
}

// Apply is a person's application to a selection batch (TakeSeat calls
// it for such a batch): p is stored as applied, without a seat, after the
// checks TakeSeat makes (open, not started, no place in an overlapping
// batch); the number of applications is not bounded by the seats. An
// earlier decision on the person (an application withdrawn and made
// again) is forgotten. After the results the batch is first come for
// what is left: a free seat as ConfirmSeat gives it, else ErrBatchFull
// (the waiting list, behind the reserves).
func (tx *Tx) Apply(seats Seats, p Participant, now time.Time) (Participant, error) {
	p.Batch = seats.Batch.ID
	old, err := tx.Participant(p.Batch, p.UserID)
	switch {
	case err == nil && old.Status == StatusApplied:
		return old, ErrAlreadyApplied
	case err == nil && (old.Status == StatusSelected || old.Status == StatusReserve):
		return old, ErrAlreadyRegistered
	case err != nil && !errors.Is(err, ErrNotFound):
		return Participant{}, err
	}
	p.NIK = seats.Intake.NIKOf(p.Answers)
	if err := tx.mayJoin(seats, p, now, true); err != nil {
		return Participant{}, fmt.Errorf("apply: %w", err)
	}
	if _, sent := tx.ResultsSent(p.Batch); sent {
		// Once the results are out, what the selected and the reserves
		// leave is first come: a free seat nobody waits for, else the
		// waiting list behind the reserves (ErrBatchFull).
		return tx.ConfirmSeat(p, seats.Batch.Capacity)
	}
	if err := tx.tx.Bucket(bucketDecisions).Delete(participantKey(p.Batch, p.UserID)); err != nil {
		return Participant{}, err
	}
	p.Status, p.Seat, p.CancelledAt = StatusApplied, 0, time.Time{}
	return p, tx.putParticipant(p)
}

// ResultsSent returns when the results of batch went out, and whether
// they did.
func (tx *Tx) ResultsSent(batch string) (time.Time, bool) {
	v := tx.tx.Bucket(bucketResultsSent).Get([]byte(batch))
	if v == nil {
		return time.Time{}, false
	}
	var at time.Time
	if err := at.UnmarshalBinary(v); err != nil {
		return time.Time{}, true
	}
	return at, true
}

// Applicant is an application with the organisers' decision on it so far.
type Applicant struct {
	Participant
	Decision  Status    // StatusSelected, StatusReserve, StatusNotSelected, or "" while undecided
	DecidedAt time.Time // when Decision was made
	Reserve   int       // the rank among the reserves (1 first), 0 when not a reserve
	order     uint64    // the order of the decisions
}

// Applicants returns the applications of batch still open (status
// applied), in the order they came in, each with its decision.
func (tx *Tx) Applicants(batch string) ([]Applicant, error) {
	ps, err := tx.ParticipantsIn(batch)
	if err != nil {
		return nil, err
	}
	var out []Applicant
	for _, p := range ps {
		if p.Status != StatusApplied {
			continue
		}
		var d decision
		if _, err := getJSON(tx.tx.Bucket(bucketDecisions), participantKey(batch, p.UserID), &d); err != nil {
			return nil, err
		}
		out = append(out, Applicant{Participant: p, Decision: d.Status, DecidedAt: d.At, order: d.Order})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].RegisteredAt.Equal(out[j].RegisteredAt) {
			return out[i].RegisteredAt.Before(out[j].RegisteredAt)
		}
		return out[i].UserID < out[j].UserID
	})
	var reserves []*Applicant
	for i := range out {
		if out[i].Decision == StatusReserve {
			reserves = append(reserves, &out[i])
		}
	}
	sort.SliceStable(reserves, func(i, j int) bool { return reserves[i].order < reserves[j].order })
	for i, a := range reserves {
		a.Reserve = i + 1
	}
	return out, nil
}

// SelectionCounts are the decisions on a batch's open applications.
type SelectionCounts struct {
	Applied, Selected, Reserve, NotSelected, Undecided int
}

// CountDecisions sums up applicants.
func CountDecisions(as []Applicant) SelectionCounts {
	n := SelectionCounts{Applied: len(as)}
	for _, a := range as {
		switch a.Decision {
		case StatusSelected:
			n.Selected++
		case StatusReserve:
			n.Reserve++
		case StatusNotSelected:
			n.NotSelected++
		default:
			n.Undecided++
		}
	}
	return n
}

// Decide records the organisers' decision st (StatusSelected,
// StatusReserve or StatusNotSelected) on userID's application to seats'
// batch at now; it may be changed until the results are sent. A
// reserve's rank is the order of the decisions (deciding reserve again
// keeps it). Selecting more people than the batch has seats is refused
// (ErrSelectionFull), as is deciding on someone without an open
// application (ErrNotApplicant) or after the results (ErrResultsSent).
func (tx *Tx) Decide(seats Seats, userID int64, st Status, now time.Time) error {
	batch := seats.Batch.ID
	if !seats.Batch.Admission.Selection {
		return ErrNotSelection
	}
	if st != StatusSelected && st != StatusReserve && st != StatusNotSelected {
		return fmt.Errorf("decide %q: not a decision", st)
	}
	if _, sent := tx.ResultsSent(batch); sent {
		return ErrResultsSent
	}
	p, err := tx.Participant(batch, userID)
	if errors.Is(err, ErrNotFound) || err == nil && p.Status != StatusApplied {
		return ErrNotApplicant
	}
	if err != nil {
		return err
	}
	key := participantKey(batch, userID)
	var old decision
	if _, err := getJSON(tx.tx.Bucket(bucketDecisions), key, &old); err != nil {
		return err
	}
	if old.Status == st {
		return nil
	}
	if st == StatusSelected {
		as, err := tx.Applicants(batch)
		if err != nil {
			return err
		}
		if n := CountDecisions(as); n.Selected >= seats.seatsToFill(tx) {
			return ErrSelectionFull
		}
	}
	order, err := tx.tx.Bucket(bucketDecisions).NextSequence()
	if err != nil {
		return err
	}
	return putJSON(tx.tx.Bucket(bucketDecisions), key, decision{Status: st, At: now, Order: order})
}

// seatsToFill is how many seats of the batch are neither taken nor held.
func (s Seats) seatsToFill(tx *Tx) int {
	st, err := tx.batchState(s.Batch.ID)
	if err != nil {
		return 0
	}
	return s.Batch.Capacity - st.Taken - len(st.Offers)
}

// ResultKind is which result an applicant is told. Persisted: only add.
type ResultKind string

// Result kinds, the statuses they give.
const (
	ResultSelected    ResultKind = "selected"
	ResultReserve     ResultKind = "reserve"
	ResultNotSelected ResultKind = "not_selected"
)

// ResultPayload is what a KindResult entry tells: the result of the
// application to Batch.
type ResultPayload struct {
	Batch  string
	Result ResultKind
}

// ResultKey is the idempotency key of userID's result in batch: one per
// person, however often Kirim is pressed. Persisted: never change its
// form.
func ResultKey(batch string, userID int64) string {
	return fmt.Sprintf("result/%s/%d", batch, userID)
}

func resultEntry(p Participant, r ResultKind, now time.Time) OutboxEntry {
	return OutboxEntry{
		Key: ResultKey(p.Batch, p.UserID), Kind: KindResult,
		ChatID: p.ChatID, UserID: p.UserID,
		Data:      map[string]string{"batch": p.Batch, "result": string(r)},
		CreatedAt: now,
	}
}

// Result reads the payload of a KindResult entry.
func (e OutboxEntry) Result() (ResultPayload, error) {
	if e.Kind != KindResult {
		return ResultPayload{}, fmt.Errorf("outbox %d is a %s, not a result", e.ID, e.Kind)
	}
	return ResultPayload{Batch: e.Data["batch"], Result: ResultKind(e.Data["result"])}, nil
}

// KindResult is a selection result (ResultPayload). Persisted: only add.
const KindResult OutboxKind = "result"

// SendResults sends the results of seats' batch at now, in one
// transaction: every open application becomes selected, reserve or not
// selected (those left undecided are not selected), and each applicant's
// result goes into the outbox, keyed per person. The selected hold their
// seat as an offer until now + Admission.ConfirmWindow (never past the
// start); the reserves join the waiting list behind them in their rank's
// order, and any seat no selected person holds is offered to them at once
// (offerFreed). Sending twice is refused (ErrResultsSent), and so is
// sending once the batch has started (ErrBatchStarted).
func (tx *Tx) SendResults(seats Seats, now time.Time) (SelectionCounts, []Offer, error) {
	batch := seats.Batch.ID
	if !seats.Batch.Admission.Selection {
		return SelectionCounts{}, nil, ErrNotSelection
	}
	if _, sent := tx.ResultsSent(batch); sent {
		return SelectionCounts{}, nil, ErrResultsSent
	}
	if seats.Batch.Started(now) {
		return SelectionCounts{}, nil, fmt.Errorf("send results: %w", ErrBatchStarted)
	}
	as, err := tx.Applicants(batch)
	if err != nil {
		return SelectionCounts{}, nil, err
	}
	n := CountDecisions(as)
	if n.Selected > seats.seatsToFill(tx) {
		return n, nil, ErrSelectionFull
	}
	s, err := tx.batchState(batch)
	if err != nil {
		return n, nil, err
	}
	until := now.Add(seats.Batch.Admission.ConfirmWindow)
	if start := seats.Batch.SessionStart(1); until.After(start) {
		until = start
	}
	var reserves []Applicant
	for _, a := range as {
		p := a.Participant
		result := ResultNotSelected
		switch a.Decision {
		case StatusSelected:
			result, p.Status = ResultSelected, StatusSelected
			o := Offer{Batch: batch, UserID: p.UserID, ChatID: p.ChatID, Until: until, Key: ResultKey(batch, p.UserID), Kind: OfferSelected}
			s.Waiting = append(s.Waiting, p.UserID)
			s.Offers = append(s.Offers, o)
		case StatusReserve:
			reserves = append(reserves, a)
			continue
		default:
			p.Status = StatusNotSelected
		}
		if err := tx.putParticipant(p); err != nil {
			return n, nil, err
		}
		if _, err := tx.Enqueue(resultEntry(p, result, now)); err != nil {
			return n, nil, err
		}
	}
	sort.SliceStable(reserves, func(i, j int) bool { return reserves[i].Reserve < reserves[j].Reserve })
	for _, a := range reserves {
		p := a.Participant
		p.Status = StatusReserve
		s.Waiting = append(s.Waiting, p.UserID)
		if err := tx.putParticipant(p); err != nil {
			return n, nil, err
		}
		if _, err := tx.Enqueue(resultEntry(p, ResultReserve, now)); err != nil {
			return n, nil, err
		}
	}
	// Decisions on applications withdrawn meanwhile go too.
	if err := tx.deletePrefix(bucketDecisions, append([]byte(batch), 0)); err != nil {
		return n, nil, err
	}
	at, err := now.MarshalBinary()
	if err != nil {
		return n, nil, err
	}
	if err := tx.tx.Bucket(bucketResultsSent).Put([]byte(batch), at); err != nil {
		return n, nil, err
	}
	made, err := tx.offerFreed(seats, s, now)
	return n, made, err
}

// reserveRank is userID's place among those waiting for a seat in the
// batch behind the selected (1 is next), 0 when they are not waiting.
func (s batchState) reserveRank(userID int64) int {
	rank := 0
	for _, id := range s.Waiting {
		if slices.ContainsFunc(s.Offers, func(o Offer) bool { return o.UserID == id && o.Kind == OfferSelected }) {
			continue
		}
		rank++
		if id == userID {
			return rank
		}
	}
	return 0
}

// Notices of selection. Persisted: only add.
const (
	// NoticeSelectionExpired: a selected person did not confirm in time;
	// the seat went to the reserves.
	NoticeSelectionExpired Notice = "selection_expired"
)

// expiredNotice is the notice a person gets when a seat held for them
// of kind k was not taken in time.
func (k OfferKind) expiredNotice() Notice {
	if k == OfferSelected {
		return NoticeSelectionExpired
	}
	return NoticeOfferExpired
}

// mayWait refuses a place on the waiting list of a selection batch
// before its results: the organisers choose who gets in, the reserves
// come first.
func (tx *Tx) mayWait(seats Seats) error {
	if _, sent := tx.ResultsSent(seats.Batch.ID); seats.Batch.Admission.Selection && !sent {
		return fmt.Errorf("join waiting list %s: applications only until the results: %w", seats.Batch.ID, ErrBatchClosed)
	}
	return nil
}

// ReserveRank returns userID's place among those waiting in batch behind
// the selected (1 is next; a reserve's rank), 0 when not waiting.
func (tx *Tx) ReserveRank(batch string, userID int64) (int, error) {
	s, err := tx.batchState(batch)
	return s.reserveRank(userID), err
}

// selectionDone reports whether seats' batch admits by selection and its
// results are out: its seats then go by them, to the selected and down
// the reserves, whether or not it still takes registrations (/tutup ends
// the applications, not the results).
func (tx *Tx) selectionDone(seats Seats) bool {
	if !seats.Batch.Admission.Selection {
		return false
	}
	_, sent := tx.ResultsSent(seats.Batch.ID)
	return sent
}

// handsOnSeats reports whether seats' batch offers and gives the seats
// that come free: while it takes registrations, and after a selection's
// results (selectionDone). offerFreed, SettleOffers and AcceptOffer ask
// it.
func (tx *Tx) handsOnSeats(seats Seats) bool {
	return tx.takesRegistrations(seats) || tx.selectionDone(seats)
}
