package conversation

import (
	"errors"
	"fmt"

	"github.com/daftar-bot/daftar/bot/callback"
	"github.com/daftar-bot/daftar/bot/locale"
	"github.com/daftar-bot/daftar/store"
)

// The participants' side of admission (store/selection.go,
// store/confirm.go): an application instead of a seat, the results and
// the selected's confirmation, "still coming?" before the start. The
// buttons come by the outbox and work whatever the conversation is doing,
// like a seat offer's: the store, not the sequence, decides.

// pressAdmission handles the admission buttons; false for any other.
func (t *turn) pressAdmission(cb callback.Data) bool {
	switch cb.Action {
	case ActAttend, ActNotAttend:
		t.clear = true
		if o, ok := t.w.Offers[cb.Arg]; !ok || o.Kind != store.OfferSelected {
			t.toast = t.m.OfferGone
			return true
		}
		t.effect = Effect{Kind: EffAccept, Batch: cb.Arg}
		if cb.Action == ActNotAttend {
			t.effect.Kind = EffDecline
		}
	case ActComing, ActNotComing:
		t.clear = true
		if !t.holds(cb.Arg, store.StatusRegistered) {
			t.toast = locale.For(t.c.Lang).Selection.StillComingGone
			return true
		}
		t.effect = Effect{Kind: EffComing, Batch: cb.Arg}
		if cb.Action == ActNotComing {
			t.effect.Kind = EffGone
		}
	default:
		return false
	}
	return true
}

// settleComing tells a seat holder how their answer to "still coming?"
// went; false for any other effect. The form, if they are in one, stays
// as it is.
func (t *turn) settleComing(e Effect, r Result) (Outcome, bool) {
	if e.Kind != EffComing && e.Kind != EffGone {
		return Outcome{}, false
	}
	sm := locale.For(t.c.Lang).Selection
	b, _ := t.batchOf(e.BatchOf(t.c))
	switch {
	case r.Err != nil: // ErrNotAsked: no longer theirs to answer
		t.toast = sm.StillComingGone
	case e.Kind == EffComing:
		t.say(fmt.Sprintf(sm.StillComingThanks, esc(b.Name), t.m.Date(b.Start)))
	default:
		t.say(fmt.Sprintf(sm.StillComingCancelled, esc(b.Name)))
		if t.c.State == StateDone || t.c.State == StateIdle {
			t.c.State = t.rest()
		}
	}
	return Outcome{Conv: t.c, Replies: t.out, Toast: t.toast}, true
}

// settleAdmission says what became of an application or of a selected
// person's seat; false when the outcome is not admission's.
func (t *turn) settleAdmission(b store.Batch, e Effect, r Result) bool {
	sm := locale.For(t.c.Lang).Selection
	switch {
	case e.Kind == EffConfirm && r.Err == nil && r.Participant.Status == store.StatusApplied:
		t.say(fmt.Sprintf(sm.Applied, esc(b.Name), t.m.DateRange(b.Start, b.End()), t.resultsBy(b)))
	case errors.Is(r.Err, store.ErrAlreadyApplied):
		t.say(fmt.Sprintf(sm.AlreadyApplied, esc(b.Name), t.resultsBy(b)))
	case errors.Is(r.Err, store.ErrAlreadyRegistered) && (r.Before.Status == store.StatusSelected || r.Before.Status == store.StatusReserve):
		t.status()
	case e.Kind == EffDecline && r.Err == nil && r.Before.Status == store.StatusSelected:
		t.say(fmt.Sprintf(sm.AttendDeclined, esc(b.Name)))
	default:
		return false
	}
	return true
}

// resultsBy is the date by which b's applicants learn the results: the
// config's results_by, else the day before the start.
func (t *turn) resultsBy(b store.Batch) string {
	if !b.Admission.ResultsBy.IsZero() {
		return t.m.Date(b.Admission.ResultsBy)
	}
	return t.m.Date(b.Start.AddDate(0, 0, -1))
}

// admissionStatus is /status's line and buttons for a registration of
// an admission status ("" for any other).
func (t *turn) admissionStatus(p store.Participant, b store.Batch, bc store.Course, head string, btn func(label, action string) button) (string, [][]button) {
	sm := locale.For(t.c.Lang).Selection
	name, dates, venue := esc(b.Name), t.m.DateRange(b.Start, b.End()), esc(bc.Venue)
	switch p.Status {
	case store.StatusApplied:
		return head + fmt.Sprintf(sm.StatusApplied, name, t.resultsBy(b), dates, locale.Hours(b), venue),
			[][]button{{btn(t.m.BtnEdit, ActAmend), btn(t.m.BtnCancelRegistration, ActCancelReg)}}
	case store.StatusSelected:
		o, ok := t.w.Offers[b.ID]
		if !ok {
			return "", nil // its confirmation time is over: the next step ends it
		}
		return head + fmt.Sprintf(sm.StatusSelected, name, t.m.Moment(o.Until.In(bc.Location)), dates, locale.Hours(b), venue),
			[][]button{{btn(sm.BtnAttend, ActAttend), btn(sm.BtnNotAttend, ActNotAttend)}}
	case store.StatusReserve:
		line := head + fmt.Sprintf(sm.StatusReserve, name, t.w.Positions[b.ID], dates, locale.Hours(b), venue)
		var rows [][]button
		if o, ok := t.w.Offers[b.ID]; ok {
			line += "\n" + fmt.Sprintf(t.m.StatusOffer, name, t.m.Moment(o.Until.In(bc.Location)))
			rows = append(rows, []button{btn(t.m.BtnAccept, ActAccept), btn(t.m.BtnDecline, ActRefuse)})
		}
		return line, append(rows, []button{btn(t.m.BtnLeaveWaiting, ActLeave)})
	case store.StatusNotSelected:
		return head + fmt.Sprintf(sm.StatusNotSelected, name), nil
	}
	return "", nil
}

// admissionWord is a registration's state in /dataku and the welcome
// for an admission status ("" for any other).
func (t *turn) admissionWord(p store.Participant) string {
	sm := locale.For(t.c.Lang).Selection
	switch p.Status {
	case store.StatusApplied:
		return sm.WordApplied
	case store.StatusSelected:
		return sm.WordSelected
	case store.StatusReserve:
		return fmt.Sprintf(sm.WordReserve, t.w.Positions[p.Batch])
	case store.StatusNotSelected:
		return sm.WordNotSelected
	}
	return ""
}
