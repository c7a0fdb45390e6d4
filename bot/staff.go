package bot

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
	"github.com/daftar-bot/daftar/bot/conversation"
	"github.com/daftar-bot/daftar/bot/locale"
	"github.com/daftar-bot/daftar/bot/organiser"
	"github.com/daftar-bot/daftar/store"
)

// The staff's actions on a participant, from /peserta's detail screen:
// Batalkan (cancel on their behalf, with a reason the organiser may type)
// and Pindahkan (move their seat to another batch of the course), and
// Kembali to the list. Every press is checked against the organiser's
// courses (batchPress) and the store; the action itself runs in the
// store's transaction, which checks that the registration is still what
// the screen showed (store.Participant.Stamp): of two organisers acting
// at once, one wins and the other is told.

// Staff button actions (see organiser.go). Persisted in messages already
// sent: only add.
// The staff's buttons carry the user id in Seq as subjectSeq writes it: a
// walk-in's synthetic id is negative, and callback data carries no sign.
const (
	actStaffShow   = "dw" // a walk-in in /peserta's list: Seq user, Arg batch
	actStaffCancel = "dc" // Batalkan: Seq user, Arg <batch>_<stamp tag>: ask for the reason
	actStaffSkip   = "dk" // Lewati: cancel without a reason; Seq user, Arg batch
	actStaffMove   = "dm" // Pindahkan: Seq user, Arg <batch>_<stamp tag>: the batches to move to
	actStaffMoveTo = "dt" // a batch to move to: Seq user, Arg the batch
	actStaffDetail = "dd" // Kembali to the detail screen: Seq user, Arg batch
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

// listShowButton is a participant's button in /peserta's list: a
// walk-in's carries their id as subjectSeq writes it.
func listShowButton(label string, p store.Participant, bt store.Batch) button {
	if store.IsWalkIn(p.UserID) {
		return organiser.Button(label, subjectSeq(p.UserID), actStaffShow, bt.ID)
	}
	return organiser.Button(label, p.UserID, actListShow, bt.ID)
}

// pressStaffShow shows a walk-in's detail screen.
func (b *Bot) pressStaffShow(r *orgReq, tx *store.Tx, bt store.Batch, cb callback.Data) (organiser.Result, error) {
	if cb.Seq < 0 {
		return r.Stale(), nil
	}
	return b.pressListShow(r, tx, bt, callback.Data{Seq: seqSubject(cb.Seq), Action: actListShow, Arg: cb.Arg})
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
func (b *Bot) detailReply(r *orgReq, tx *store.Tx, bt store.Batch, p store.Participant) (reply, error) {
	text, err := b.participantDetail(r, tx, bt, p)
	if err != nil {
		return reply{}, err
	}
	d := r.Desk()
	var extra []string
	if store.IsWalkIn(p.UserID) {
		extra = append(extra, "📵 "+d.NoTelegram)
	}
	if p.ConsentBy != 0 {
		extra = append(extra, fmt.Sprintf(d.DetailConsentBy, p.ConsentBy, r.PM.Moment(p.ConsentAt.In(b.courseFor(bt.ID).Location))))
	}
	if p.MovedTo != "" {
		to := p.MovedTo
		if o, _, ok := b.cat.Batch(p.MovedTo); ok {
			to = r.Named(o)
		}
		extra = append(extra, fmt.Sprintf(d.DetailMovedTo, esc(to)))
	}
	if len(extra) > 0 {
		text += "\n\n" + strings.Join(extra, "\n")
	}
	// The actions carry the version of the registration the screen shows.
	stamped := bt.ID + "_" + stampTag(p.Stamp())
	var rows [][]button
	switch p.Status {
	case store.StatusRegistered:
		rows = append(rows, []button{organiser.Button(d.BtnStaffCancel, subjectSeq(p.UserID), actStaffCancel, stamped), organiser.Button(d.BtnMove, subjectSeq(p.UserID), actStaffMove, stamped)})
	case store.StatusWaiting:
		rows = append(rows, []button{organiser.Button(d.BtnStaffCancel, subjectSeq(p.UserID), actStaffCancel, stamped)})
	case store.StatusApplied, store.StatusSelected, store.StatusReserve:
		rows = append(rows, []button{organiser.Button(d.BtnStaffCancel, subjectSeq(p.UserID), actStaffCancel, stamped)})
		text += "\n\n" + fmt.Sprintf(d.MoveSeatOnly, esc(b.courseFor(bt.ID).DisplayName(p)))
	}
	if store.IsWalkIn(p.UserID) {
		rows = append(rows, []button{organiser.Button(d.BtnErase, subjectSeq(p.UserID), actStaffErase, stamped)})
	}
	page, err := b.pageOf(tx, bt, p.UserID)
	if err != nil {
		return reply{}, err
	}
	rows = append(rows, []button{organiser.Button(r.PM.BtnBack, int64(page), actListPage, bt.ID)})
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

// stampedPress is a press on the registration of the batch and stamp
// tag Arg names ("<batch>_<tag>"): stale when the batch is not the
// organiser's, as for batchPress.
func stampedPress(h func(*Bot, *orgReq, *store.Tx, store.Batch, string, callback.Data) (organiser.Result, error)) orgPress {
	return func(b *Bot, r *orgReq, tx *store.Tx, cb callback.Data) (organiser.Result, error) {
		id, tag, ok := strings.Cut(cb.Arg, "_")
		bt, mine := r.Batch(id)
		if !ok || !mine || tag == "" {
			return r.Stale(), nil
		}
		return h(b, r, tx, bt, tag, cb)
	}
}

// pageOf is the page of /peserta's list of bt that shows userID.
func (b *Bot) pageOf(tx *store.Tx, bt store.Batch, userID int64) (int, error) {
	ps, err := tx.ParticipantsIn(bt.ID)
	if err != nil {
		return 0, err
	}
	for i, p := range ps {
		if p.UserID == userID {
			return i / listPageSize, nil
		}
	}
	return 0, nil
}

// staffSubject is the registration a staff button of bt names (Seq) as
// the screen showed it (tag): ok is false, with the answer, when it is
// gone, changed since, or holds no place any more (another organiser was
// quicker). A place is any Status.HoldsPlace says is one.
func (b *Bot) staffSubject(r *orgReq, tx *store.Tx, bt store.Batch, tag string, cb callback.Data) (store.Participant, organiser.Result, bool, error) {
	return b.staffRecord(r, tx, bt, tag, cb, true)
}

// staffRecord is staffSubject, for a registration holding a place only
// when place is set.
func (b *Bot) staffRecord(r *orgReq, tx *store.Tx, bt store.Batch, tag string, cb callback.Data, place bool) (store.Participant, organiser.Result, bool, error) {
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
		return p, b.changed(r, tx, bt, p), false, nil
	}
	return p, organiser.Result{}, true, nil
}

// changed answers a staff action on a registration that changed
// meanwhile: the screen shows it as it is now, with a word why.
func (b *Bot) changed(r *orgReq, tx *store.Tx, bt store.Batch, p store.Participant) organiser.Result {
	res := organiser.Result{Replies: []reply{{Text: r.Desk().Changed}}}
	if detail, err := b.detailReply(r, tx, bt, p); err == nil {
		res.Edit = &detail
	}
	return res
}

// startDesk makes st the organiser's desk action. An announcement the
// bot waited for is dropped: the next message is the desk's.
func startDesk(r *orgReq, tx *store.Tx, st store.DeskState) (store.DeskState, error) {
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

// pressStaffCancel asks for the reason of a cancellation.
func (b *Bot) pressStaffCancel(r *orgReq, tx *store.Tx, bt store.Batch, tag string, cb callback.Data) (organiser.Result, error) {
	p, res, ok, err := b.staffSubject(r, tx, bt, tag, cb)
	if !ok || err != nil {
		return res, err
	}
	d := r.Desk()
	if _, err := startDesk(r, tx, store.DeskState{Kind: store.DeskCancel, Batch: bt.ID, Subject: p.UserID, Stamp: p.Stamp()}); errors.Is(err, errDeskBusy) {
		return organiser.Result{Toast: d.EnrolBusy}, nil
	} else if err != nil {
		return organiser.Result{}, err
	}
	text := fmt.Sprintf(d.CancelAsk, esc(b.courseFor(bt.ID).DisplayName(p)), esc(r.Named(bt)))
	if store.IsWalkIn(p.UserID) {
		text += "\n\n" + d.CancelAskQuiet
	}
	return organiser.Result{Edit: &reply{Text: text, Inline: [][]button{{
		organiser.Button(r.PM.BtnSkip, subjectSeq(p.UserID), actStaffSkip, bt.ID), organiser.Button(r.PM.BtnBack, subjectSeq(p.UserID), actStaffDetail, bt.ID),
	}}}}, nil
}

// pressStaffSkip cancels without a reason.
func (b *Bot) pressStaffSkip(r *orgReq, tx *store.Tx, bt store.Batch, cb callback.Data) (organiser.Result, error) {
	st, ok, err := tx.DeskState(r.UserID)
	if err != nil {
		return organiser.Result{}, err
	}
	if !ok || cb.Seq < 0 || st.Kind != store.DeskCancel || st.Subject != seqSubject(cb.Seq) || st.Batch != bt.ID {
		return r.Stale(), nil
	}
	res, err := b.staffCancel(r, tx, bt, st, "")
	if err == nil && len(res.Replies) > 0 {
		// The question's screen becomes the answer.
		res.Edit, res.Replies = &res.Replies[0], res.Replies[1:]
	}
	return res, err
}

// staffCancel carries out the cancellation st waited for.
func (b *Bot) staffCancel(r *orgReq, tx *store.Tx, bt store.Batch, st store.DeskState, reason string) (organiser.Result, error) {
	if err := tx.ClearDeskState(r.UserID, false); err != nil {
		return organiser.Result{}, err
	}
	d := r.Desk()
	p, offers, err := tx.StaffCancel(b.seats(bt), st.Subject, st.Stamp, reason, r.Now)
	switch {
	case errors.Is(err, store.ErrChanged), errors.Is(err, store.ErrNotFound):
		return organiser.Result{Replies: []reply{{Text: d.Changed}}}, nil
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
	text := staffDone(d, fmt.Sprintf(d.CancelDone, esc(b.courseFor(bt.ID).DisplayName(p)), esc(r.Named(bt))), p, offers)
	back := [][]button{{organiser.Button(r.PM.BtnBack, subjectSeq(p.UserID), actStaffDetail, bt.ID)}}
	return organiser.Result{Replies: []reply{{Text: text, Inline: back}}, After: b.notifyOutbox}, nil
}

// staffDone is what an organiser reads after cancelling or moving p: what
// was done, whether p was told (a walk-in is not), and how many people
// the freed seat was offered to.
func staffDone(d *locale.DeskMessages, done string, p store.Participant, offers []store.Offer) string {
	lines := []string{done}
	if store.IsWalkIn(p.UserID) {
		lines = append(lines, d.CancelNotTold)
	} else {
		lines = append(lines, d.CancelTold)
	}
	if len(offers) > 0 {
		lines = append(lines, fmt.Sprintf(d.SeatOffered, len(offers)))
	}
	return strings.Join(lines, "\n")
}

// notifyOutbox wakes the dispatcher for what an action queued.
func (b *Bot) notifyOutbox(context.Context) { b.disp.Notify() }

// pressStaffDetail goes back to the detail screen, dropping the action
// waited for.
func (b *Bot) pressStaffDetail(r *orgReq, tx *store.Tx, bt store.Batch, cb callback.Data) (organiser.Result, error) {
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
	detail, err := b.detailReply(r, tx, bt, p)
	return organiser.Result{Edit: &detail}, err
}

// courseSeats are the Seats of every batch of bt's course.
func (b *Bot) courseSeats(bt store.Batch) []store.Seats {
	var out []store.Seats
	for _, o := range b.courseFor(bt.ID).Batches {
		out = append(out, b.seats(o))
	}
	return out
}

// pressStaffMove lists the batches the seat may move to.
func (b *Bot) pressStaffMove(r *orgReq, tx *store.Tx, bt store.Batch, tag string, cb callback.Data) (organiser.Result, error) {
	p, res, ok, err := b.staffSubject(r, tx, bt, tag, cb)
	if !ok || err != nil {
		return res, err
	}
	d := r.Desk()
	name := esc(b.courseFor(bt.ID).DisplayName(p))
	switch p.Status {
	case store.StatusRegistered:
	case store.StatusApplied, store.StatusSelected, store.StatusReserve:
		// No screen offers it (detailReply): the press is forged; say why.
		back := [][]button{{organiser.Button(r.PM.BtnBack, subjectSeq(p.UserID), actStaffDetail, bt.ID)}}
		return organiser.Result{Edit: &reply{Text: fmt.Sprintf(d.MoveSeatOnly, name), Inline: back}}, nil
	default:
		return b.changed(r, tx, bt, p), nil
	}
	targets, err := tx.MoveTargets(bt.ID, b.courseSeats(bt), r.Now)
	if err != nil {
		return organiser.Result{}, err
	}
	back := []button{organiser.Button(r.PM.BtnBack, subjectSeq(p.UserID), actStaffDetail, bt.ID)}
	if len(targets) == 0 {
		return organiser.Result{Edit: &reply{Text: fmt.Sprintf(d.MoveNone, name, esc(r.Named(bt))), Inline: [][]button{back}}}, nil
	}
	if _, err := startDesk(r, tx, store.DeskState{Kind: store.DeskMove, Batch: bt.ID, Subject: p.UserID, Stamp: p.Stamp()}); errors.Is(err, errDeskBusy) {
		return organiser.Result{Toast: d.EnrolBusy}, nil
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
		rows = append(rows, []button{organiser.Button(fmt.Sprintf(d.MoveBatchButton, st.Batch.Name, left), subjectSeq(p.UserID), actStaffMoveTo, st.Batch.ID)})
	}
	rows = append(rows, back)
	return organiser.Result{Edit: &reply{Text: fmt.Sprintf(d.MoveAsk, name, esc(r.Named(bt))), Inline: rows}}, nil
}

// pressStaffMoveTo moves the seat Pindahkan asked about to batch to.
func (b *Bot) pressStaffMoveTo(r *orgReq, tx *store.Tx, to store.Batch, cb callback.Data) (organiser.Result, error) {
	st, ok, err := tx.DeskState(r.UserID)
	if err != nil {
		return organiser.Result{}, err
	}
	if !ok || cb.Seq < 0 || st.Kind != store.DeskMove || st.Subject != seqSubject(cb.Seq) || r.Now.Sub(st.UpdatedAt) > deskWait {
		return r.Stale(), nil
	}
	from, ok := r.Batch(st.Batch)
	if !ok || b.courseFor(from.ID).ID != b.courseFor(to.ID).ID {
		return r.Stale(), nil
	}
	// Only a batch the buttons offered: another is a forged press.
	targets, err := tx.MoveTargets(from.ID, b.courseSeats(from), r.Now)
	if err != nil {
		return organiser.Result{}, err
	}
	if !slices.ContainsFunc(targets, func(s store.Seats) bool { return s.Batch.ID == to.ID }) {
		return r.Stale(), nil
	}
	if err := tx.ClearDeskState(r.UserID, false); err != nil {
		return organiser.Result{}, err
	}
	d := r.Desk()
	back := [][]button{{organiser.Button(r.PM.BtnBack, subjectSeq(st.Subject), actStaffDetail, from.ID)}}
	p, offers, err := tx.MoveParticipant(b.seats(from), b.seats(to), st.Subject, st.Stamp, r.Now)
	switch {
	case errors.Is(err, store.ErrChanged), errors.Is(err, store.ErrNotFound):
		return organiser.Result{Replies: []reply{{Text: d.Changed}}}, nil
	case errors.Is(err, store.ErrSeatRefused):
		text := fmt.Sprintf(d.MoveRefused, esc(r.Named(to)), refusal(d, err))
		return organiser.Result{Edit: &reply{Text: text, Inline: back}}, nil
	case err != nil:
		return organiser.Result{}, err
	}
	if err := r.Audit(tx, store.AuditEntry{Action: store.AuditStaffMoved, Batch: to.ID, Subject: p.UserID, Detail: from.ID}); err != nil {
		return organiser.Result{}, err
	}
	text := staffDone(d, fmt.Sprintf(d.MoveDone, esc(b.courseFor(to.ID).DisplayName(p)), esc(r.Named(from)), esc(r.Named(to)), p.Seat), p, offers)
	detail := [][]button{{organiser.Button(r.PM.BtnBack, subjectSeq(p.UserID), actStaffDetail, to.ID)}}
	return organiser.Result{Edit: &reply{Text: text, Inline: detail}, After: b.notifyOutbox}, nil
}

// refusal says why a seat was refused to an organiser.
func refusal(d *locale.DeskMessages, err error) string {
	switch {
	case errors.Is(err, store.ErrBatchFull):
		return d.ReasonFull
	case errors.Is(err, store.ErrBatchStarted):
		return d.ReasonStarted
	case errors.Is(err, store.ErrOverlap):
		return d.ReasonOverlap
	case errors.Is(err, store.ErrAlreadyRegistered):
		return d.ReasonRegistered
	case errors.Is(err, store.ErrNIKTaken):
		return d.ReasonNIKTaken
	case errors.Is(err, store.ErrTooManyPlaces):
		return d.ReasonNIKFull
	case conversation.IntakeRefused(err):
		return d.ReasonIneligible
	}
	return d.ReasonOther
}

// captureDesk takes the organiser's message as what their desk action
// waits for: a cancellation's reason or a walk-in's answer. It reports
// false when none waits, and the message goes to the conversation.
func (b *Bot) captureDesk(r *orgReq) bool {
	if r.msg == nil {
		return false
	}
	var st store.DeskState
	var ok bool
	_ = b.db.View(func(tx *store.Tx) error {
		var err error
		st, ok, err = tx.DeskState(r.UserID)
		return err
	})
	switch {
	case !ok:
		return false
	case st.Kind == store.DeskCancel && r.Now.Sub(st.UpdatedAt) <= deskWait:
		b.orgDo(r, func(tx *store.Tx) (organiser.Result, error) { return b.cancelReason(r, tx) })
		return true
	case st.Kind == store.DeskEnrol && r.Now.Sub(st.UpdatedAt) <= enrolWait:
		b.orgDo(r, func(tx *store.Tx) (organiser.Result, error) { return b.enrolText(r, tx) })
		return true
	}
	return false
}

// cancelReason takes the organiser's message as the reason of the
// cancellation they asked for.
func (b *Bot) cancelReason(r *orgReq, tx *store.Tx) (organiser.Result, error) {
	st, ok, err := tx.DeskState(r.UserID)
	if err != nil {
		return organiser.Result{}, err
	}
	if !ok || st.Kind != store.DeskCancel {
		return organiser.Result{Replies: []reply{{Text: r.PM.Stale}}}, nil
	}
	d := r.Desk()
	bt, ok := r.Batch(st.Batch)
	if !ok {
		return organiser.Result{Replies: []reply{{Text: r.PM.Stale}}}, tx.ClearDeskState(r.UserID, false)
	}
	if !r.IsText {
		return organiser.Result{Replies: []reply{{Text: d.ReasonText}}}, nil
	}
	reason := strings.TrimSpace(r.Text)
	if utf8.RuneCountInString(reason) > maxReason {
		return organiser.Result{Replies: []reply{{Text: fmt.Sprintf(d.ReasonTooLong, maxReason)}}}, nil
	}
	return b.staffCancel(r, tx, bt, st, reason)
}

// deskAuditText says what an audit entry of the staff's actions records;
// ok is false for other entries.
func (b *Bot) deskAuditText(r *orgReq, tx *store.Tx, e store.AuditEntry, batch string) (string, bool) {
	d := r.Desk()
	name := func() string {
		if p, err := tx.Participant(e.Batch, e.Subject); err == nil {
			return esc(b.courseFor(e.Batch).DisplayName(p))
		}
		return r.M.Someone
	}
	switch e.Action {
	case store.AuditStaffCancelled:
		return fmt.Sprintf(d.LogStaffCancel, name(), esc(batch)), true
	case store.AuditStaffMoved:
		from := e.Detail
		if o, _, ok := b.cat.Batch(from); ok {
			from = r.Named(o)
		}
		return fmt.Sprintf(d.LogStaffMove, name(), esc(from), esc(batch)), true
	case store.AuditWalkInEnrolled:
		return fmt.Sprintf(d.LogEnrolled, name(), esc(batch)), true
	case store.AuditWalkInClaimed:
		return fmt.Sprintf(d.LogClaimed, esc(batch)), true
	}
	return "", false
}

// awaitsOrganiser reports whether the bot waits for the organiser of r:
// an announcement's message, a cancellation's reason, a walk-in's
// answer. Then /batal is theirs.
func (b *Bot) awaitsOrganiser(r *orgReq) bool {
	if b.awaitsAnnouncement(r) {
		return true
	}
	waits := false
	_ = b.db.View(func(tx *store.Tx) error {
		st, ok, err := tx.DeskState(r.UserID)
		waits = ok && (st.Kind == store.DeskEnrol || r.Now.Sub(st.UpdatedAt) <= deskWait)
		return err
	})
	return waits
}

// cmdCancelOrganiser is /batal while the bot waits for the organiser: it
// drops the announcement, or the desk action, waited for.
func (b *Bot) cmdCancelOrganiser(r *orgReq) {
	if b.awaitsAnnouncement(r) {
		b.cmdCancelAwaited(r)
		return
	}
	b.orgDo(r, func(tx *store.Tx) (organiser.Result, error) {
		st, ok, err := tx.DeskState(r.UserID)
		if err != nil || !ok {
			return organiser.Result{Replies: []reply{{Text: r.PM.Stale}}}, err
		}
		if err := tx.ClearDeskState(r.UserID, true); err != nil {
			return organiser.Result{}, err
		}
		if st.Kind == store.DeskEnrol {
			return organiser.Result{Replies: []reply{{Text: r.Desk().EnrolCancelled}}, After: func(context.Context) { b.scrubSoon() }}, nil
		}
		return organiser.Result{Replies: []reply{{Text: r.Desk().CancelDropped}}}, nil
	})
}
