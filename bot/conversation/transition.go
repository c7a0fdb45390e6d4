package conversation

import (
	"errors"
	"fmt"
	"time"

	"github.com/daftar-bot/daftar/bot/callback"
	"github.com/daftar-bot/daftar/bot/locale"
	"github.com/daftar-bot/daftar/form"
	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram"
)

// Next is the conversation: what a person's input does to their state and
// what the bot answers. It is pure: no I/O, no clock, no randomness.
func Next(c store.Conversation, in Input, w World) Outcome {
	t := &turn{c: c, w: w, m: locale.Worded(c.Lang, w.Course.BatchWord).Messages}
	if t.c.Answers != nil {
		t.c.Answers = cloneMap(t.c.Answers)
	}
	if n := len(w.Course.Fields); n > 0 && (t.c.Step < 0 || t.c.Step >= n) {
		// A step the form does not have (a question was removed from the
		// config since it was stored): the nearest question there is.
		t.c.Step = min(max(t.c.Step, 0), n-1)
	}
	wasPhone := t.onPhone()
	t.keyboardUp = wasPhone
	switch in.Kind {
	case inCommand:
		t.command(locale.Canonical(in.Command), in.Arg)
	case inButton:
		t.press(in.Button)
	case inContact:
		t.contact(in)
	case inText:
		t.text(in.Text)
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
	return Outcome{Conv: t.c, Replies: telegram.Join(t.out), Effect: t.effect, Toast: t.toast, Clear: t.clear}
}

// Result is what the store did with an effect: Before is the person's
// registration in the batch before it (zero when none), Participant after it.
type Result struct {
	Before      store.Participant
	Participant store.Participant
	Position    int   // waiting-list position
	Err         error // the store's refusal (a sentinel error of store), nil when it did it
	// Survey is the person's survey progress after an EffSurvey, and
	// SurveyDone whether that finished it.
	Survey     store.SurveyProgress
	SurveyDone bool
}

// Settle tells the person how an effect went, once the store carried it
// out in the same transaction; w is the world after it. An error it does
// not know is returned.
func Settle(c store.Conversation, w World, e Effect, r Result) (Outcome, error) {
	o, err := settle(c, w, e, r)
	// An effect that takes the person off the phone question (an offer
	// accepted meanwhile leaves the form) closes its keyboard too.
	t := &turn{c: o.Conv, w: w, m: locale.Worded(o.Conv.Lang, w.Course.BatchWord).Messages, out: o.Replies}
	t.closeKeyboard((&turn{c: c, w: w}).onPhone())
	o.Replies = telegram.Join(t.out)
	return o, err
}

func settle(c store.Conversation, w World, e Effect, r Result) (Outcome, error) {
	if e.Kind == EffSurvey {
		return settleSurvey(c, w, e, r)
	}
	t := &turn{c: c, w: w, m: locale.Worded(c.Lang, w.Course.BatchWord).Messages}
	b, bc := t.batchOf(e.BatchOf(c))
	name := esc(b.Name)
	switch {
	case e.Kind == EffErase && r.Err == nil:
		t.c = store.Conversation{UserID: c.UserID, ChatID: c.ChatID, Lang: c.Lang, State: StateIdle, Seq: c.Seq + 1}
		t.out = append(t.out, reply{Text: t.m.EraseDone, Remove: true})
		return Outcome{Conv: t.c, Replies: t.out}, nil
	case errors.Is(r.Err, store.ErrBatchFull):
		t.goTo(StateFull)
		t.prompt()
		return Outcome{Conv: t.c, Replies: t.out}, nil
	case IntakeRefused(r.Err) && (e.Kind == EffConfirm || e.Kind == EffJoinWait || e.Kind == EffAmend):
		t.intakeFail(b, r.Err)
		return Outcome{Conv: t.c, Replies: t.out}, nil
	case e.Kind != EffAccept && refused(r.Err):
		t.refused(b, r.Err)
		return Outcome{Conv: t.c, Replies: t.out}, nil
	}
	if o, ok := t.settleComing(e, r); ok {
		return o, nil
	}
	// Any other outcome leaves the form.
	t.clearForm()
	t.c.State = t.rest()
	if t.settleAdmission(b, e, r) {
		return Outcome{Conv: t.c, Replies: t.out, Toast: t.toast}, nil
	}
	switch {
	case r.Err == nil && (e.Kind == EffConfirm || e.Kind == EffAccept):
		t.say(fmt.Sprintf(t.m.Registered, name, r.Participant.Seat, t.m.DateRange(b.Start, b.End()), locale.Hours(b), esc(bc.Venue)))
	case r.Err == nil && e.Kind == EffJoinWait, errors.Is(r.Err, store.ErrAlreadyWaiting):
		t.say(fmt.Sprintf(t.m.Waiting, name, r.Position))
	case r.Err == nil && e.Kind == EffAmend:
		t.say(fmt.Sprintf(t.m.AmendSaved, name))
	case r.Err == nil && e.Kind == EffCancel && r.Before.Status == store.StatusWaiting:
		t.say(fmt.Sprintf(t.m.LeftWaiting, name))
	case r.Err == nil && e.Kind == EffCancel:
		t.say(fmt.Sprintf(t.m.CancelDone, name))
	case r.Err == nil && e.Kind == EffDecline:
		t.say(t.m.OfferDeclined)
	case errors.Is(r.Err, store.ErrAlreadyRegistered):
		t.say(fmt.Sprintf(t.m.AlreadyHasSeat, name, r.Before.Seat))
	case errors.Is(r.Err, store.ErrNoOffer):
		t.toast = t.m.OfferGone
		t.say(t.m.OfferGone + locale.ContactLine(t.m, t.w.Course, "\n\n"))
	case errors.Is(r.Err, store.ErrNotFound):
		t.say(t.m.StatusNone)
	case e.Kind == EffAccept && errors.Is(r.Err, store.ErrBatchClosed):
		t.say(fmt.Sprintf(locale.For(t.m.Lang).Offer.AcceptClosed, name, t.w.Positions[b.ID]) + locale.ContactLine(t.m, bc, "\n\n"))
		t.toCourseOf(b.ID)
		t.welcome("") // what is open
	case refused(r.Err):
		t.say(t.refusal(b, r.Err))
	default:
		return Outcome{}, r.Err
	}
	return Outcome{Conv: t.c, Replies: t.out, Toast: t.toast}, nil
}

// refused reports whether err is the store's refusal of a seat or waiting
// place by the batch rules (closed, started, overlapping) or the intake
// rules (intake.go).
func refused(err error) bool {
	return errors.Is(err, store.ErrBatchClosed) || errors.Is(err, store.ErrBatchStarted) || errors.Is(err, store.ErrOverlap) ||
		IntakeRefused(err)
}

// refusal says why the store refused b, and how to reach the organisers
// when the course names a contact.
func (t *turn) refusal(b store.Batch, err error) string {
	contact := locale.ContactLine(t.m, t.w.Course, "\n\n")
	switch {
	case errors.Is(err, store.ErrBatchClosed):
		return fmt.Sprintf(t.m.SeatClosed, esc(b.Name)) + contact
	case errors.Is(err, store.ErrBatchStarted):
		return fmt.Sprintf(t.m.SeatStarted, esc(b.Name)) + contact
	case IntakeRefused(err):
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
	t.goTo(StateBatch)
	t.prompt()
}

// press is a button press. Choosing a language and answering a seat offer
// work whatever the conversation is doing; any other button only when it
// belongs to the message on screen (its Seq) and the state has it.
func (t *turn) press(cb callback.Data) {
	if cb.Action == ActLang && locale.Speaks(cb.Arg) {
		// Harmless whenever pressed, so never stale.
		t.c.Lang = cb.Arg
		t.m = locale.Worded(cb.Arg, t.w.Course.BatchWord).Messages
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
	if cb.Action == ActAccept || cb.Action == ActRefuse {
		// Offers come by the outbox, whatever the conversation is doing:
		// the store's offer, not the sequence, decides.
		t.clear = true
		_, offered := t.w.Offers[cb.Arg]
		if bt, _ := t.batchOf(cb.Arg); !offered && cb.Action == ActAccept && !bt.Open && t.holds(cb.Arg, store.StatusWaiting) {
			// /tutup withdrew the offer: the store's refusal says why.
			t.effect = Effect{Kind: EffAccept, Batch: cb.Arg}
			return
		}
		if !offered {
			t.toast = t.m.OfferGone
			return
		}
		t.effect = Effect{Kind: EffAccept, Batch: cb.Arg}
		if cb.Action == ActRefuse {
			t.effect.Kind = EffDecline
		}
		return
	}
	if cb.Action == ActSurvey {
		t.pressSurvey(cb)
		return
	}
	if cb.Seq != t.c.Seq {
		t.toast, t.clear = t.m.Stale, true
		return
	}
	ok := true
	switch state := t.c.State; {
	case cb.Action == ActCancel && inForm(state):
		t.cancel() // every screen of the form has Batal
	case state == StateConsent:
		ok = t.pressConsent(cb)
	case state == StateBatch:
		ok = t.pressBatch(cb)
	case state == StateField:
		ok = t.pressField(cb)
	case state == StateSummary:
		ok = t.pressSummary(cb)
	case state == StateEditPick:
		ok = t.pressEditPick(cb)
	case state == StateFull:
		ok = t.pressFull(cb)
	case state == StateCancel || state == StateErase:
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
	case t.c.State == StateField:
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
	case t.c.State == StateCancel || t.c.State == StateErase:
		t.say(t.m.UseButtons)
		t.prompt()
	case inForm(t.c.State):
		switch {
		case locale.IsLabel(s, func(m *locale.Messages) string { return m.BtnCancel }):
			t.cancel()
		case locale.IsLabel(s, func(m *locale.Messages) string { return m.BtnBack }) && (t.c.State == StateBatch || t.c.State == StateEditPick):
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
func (t *turn) contact(in Input) {
	if t.c.State != StateField || form.Of(t.field()).Keyboard != form.KeyboardContact {
		t.say(t.m.ContactUnexpected)
		t.prompt()
		return
	}
	if !in.OwnContact {
		t.say(t.m.ContactNotOwn)
		t.prompt()
		return
	}
	t.accept(in.Phone)
}

// clearForm drops the form's answers and place in it; the state is the
// caller's to set.
func (t *turn) clearForm() {
	t.c.Batch, t.c.Answers, t.c.Step, t.c.Editing, t.c.Amend = "", nil, 0, false, false
	t.c.Seq++
}

// reset leaves the form, dropping the answers not confirmed yet.
func (t *turn) reset() { LeaveForm(&t.c, t.w.SignedUp.Active()) }

// LeaveForm drops the answers of c not confirmed yet and leaves the form,
// for a person who holds a place (active) or not: the one way out of the
// form, for the person's Batal and for the retention of abandoned forms.
// The consent goes too, unless it belongs to a registration being edited.
func LeaveForm(c *store.Conversation, active bool) {
	amend := c.Amend
	c.Batch, c.Answers, c.Step, c.Editing, c.Amend = "", nil, 0, false, false
	c.Seq++
	c.State = StateIdle
	if active {
		c.State = StateDone
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
	if t.c.State == StateCancel || t.c.State == StateErase {
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
	note := t.m.KeyboardNote // skipped forward, or left for another screen
	if t.wentBack {
		note = t.m.BackNote
	}
	t.out = append([]reply{{Text: note, Remove: true}}, t.out...)
}
