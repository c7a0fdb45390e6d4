package bot

import (
	"errors"
	"fmt"
	"time"

	"github.com/daftar-bot/daftar/bot/callback"
	"github.com/daftar-bot/daftar/bot/locale"
	"github.com/daftar-bot/daftar/form"
	"github.com/daftar-bot/daftar/store"
)

// next is the conversation: what a person's input does to their state and
// what the bot answers. It is pure: no I/O, no clock, no randomness.
func next(c store.Conversation, in input, w world) outcome {
	t := &turn{c: c, w: w, m: locale.Worded(c.Lang, w.course.BatchWord).Messages}
	if t.c.Answers != nil {
		t.c.Answers = cloneMap(t.c.Answers)
	}
	if n := len(w.course.Fields); n > 0 && (t.c.Step < 0 || t.c.Step >= n) {
		// A step the form does not have (a question was removed from the
		// config since it was stored): the nearest question there is.
		t.c.Step = min(max(t.c.Step, 0), n-1)
	}
	wasPhone := t.onPhone()
	switch in.kind {
	case inCommand:
		t.command(locale.Canonical(in.command), in.arg)
	case inButton:
		t.press(in.button)
	case inContact:
		t.contact(in)
	case inText:
		t.text(in.text)
	case inEdited:
		t.say(t.m.Edited)
	case inTooLong:
		t.say(t.m.TooLong)
		t.prompt()
	default:
		t.say(t.m.Unsupported)
		t.prompt()
	}
	t.closeKeyboard(wasPhone)
	return outcome{conv: t.c, replies: t.out, effect: t.effect, toast: t.toast, clear: t.clear}
}

// result is what the store did with an effect: before is the person's
// registration in the batch before it (zero when none), p after it.
type result struct {
	before store.Participant
	p      store.Participant
	pos    int // waiting-list position
	err    error
	// survey is the person's survey progress after an effSurvey, and
	// surveyDone whether that finished it.
	survey     store.SurveyProgress
	surveyDone bool
}

// settle tells the person how an effect went, once the store carried it
// out in the same transaction; w is the world after it. An error it does
// not know is returned.
func settle(c store.Conversation, w world, e effect, r result) (outcome, error) {
	if e.kind == effSurvey {
		return settleSurvey(c, w, e, r)
	}
	t := &turn{c: c, w: w, m: locale.Worded(c.Lang, w.course.BatchWord).Messages}
	b, bc := t.batchOf(e.batchOf(c))
	name := esc(b.Name)
	switch {
	case e.kind == effErase && r.err == nil:
		t.c = store.Conversation{UserID: c.UserID, ChatID: c.ChatID, Lang: c.Lang, State: stIdle, Seq: c.Seq + 1}
		t.out = append(t.out, reply{Text: t.m.EraseDone, Remove: true})
		return outcome{conv: t.c, replies: t.out}, nil
	case errors.Is(r.err, store.ErrBatchFull):
		t.goTo(stFull)
		t.prompt()
		return outcome{conv: t.c, replies: t.out}, nil
	case intakeRefused(r.err) && (e.kind == effConfirm || e.kind == effJoinWait || e.kind == effAmend):
		t.intakeFail(b, r.err)
		return outcome{conv: t.c, replies: t.out}, nil
	case e.kind != effAccept && refused(r.err):
		t.refused(b, r.err)
		return outcome{conv: t.c, replies: t.out}, nil
	}
	if o, ok := t.settleComing(e, r); ok {
		return o, nil
	}
	// Any other outcome leaves the form.
	t.clearForm()
	t.c.State = t.rest()
	if t.settleAdmission(b, e, r) {
		return outcome{conv: t.c, replies: t.out, toast: t.toast}, nil
	}
	switch {
	case r.err == nil && (e.kind == effConfirm || e.kind == effAccept):
		t.say(fmt.Sprintf(t.m.Registered, name, r.p.Seat, t.m.DateRange(b.Start, b.End()), hours(b), esc(bc.Venue)))
	case r.err == nil && e.kind == effJoinWait, errors.Is(r.err, store.ErrAlreadyWaiting):
		t.say(fmt.Sprintf(t.m.Waiting, name, r.pos))
	case r.err == nil && e.kind == effAmend:
		t.say(fmt.Sprintf(t.m.AmendSaved, name))
	case r.err == nil && e.kind == effCancel && r.before.Status == store.StatusWaiting:
		t.say(fmt.Sprintf(t.m.LeftWaiting, name))
	case r.err == nil && e.kind == effCancel:
		t.say(fmt.Sprintf(t.m.CancelDone, name))
	case r.err == nil && e.kind == effDecline:
		t.say(t.m.OfferDeclined)
	case errors.Is(r.err, store.ErrAlreadyRegistered):
		t.say(fmt.Sprintf(t.m.AlreadyHasSeat, name, r.before.Seat))
	case errors.Is(r.err, store.ErrNoOffer):
		t.toast = t.m.OfferGone
		t.say(t.m.OfferGone + contactLine(t.m, t.w.course, "\n\n"))
	case errors.Is(r.err, store.ErrNotFound):
		t.say(t.m.StatusNone)
	case e.kind == effAccept && errors.Is(r.err, store.ErrBatchClosed):
		t.say(fmt.Sprintf(locale.For(t.m.Lang).Offer.AcceptClosed, name, t.w.Positions[b.ID]) + contactLine(t.m, bc, "\n\n"))
		t.toCourseOf(b.ID)
		t.welcome("") // what is open
	case refused(r.err):
		t.say(t.refusal(b, r.err))
	default:
		return outcome{}, r.err
	}
	return outcome{conv: t.c, replies: t.out, toast: t.toast}, nil
}

// refused reports whether err is the store's refusal of a seat or waiting
// place by the batch rules (closed, started, overlapping) or the intake
// rules (intake.go).
func refused(err error) bool {
	return errors.Is(err, store.ErrBatchClosed) || errors.Is(err, store.ErrBatchStarted) || errors.Is(err, store.ErrOverlap) ||
		intakeRefused(err)
}

// refusal says why the store refused b, and how to reach the organisers
// when the course names a contact.
func (t *turn) refusal(b store.Batch, err error) string {
	contact := contactLine(t.m, t.w.course, "\n\n")
	switch {
	case errors.Is(err, store.ErrBatchClosed):
		return fmt.Sprintf(t.m.SeatClosed, esc(b.Name)) + contact
	case errors.Is(err, store.ErrBatchStarted):
		return fmt.Sprintf(t.m.SeatStarted, esc(b.Name)) + contact
	case intakeRefused(err):
		return t.intakeRefusal(b, err)
	}
	o, _ := t.overlap(b)
	return fmt.Sprintf(t.m.Overlap, esc(b.Name), esc(o.Name)) + contact
}

// refused tells a person who confirmed b why it was refused, and shows
// what is open: the batch choice with their answers kept, or, when no
// batch is left, the form ends.
func (t *turn) refused(b store.Batch, err error) {
	t.say(t.refusal(b, err))
	if len(t.available()) == 0 {
		t.reset()
		t.say(t.m.WelcomeNoneOpen)
		return
	}
	t.say(t.m.AnswersKept)
	t.c.Batch, t.c.Editing = "", true
	t.goTo(stBatch)
	t.prompt()
}

// press is a button press. Choosing a language and answering a seat offer
// work whatever the conversation is doing; any other button only when it
// belongs to the message on screen (its Seq) and the state has it.
func (t *turn) press(cb callback.Data) {
	if cb.Action == actLang && locale.Speaks(cb.Arg) {
		// Harmless whenever pressed, so never stale.
		t.c.Lang = cb.Arg
		t.m = locale.Worded(cb.Arg, t.w.course.BatchWord).Messages
		t.clear = true
		t.say(t.m.LanguageSet)
		if inForm(t.c.State) {
			t.c.Seq++ // the questions on screen are in the old language
			t.prompt()
		}
		return
	}
	if t.pressAdmission(cb) {
		return
	}
	if cb.Action == actAccept || cb.Action == actRefuse {
		// Offers come by the outbox, whatever the conversation is doing:
		// the store's offer, not the sequence, decides.
		t.clear = true
		_, offered := t.w.Offers[cb.Arg]
		if bt, _ := t.batchOf(cb.Arg); !offered && cb.Action == actAccept && !bt.Open && t.holds(cb.Arg, store.StatusWaiting) {
			// /tutup withdrew the offer: the store's refusal says why.
			t.effect = effect{kind: effAccept, batch: cb.Arg}
			return
		}
		if !offered {
			t.toast = t.m.OfferGone
			return
		}
		t.effect = effect{kind: effAccept, batch: cb.Arg}
		if cb.Action == actRefuse {
			t.effect.kind = effDecline
		}
		return
	}
	if cb.Action == actSurvey {
		t.pressSurvey(cb)
		return
	}
	if cb.Seq != t.c.Seq {
		t.toast, t.clear = t.m.Stale, true
		return
	}
	ok := true
	switch state := t.c.State; {
	case cb.Action == actCancel && inForm(state):
		t.cancel() // every screen of the form has Batal
	case state == stConsent:
		ok = t.pressConsent(cb)
	case state == stBatch:
		ok = t.pressBatch(cb)
	case state == stField:
		ok = t.pressField(cb)
	case state == stSummary:
		ok = t.pressSummary(cb)
	case state == stEditPick:
		ok = t.pressEditPick(cb)
	case state == stFull:
		ok = t.pressFull(cb)
	case state == stCancel || state == stErase:
		ok = t.pressPending(cb) || t.pressOutside(cb)
	default:
		ok = t.pressOutside(cb)
	}
	if !ok {
		t.toast = t.m.Stale
	}
	t.clear = true
}

// text is a typed message: an answer to the question on screen, or a
// button's label typed (or sent by the reply keyboard) instead of pressed.
func (t *turn) text(s string) {
	switch {
	case t.c.State == stField:
		switch f := t.field(); {
		case locale.IsLabel(s, func(m *locale.Messages) string { return m.BtnBack }):
			t.back()
		case locale.IsLabel(s, func(m *locale.Messages) string { return m.BtnCancel }):
			t.cancel()
		case f.Optional && locale.IsLabel(s, func(m *locale.Messages) string { return m.BtnSkip }):
			t.answer("")
		default:
			t.accept(s)
		}
	case t.c.State == stCancel || t.c.State == stErase:
		t.say(t.m.UseButtons)
		t.prompt()
	case inForm(t.c.State):
		switch {
		case locale.IsLabel(s, func(m *locale.Messages) string { return m.BtnCancel }):
			t.cancel()
		case locale.IsLabel(s, func(m *locale.Messages) string { return m.BtnBack }) && (t.c.State == stBatch || t.c.State == stEditPick):
			t.back()
		default:
			t.say(t.m.UseButtons)
			t.prompt()
		}
	case t.typedSurvey(s):
	default:
		t.welcome("")
	}
}

// contact is a shared contact: the answer to the phone question only.
func (t *turn) contact(in input) {
	if t.c.State != stField || form.Of(t.field()).Keyboard != form.KeyboardContact {
		t.say(t.m.ContactUnexpected)
		t.prompt()
		return
	}
	if !in.ownContact {
		t.say(t.m.ContactNotOwn)
		t.prompt()
		return
	}
	t.accept(in.phone)
}

// clearForm drops the form's answers and place in it; the state is the
// caller's to set.
func (t *turn) clearForm() {
	t.c.Batch, t.c.Answers, t.c.Step, t.c.Editing, t.c.Amend = "", nil, 0, false, false
	t.c.Seq++
}

// reset leaves the form, dropping the answers not confirmed yet.
func (t *turn) reset() { leaveForm(&t.c, t.w.SignedUp.Active()) }

// leaveForm drops the answers of c not confirmed yet and leaves the form,
// for a person who holds a place (active) or not: the one way out of the
// form, for the person's Batal and for the retention of abandoned forms.
// The consent goes too, unless it belongs to a registration being edited.
func leaveForm(c *store.Conversation, active bool) {
	amend := c.Amend
	c.Batch, c.Answers, c.Step, c.Editing, c.Amend = "", nil, 0, false, false
	c.Seq++
	c.State = stIdle
	if active {
		c.State = stDone
	}
	if !amend {
		c.ConsentAt = time.Time{}
	}
}

// cancel leaves the form at the person's request (Batal, /batal).
func (t *turn) cancel() {
	amend := t.c.Amend
	t.reset()
	text := t.m.FormCancelled
	if amend {
		text = t.m.AmendCancelled
	}
	t.out = append(t.out, reply{Text: text, Remove: true})
}

// home leaves a pending question (cancel or erase confirmation) without
// doing it.
func (t *turn) home() {
	if t.c.State == stCancel || t.c.State == stErase {
		t.c.State, t.c.Batch = t.rest(), ""
		t.c.Seq++
	}
}

// closeKeyboard removes the phone question's reply keyboard once the
// person has left that question.
func (t *turn) closeKeyboard(wasPhone bool) {
	if !wasPhone || t.onPhone() {
		return
	}
	for _, r := range t.out {
		if r.Remove {
			return
		}
	}
	if len(t.out) > 0 && t.out[0].Inline == nil {
		t.out[0].Remove = true
		return
	}
	t.out = append([]reply{{Text: t.m.BackNote, Remove: true}}, t.out...)
}
