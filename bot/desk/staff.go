package desk

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/daftar-bot/daftar/bot/callback"
	"github.com/daftar-bot/daftar/bot/locale"
	"github.com/daftar-bot/daftar/bot/organiser"
	"github.com/daftar-bot/daftar/store"
)

// The staff's actions on a participant, from /peserta's detail screen:
// Batalkan (cancel on their behalf, with a reason the organiser may type)
// and Pindahkan (move their seat to another batch of the course), and
// Kembali to the list. Every press is checked against the organiser's
// courses (organiser.BatchPress, StampedPress) and the store; the action
// itself runs in the store's transaction, which checks that the
// registration is still what the screen showed (store.Participant.Stamp):
// of two organisers acting at once, one wins and the other is told.

// Staff button actions (named in bot/organiser.go's button table).
// Persisted in messages already sent: only add.
// The staff's buttons carry the user id in Seq as subjectSeq writes it: a
// walk-in's synthetic id is negative, and callback data carries no sign.
const (
	ActStaffShow   = "dw" // a walk-in in /peserta's list: Seq user, Arg batch
	ActStaffCancel = "dc" // Batalkan: Seq user, Arg <batch>_<stamp tag>: ask for the reason
	ActStaffSkip   = "dk" // Lewati: cancel without a reason; Seq user, Arg batch
	ActStaffMove   = "dm" // Pindahkan: Seq user, Arg <batch>_<stamp tag>: the batches to move to
	ActStaffMoveTo = "dt" // a batch to move to: Seq user, Arg the batch
	ActStaffDetail = "dd" // Kembali to the detail screen: Seq user, Arg batch
)

// subjectSeq writes user id u as a callback's Seq, which is never
// negative: 2u for an account, -2u-1 for a walk-in (zigzag).
func subjectSeq(u int64) int64 {
	if u < 0 {
		return -2*u - 1
	}
	return 2 * u
}

// seqSubject reads the user id subjectSeq wrote.
func seqSubject(s int64) int64 {
	if s%2 != 0 {
		return -(s + 1) / 2
	}
	return s / 2
}

// PressStaffShow shows a walk-in's detail screen.
func (d *Desk) PressStaffShow(r *organiser.Request, tx *store.Tx, bt store.Batch, cb callback.Data) (organiser.Result, error) {
	if cb.Seq < 0 {
		return r.Stale(), nil
	}
	return d.PressListShow(r, tx, bt, callback.Data{Seq: seqSubject(cb.Seq), Action: ActListShow, Arg: cb.Arg})
}

// deskWait is how long Batalkan waits for its reason and Pindahkan for
// its batch: later, the organiser's next message is not taken as the
// reason.
const deskWait = time.Hour

// enrolWait is how long a walk-in's form takes the organiser's messages
// as its answers after its last step; its buttons work longer, until the
// retention of unfinished forms ends it.
const enrolWait = 24 * time.Hour

// maxReason is the most characters of a reason for a cancellation.
const maxReason = 500

// detailReply is the detail screen of participant p of bt: everything
// they answered, with Batalkan while they hold a place (Status.HoldsPlace:
// also an application, a selected person's held seat, a reserve's place),
// Pindahkan while it is a seat (a selection's places say why not), Hapus
// data for a walk-in (staff_erase.go), and Kembali to the page of the
// list they are on.
func (d *Desk) detailReply(r *organiser.Request, tx *store.Tx, bt store.Batch, p store.Participant) (reply, error) {
	text, err := d.participantDetail(r, tx, bt, p)
	if err != nil {
		return reply{}, err
	}
	dm := r.Desk()
	var extra []string
	if store.IsWalkIn(p.UserID) {
		extra = append(extra, "📵 "+dm.NoTelegram)
	}
	if p.ConsentBy != 0 {
		extra = append(extra, fmt.Sprintf(dm.DetailConsentBy, p.ConsentBy, r.PM.Moment(p.ConsentAt.In(d.courseFor(bt.ID).Location))))
	}
	if p.MovedTo != "" {
		to := p.MovedTo
		if o, _, ok := d.Cat.Batch(p.MovedTo); ok {
			to = r.Named(o)
		}
		extra = append(extra, fmt.Sprintf(dm.DetailMovedTo, esc(to)))
	}
	if len(extra) > 0 {
		text += "\n\n" + strings.Join(extra, "\n")
	}
	// The actions carry the version of the registration the screen shows.
	stamped := bt.ID + "_" + stampTag(p.Stamp())
	var rows [][]button
	switch p.Status {
	case store.StatusRegistered:
		rows = append(rows, []button{organiser.Button(dm.BtnStaffCancel, subjectSeq(p.UserID), ActStaffCancel, stamped), organiser.Button(dm.BtnMove, subjectSeq(p.UserID), ActStaffMove, stamped)})
	case store.StatusWaiting:
		rows = append(rows, []button{organiser.Button(dm.BtnStaffCancel, subjectSeq(p.UserID), ActStaffCancel, stamped)})
	case store.StatusApplied, store.StatusSelected, store.StatusReserve:
		rows = append(rows, []button{organiser.Button(dm.BtnStaffCancel, subjectSeq(p.UserID), ActStaffCancel, stamped)})
		text += "\n\n" + fmt.Sprintf(dm.MoveSeatOnly, esc(d.courseFor(bt.ID).DisplayName(p)))
	}
	if store.IsWalkIn(p.UserID) {
		rows = append(rows, []button{organiser.Button(dm.BtnErase, subjectSeq(p.UserID), ActStaffErase, stamped)})
	}
	page, err := d.pageOf(tx, bt, p.UserID)
	if err != nil {
		return reply{}, err
	}
	rows = append(rows, []button{organiser.Button(r.PM.BtnBack, int64(page), organiser.ActListPage, bt.ID)})
	return reply{Text: text, Inline: rows}, nil
}

// stampTag is a short digest of a registration's stamp, carried by the
// detail screen's buttons (batch ids are at most 32 characters, so a
// batch, "_" and the tag fit callback data's token of 40).
func stampTag(stamp string) string {
	h := fnv.New32a()
	h.Write([]byte(stamp))
	return strconv.FormatUint(uint64(h.Sum32()), 36)
}

// StampedPress is a press on the registration of the batch and stamp
// tag Arg names ("<batch>_<tag>"): stale when the batch is not the
// organiser's (Request.Batch), as for organiser.BatchPress.
func StampedPress(h func(*Desk, *organiser.Request, *store.Tx, store.Batch, string, callback.Data) (organiser.Result, error)) Press {
	return func(d *Desk, r *organiser.Request, tx *store.Tx, cb callback.Data) (organiser.Result, error) {
		id, tag, ok := strings.Cut(cb.Arg, "_")
		bt, mine := r.Batch(id)
		if !ok || !mine || tag == "" {
			return r.Stale(), nil
		}
		return h(d, r, tx, bt, tag, cb)
	}
}

// pageOf is the page of /peserta's list of bt that shows userID.
func (d *Desk) pageOf(tx *store.Tx, bt store.Batch, userID int64) (int, error) {
	ps, err := tx.ParticipantsIn(bt.ID)
	if err != nil {
		return 0, err
	}
	for i, p := range ps {
		if p.UserID == userID {
			return i / ListPageSize, nil
		}
	}
	return 0, nil
}

// staffSubject is the registration a staff button of bt names (Seq) as
// the screen showed it (tag): ok is false, with the answer, when it is
// gone, changed since, or holds no place any more (another organiser was
// quicker). A place is any Status.HoldsPlace says is one.
func (d *Desk) staffSubject(r *organiser.Request, tx *store.Tx, bt store.Batch, tag string, cb callback.Data) (store.Participant, organiser.Result, bool, error) {
	return d.staffRecord(r, tx, bt, tag, cb, true)
}

// staffRecord is staffSubject, for a registration holding a place only
// when place is set.
func (d *Desk) staffRecord(r *organiser.Request, tx *store.Tx, bt store.Batch, tag string, cb callback.Data, place bool) (store.Participant, organiser.Result, bool, error) {
	if cb.Seq < 0 {
		return store.Participant{}, r.Stale(), false, nil
	}
	p, err := tx.Participant(bt.ID, seqSubject(cb.Seq))
	if errors.Is(err, store.ErrNotFound) {
		return p, organiser.Result{Toast: r.M.Gone}, false, nil
	}
	if err != nil {
		return p, organiser.Result{}, false, err
	}
	if (place && !p.Status.HoldsPlace()) || stampTag(p.Stamp()) != tag {
		return p, d.changed(r, tx, bt, p), false, nil
	}
	return p, organiser.Result{}, true, nil
}

// changed answers a staff action on a registration that changed
// meanwhile: the screen shows it as it is now, with a word why.
func (d *Desk) changed(r *organiser.Request, tx *store.Tx, bt store.Batch, p store.Participant) organiser.Result {
	res := organiser.Result{Replies: []reply{{Text: r.Desk().Changed}}}
	if detail, err := d.detailReply(r, tx, bt, p); err == nil {
		res.Edit = &detail
	}
	return res
}

// startDesk makes st the organiser's desk action. An announcement the
// bot waited for is dropped: the next message is the desk's.
func startDesk(r *organiser.Request, tx *store.Tx, st store.DeskState) (store.DeskState, error) {
	if old, ok, err := tx.DeskState(r.UserID); err != nil {
		return st, err
	} else if ok && old.Kind == store.DeskEnrol && st.Kind != store.DeskEnrol {
		// A walk-in form half filled stays until it is finished or dropped.
		return old, errDeskBusy
	}
	org, err := tx.OrganiserState(r.UserID)
	if err != nil {
		return st, err
	}
	if org.Awaiting != 0 {
		if _, err := tx.CancelAnnouncement(org.Awaiting); err != nil && !errors.Is(err, store.ErrNotFound) {
			return st, err
		}
	}
	seq, err := tx.NextDeskSeq()
	if err != nil {
		return st, err
	}
	st.UserID, st.Seq, st.UpdatedAt = r.UserID, seq, r.Now
	return st, tx.PutDeskState(st)
}

// errDeskBusy is returned by startDesk while the organiser fills in a
// walk-in's form.
var errDeskBusy = errors.New("a desk registration is going on")

// PressStaffCancel asks for the reason of a cancellation.
func (d *Desk) PressStaffCancel(r *organiser.Request, tx *store.Tx, bt store.Batch, tag string, cb callback.Data) (organiser.Result, error) {
	p, res, ok, err := d.staffSubject(r, tx, bt, tag, cb)
	if !ok || err != nil {
		return res, err
	}
	dm := r.Desk()
	if _, err := startDesk(r, tx, store.DeskState{Kind: store.DeskCancel, Batch: bt.ID, Subject: p.UserID, Stamp: p.Stamp()}); errors.Is(err, errDeskBusy) {
		return organiser.Result{Toast: dm.EnrolBusy}, nil
	} else if err != nil {
		return organiser.Result{}, err
	}
	text := fmt.Sprintf(dm.CancelAsk, esc(d.courseFor(bt.ID).DisplayName(p)), esc(r.Named(bt)))
	if store.IsWalkIn(p.UserID) {
		text += "\n\n" + dm.CancelAskQuiet
	}
	return organiser.Result{Edit: &reply{Text: text, Inline: [][]button{{
		organiser.Button(r.PM.BtnSkip, subjectSeq(p.UserID), ActStaffSkip, bt.ID), organiser.Button(r.PM.BtnBack, subjectSeq(p.UserID), ActStaffDetail, bt.ID),
	}}}}, nil
}

// PressStaffSkip cancels without a reason.
func (d *Desk) PressStaffSkip(r *organiser.Request, tx *store.Tx, bt store.Batch, cb callback.Data) (organiser.Result, error) {
	st, ok, err := tx.DeskState(r.UserID)
	if err != nil {
		return organiser.Result{}, err
	}
	if !ok || cb.Seq < 0 || st.Kind != store.DeskCancel || st.Subject != seqSubject(cb.Seq) || st.Batch != bt.ID {
		return r.Stale(), nil
	}
	res, err := d.staffCancel(r, tx, bt, st, "")
	if err == nil && len(res.Replies) > 0 {
		// The question's screen becomes the answer.
		res.Edit, res.Replies = &res.Replies[0], res.Replies[1:]
	}
	return res, err
}

// staffCancel carries out the cancellation st waited for.
func (d *Desk) staffCancel(r *organiser.Request, tx *store.Tx, bt store.Batch, st store.DeskState, reason string) (organiser.Result, error) {
	if err := tx.ClearDeskState(r.UserID, false); err != nil {
		return organiser.Result{}, err
	}
	dm := r.Desk()
	p, offers, err := tx.StaffCancel(d.Seats(bt), st.Subject, st.Stamp, reason, r.Now)
	switch {
	case errors.Is(err, store.ErrChanged), errors.Is(err, store.ErrNotFound):
		return organiser.Result{Replies: []reply{{Text: dm.Changed}}}, nil
	case err != nil:
		return organiser.Result{}, err
	}
	e := store.AuditEntry{Action: store.AuditStaffCancelled, Batch: bt.ID, Subject: p.UserID}
	if reason != "" {
		e.Detail = "reason"
	}
	if err := r.Audit(tx, e); err != nil {
		return organiser.Result{}, err
	}
	text := staffDone(dm, fmt.Sprintf(dm.CancelDone, esc(d.courseFor(bt.ID).DisplayName(p)), esc(r.Named(bt))), p, offers)
	back := [][]button{{organiser.Button(r.PM.BtnBack, subjectSeq(p.UserID), ActStaffDetail, bt.ID)}}
	return organiser.Result{Replies: []reply{{Text: text, Inline: back}}, After: d.notifyOutbox}, nil
}

// staffDone is what an organiser reads after cancelling or moving p: what
// was done, whether p was told (a walk-in is not), and how many people
// the freed seat was offered to.
func staffDone(dm *locale.DeskMessages, done string, p store.Participant, offers []store.Offer) string {
	lines := []string{done}
	if store.IsWalkIn(p.UserID) {
		lines = append(lines, dm.CancelNotTold)
	} else {
		lines = append(lines, dm.CancelTold)
	}
	if len(offers) > 0 {
		lines = append(lines, fmt.Sprintf(dm.SeatOffered, len(offers)))
	}
	return strings.Join(lines, "\n")
}

// notifyOutbox wakes the dispatcher for what an action queued.
func (d *Desk) notifyOutbox(context.Context) { d.Notify() }

// PressStaffDetail goes back to the detail screen, dropping the action
// waited for.
func (d *Desk) PressStaffDetail(r *organiser.Request, tx *store.Tx, bt store.Batch, cb callback.Data) (organiser.Result, error) {
	if cb.Seq < 0 {
		return r.Stale(), nil
	}
	p, err := tx.Participant(bt.ID, seqSubject(cb.Seq))
	if errors.Is(err, store.ErrNotFound) {
		return organiser.Result{Toast: r.M.Gone}, nil
	}
	if err != nil {
		return organiser.Result{}, err
	}
	if st, ok, err := tx.DeskState(r.UserID); err != nil {
		return organiser.Result{}, err
	} else if ok && st.Kind != store.DeskEnrol {
		if err := tx.ClearDeskState(r.UserID, false); err != nil {
			return organiser.Result{}, err
		}
	}
	detail, err := d.detailReply(r, tx, bt, p)
	return organiser.Result{Edit: &detail}, err
}

// courseSeats are the Seats of every batch of bt's course.
func (d *Desk) courseSeats(bt store.Batch) []store.Seats {
	var out []store.Seats
	for _, o := range d.courseFor(bt.ID).Batches {
		out = append(out, d.Seats(o))
	}
	return out
}

// PressStaffMove lists the batches the seat may move to.
func (d *Desk) PressStaffMove(r *organiser.Request, tx *store.Tx, bt store.Batch, tag string, cb callback.Data) (organiser.Result, error) {
	p, res, ok, err := d.staffSubject(r, tx, bt, tag, cb)
	if !ok || err != nil {
		return res, err
	}
	dm := r.Desk()
	name := esc(d.courseFor(bt.ID).DisplayName(p))
	switch p.Status {
	case store.StatusRegistered:
	case store.StatusApplied, store.StatusSelected, store.StatusReserve:
		// No screen offers it (detailReply): the press is forged; say why.
		back := [][]button{{organiser.Button(r.PM.BtnBack, subjectSeq(p.UserID), ActStaffDetail, bt.ID)}}
		return organiser.Result{Edit: &reply{Text: fmt.Sprintf(dm.MoveSeatOnly, name), Inline: back}}, nil
	default:
		return d.changed(r, tx, bt, p), nil
	}
	targets, err := tx.MoveTargets(bt.ID, d.courseSeats(bt), r.Now)
	if err != nil {
		return organiser.Result{}, err
	}
	back := []button{organiser.Button(r.PM.BtnBack, subjectSeq(p.UserID), ActStaffDetail, bt.ID)}
	if len(targets) == 0 {
		return organiser.Result{Edit: &reply{Text: fmt.Sprintf(dm.MoveNone, name, esc(r.Named(bt))), Inline: [][]button{back}}}, nil
	}
	if _, err := startDesk(r, tx, store.DeskState{Kind: store.DeskMove, Batch: bt.ID, Subject: p.UserID, Stamp: p.Stamp()}); errors.Is(err, errDeskBusy) {
		return organiser.Result{Toast: dm.EnrolBusy}, nil
	} else if err != nil {
		return organiser.Result{}, err
	}
	var rows [][]button
	for _, st := range targets {
		taken, err := tx.SeatsTaken(st.Batch.ID)
		if err != nil {
			return organiser.Result{}, err
		}
		offers, err := tx.Offers(st.Batch.ID)
		if err != nil {
			return organiser.Result{}, err
		}
		left := st.Batch.Capacity - taken - len(offers)
		rows = append(rows, []button{organiser.Button(fmt.Sprintf(dm.MoveBatchButton, st.Batch.Name, left), subjectSeq(p.UserID), ActStaffMoveTo, st.Batch.ID)})
	}
	rows = append(rows, back)
	return organiser.Result{Edit: &reply{Text: fmt.Sprintf(dm.MoveAsk, name, esc(r.Named(bt))), Inline: rows}}, nil
}

// PressStaffMoveTo moves the seat Pindahkan asked about to batch to.
func (d *Desk) PressStaffMoveTo(r *organiser.Request, tx *store.Tx, to store.Batch, cb callback.Data) (organiser.Result, error) {
	st, ok, err := tx.DeskState(r.UserID)
	if err != nil {
		return organiser.Result{}, err
	}
	if !ok || cb.Seq < 0 || st.Kind != store.DeskMove || st.Subject != seqSubject(cb.Seq) || r.Now.Sub(st.UpdatedAt) > deskWait {
		return r.Stale(), nil
	}
	from, ok := r.Batch(st.Batch)
	if !ok || d.courseFor(from.ID).ID != d.courseFor(to.ID).ID {
		return r.Stale(), nil
	}
	// Only a batch the buttons offered: another is a forged press.
	targets, err := tx.MoveTargets(from.ID, d.courseSeats(from), r.Now)
	if err != nil {
		return organiser.Result{}, err
	}
	if !slices.ContainsFunc(targets, func(s store.Seats) bool { return s.Batch.ID == to.ID }) {
		return r.Stale(), nil
	}
	if err := tx.ClearDeskState(r.UserID, false); err != nil {
		return organiser.Result{}, err
	}
	dm := r.Desk()
	back := [][]button{{organiser.Button(r.PM.BtnBack, subjectSeq(st.Subject), ActStaffDetail, from.ID)}}
	p, offers, err := tx.MoveParticipant(d.Seats(from), d.Seats(to), st.Subject, st.Stamp, r.Now)
	switch {
	case errors.Is(err, store.ErrChanged), errors.Is(err, store.ErrNotFound):
		return organiser.Result{Replies: []reply{{Text: dm.Changed}}}, nil
	case errors.Is(err, store.ErrSeatRefused):
		text := fmt.Sprintf(dm.MoveRefused, esc(r.Named(to)), refusal(dm, err))
		return organiser.Result{Edit: &reply{Text: text, Inline: back}}, nil
	case err != nil:
		return organiser.Result{}, err
	}
	if err := r.Audit(tx, store.AuditEntry{Action: store.AuditStaffMoved, Batch: to.ID, Subject: p.UserID, Detail: from.ID}); err != nil {
		return organiser.Result{}, err
	}
	text := staffDone(dm, fmt.Sprintf(dm.MoveDone, esc(d.courseFor(to.ID).DisplayName(p)), esc(r.Named(from)), esc(r.Named(to)), p.Seat), p, offers)
	detail := [][]button{{organiser.Button(r.PM.BtnBack, subjectSeq(p.UserID), ActStaffDetail, to.ID)}}
	return organiser.Result{Edit: &reply{Text: text, Inline: detail}, After: d.notifyOutbox}, nil
}

// refusal says why a seat was refused to an organiser.
func refusal(dm *locale.DeskMessages, err error) string {
	switch {
	case errors.Is(err, store.ErrBatchFull):
		return dm.ReasonFull
	case errors.Is(err, store.ErrBatchStarted):
		return dm.ReasonStarted
	case errors.Is(err, store.ErrOverlap):
		return dm.ReasonOverlap
	case errors.Is(err, store.ErrAlreadyRegistered):
		return dm.ReasonRegistered
	case errors.Is(err, store.ErrNIKTaken):
		return dm.ReasonNIKTaken
	case errors.Is(err, store.ErrTooManyPlaces):
		return dm.ReasonNIKFull
	case store.IntakeRefused(err):
		return dm.ReasonIneligible
	}
	return dm.ReasonOther
}

// Capture takes the organiser's message as what their desk action waits
// for: a cancellation's reason or a walk-in's answer. It returns the
// action to run on it in one transaction; false when none waits, and the
// message goes to the conversation.
func (d *Desk) Capture(r *organiser.Request) (func(*store.Tx) (organiser.Result, error), bool) {
	var st store.DeskState
	var ok bool
	_ = d.DB.View(func(tx *store.Tx) error {
		var err error
		st, ok, err = tx.DeskState(r.UserID)
		return err
	})
	switch {
	case !ok:
		return nil, false
	case st.Kind == store.DeskCancel && r.Now.Sub(st.UpdatedAt) <= deskWait:
		return func(tx *store.Tx) (organiser.Result, error) { return d.cancelReason(r, tx) }, true
	case st.Kind == store.DeskEnrol && r.Now.Sub(st.UpdatedAt) <= enrolWait:
		return func(tx *store.Tx) (organiser.Result, error) { return d.enrolText(r, tx) }, true
	}
	return nil, false
}

// cancelReason takes the organiser's message as the reason of the
// cancellation they asked for.
func (d *Desk) cancelReason(r *organiser.Request, tx *store.Tx) (organiser.Result, error) {
	st, ok, err := tx.DeskState(r.UserID)
	if err != nil {
		return organiser.Result{}, err
	}
	if !ok || st.Kind != store.DeskCancel {
		return organiser.Result{Replies: []reply{{Text: r.PM.Stale}}}, nil
	}
	dm := r.Desk()
	bt, ok := r.Batch(st.Batch)
	if !ok {
		return organiser.Result{Replies: []reply{{Text: r.PM.Stale}}}, tx.ClearDeskState(r.UserID, false)
	}
	if !r.IsText {
		return organiser.Result{Replies: []reply{{Text: dm.ReasonText}}}, nil
	}
	reason := strings.TrimSpace(r.Text)
	if utf8.RuneCountInString(reason) > maxReason {
		return organiser.Result{Replies: []reply{{Text: fmt.Sprintf(dm.ReasonTooLong, maxReason)}}}, nil
	}
	return d.staffCancel(r, tx, bt, st, reason)
}

// StaffAudit says what an audit entry of the staff's actions records;
// ok is false for other entries.
func (d *Desk) StaffAudit(r *organiser.Request, tx *store.Tx, e store.AuditEntry, batch string) (string, bool) {
	dm := r.Desk()
	name := func() string {
		if p, err := tx.Participant(e.Batch, e.Subject); err == nil {
			return esc(d.courseFor(e.Batch).DisplayName(p))
		}
		return r.M.Someone
	}
	switch e.Action {
	case store.AuditStaffCancelled:
		return fmt.Sprintf(dm.LogStaffCancel, name(), esc(batch)), true
	case store.AuditStaffMoved:
		from := e.Detail
		if o, _, ok := d.Cat.Batch(from); ok {
			from = r.Named(o)
		}
		return fmt.Sprintf(dm.LogStaffMove, name(), esc(from), esc(batch)), true
	case store.AuditWalkInEnrolled:
		return fmt.Sprintf(dm.LogEnrolled, name(), esc(batch)), true
	case store.AuditWalkInClaimed:
		return fmt.Sprintf(dm.LogClaimed, esc(batch)), true
	}
	return "", false
}

// Awaits reports whether a desk action waits for the organiser of r: a
// cancellation's reason, a walk-in's answer. Then /batal is theirs.
func (d *Desk) Awaits(r *organiser.Request) bool {
	waits := false
	_ = d.DB.View(func(tx *store.Tx) error {
		st, ok, err := tx.DeskState(r.UserID)
		waits = ok && (st.Kind == store.DeskEnrol || r.Now.Sub(st.UpdatedAt) <= deskWait)
		return err
	})
	return waits
}

// Drop is /batal while a desk action waits (Awaits): it drops it.
func (d *Desk) Drop(r *organiser.Request, tx *store.Tx) (organiser.Result, error) {
	st, ok, err := tx.DeskState(r.UserID)
	if err != nil || !ok {
		return organiser.Result{Replies: []reply{{Text: r.PM.Stale}}}, err
	}
	if err := tx.ClearDeskState(r.UserID, true); err != nil {
		return organiser.Result{}, err
	}
	if st.Kind == store.DeskEnrol {
		return organiser.Result{Replies: []reply{{Text: r.Desk().EnrolCancelled}}, After: func(context.Context) { d.Scrub() }}, nil
	}
	return organiser.Result{Replies: []reply{{Text: r.Desk().CancelDropped}}}, nil
}
