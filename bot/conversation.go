package bot

import (
	"errors"
	"fmt"
	"html"
	"strings"
	"time"

	"github.com/daftar-bot/daftar/form"
	"github.com/daftar-bot/daftar/store"
)

// Conversation states, persisted in store.Conversation.State: only add.
const (
	stIdle     = "idle"      // nothing in progress: new, declined, cancelled
	stConsent  = "consent"   // the consent text is shown
	stBatch    = "batch"     // choosing a batch
	stField    = "field"     // answering Fields[Step]
	stSummary  = "summary"   // the summary with Confirm / Edit is shown
	stEditPick = "edit_pick" // choosing the answer to change
	stDone     = "done"      // holds a seat or a place on a waiting list
	stFull     = "full"      // the chosen batch filled up: the waiting list is offered
	stCancel   = "cancel"    // asked to confirm cancelling the registration in Batch
	stErase    = "erase"     // asked to confirm deleting all data
)

// inForm reports whether the person is somewhere in the registration form.
func inForm(state string) bool {
	switch state {
	case stConsent, stBatch, stField, stSummary, stEditPick, stFull:
		return true
	}
	return false
}

type inputKind int

const (
	inText    inputKind = iota
	inCommand           // /start, /status …
	inContact           // a shared contact
	inButton            // an inline button press
	inOther             // a sticker, photo, voice note … where text is expected
	inTooLong           // a text longer than Telegram allows
	inEdited            // an edited message
)

// input is one thing a person did, already taken apart by the handler.
type input struct {
	kind       inputKind
	text       string   // inText
	command    string   // inCommand: lower case, without "/" and "@bot"
	arg        string   // inCommand: the rest of the line
	phone      string   // inContact
	ownContact bool     // inContact: the contact is the sender's own
	button     callback // inButton
}

// world is what a transition may know besides the conversation, read in
// the same transaction.
type world struct {
	course    store.Course
	now       time.Time
	taken     map[string]int         // seats taken or held for an offer, per batch id
	waiting   map[string]int         // people on each batch's waiting list
	signedUp  []store.Participant    // the person's registrations, every status
	positions map[string]int         // the person's waiting-list position per batch
	offers    map[string]store.Offer // seats offered to the person, per batch
	present   map[string]int         // days the person was present, per batch
	blocked   bool                   // the person was recorded as having blocked the bot
	retention int                    // days personal data is kept after a batch ends
}

// effectKind is what a transition asks the store to do in its transaction;
// settle then tells the person how it went.
type effectKind int

const (
	effNone     effectKind = iota
	effConfirm             // take a seat in conv.Batch with conv.Answers
	effJoinWait            // join conv.Batch's waiting list with conv.Answers
	effAmend               // store conv.Answers on the registration in conv.Batch
	effCancel              // give up the seat or waiting place in batch
	effAccept              // take the seat offered in batch
	effDecline             // turn down the seat offered in batch
	effErase               // delete everything about the person
)

type effect struct {
	kind  effectKind
	batch string
}

// outcome is the result of a transition.
type outcome struct {
	conv    store.Conversation
	replies []reply
	effect  effect
	toast   string // the answer to a button press
	clear   bool   // remove the buttons of the pressed message
}

// turn accumulates one transition.
type turn struct {
	c      store.Conversation
	w      world
	m      *Messages
	out    []reply
	toast  string
	effect effect
	clear  bool
}

// next is the conversation: what a person's input does to their state and
// what the bot answers. It is pure: no I/O, no clock, no randomness.
func next(c store.Conversation, in input, w world) outcome {
	t := &turn{c: c, w: w, m: messages(c.Lang)}
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
		t.command(canonicalCommand(in.command), in.arg)
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
}

// settle tells the person how an effect went, once the store carried it
// out in the same transaction. An error it does not know is returned.
func settle(c store.Conversation, w world, e effect, r result) (outcome, error) {
	t := &turn{c: c, w: w, m: messages(c.Lang)}
	batch := e.batch
	if batch == "" {
		batch = c.Batch
	}
	b, _ := w.course.Batch(batch)
	name := esc(b.Name)
	home := func() {
		t.c.State, t.c.Batch, t.c.Answers, t.c.Step, t.c.Editing, t.c.Amend = stDone, "", nil, 0, false, false
		t.c.Seq++
	}
	switch {
	case e.kind == effErase && r.err == nil:
		t.c = store.Conversation{UserID: c.UserID, ChatID: c.ChatID, Lang: c.Lang, State: stIdle, Seq: c.Seq + 1}
		t.out = append(t.out, reply{Text: t.m.EraseDone, Remove: true})
	case (e.kind == effConfirm || e.kind == effAccept) && r.err == nil:
		home()
		t.say(fmt.Sprintf(t.m.Registered, name, r.p.Seat, t.m.dateRange(b.Start, b.End()), hours(b), esc(w.course.Venue)))
	case e.kind == effJoinWait && r.err == nil:
		home()
		t.say(fmt.Sprintf(t.m.Waiting, name, r.pos))
	case e.kind == effAmend && r.err == nil:
		home()
		t.say(fmt.Sprintf(t.m.AmendSaved, name))
	case e.kind == effCancel && r.err == nil:
		home()
		if r.before.Status == store.StatusWaiting {
			t.say(fmt.Sprintf(t.m.LeftWaiting, name))
		} else {
			t.say(fmt.Sprintf(t.m.CancelDone, name))
		}
	case e.kind == effDecline && r.err == nil:
		home()
		t.say(t.m.OfferDeclined)
	case errors.Is(r.err, store.ErrAlreadyRegistered):
		home()
		t.say(fmt.Sprintf(t.m.AlreadyHasSeat, name, r.before.Seat))
	case errors.Is(r.err, store.ErrAlreadyWaiting):
		home()
		t.say(fmt.Sprintf(t.m.Waiting, name, r.pos))
	case errors.Is(r.err, store.ErrBatchFull):
		t.goTo(stFull)
		t.prompt()
	case errors.Is(r.err, store.ErrNoOffer):
		home()
		t.toast = t.m.OfferGone
		t.say(t.m.OfferGone)
	case errors.Is(r.err, store.ErrNotFound):
		home()
		t.say(t.m.StatusNone)
	default:
		return outcome{}, r.err
	}
	if t.c.State == stDone && !t.active() {
		t.c.State = stIdle
	}
	return outcome{conv: t.c, replies: t.out, toast: t.toast}, nil
}

func (t *turn) say(text string) { t.out = append(t.out, reply{Text: text}) }

func (t *turn) ask(r reply) { t.out = append(t.out, r) }

// goTo moves to a new question: buttons of older questions become stale.
func (t *turn) goTo(state string) {
	t.c.State = state
	t.c.Seq++
}

// reset leaves the form, dropping the answers not confirmed yet.
func (t *turn) reset() {
	amend := t.c.Amend
	t.c.State, t.c.Batch, t.c.Answers, t.c.Step, t.c.Editing, t.c.Amend = stIdle, "", nil, 0, false, false
	if !amend {
		t.c.ConsentAt = time.Time{}
	}
	t.c.Seq++
	if t.active() {
		t.c.State = stDone
	}
}

func (t *turn) btn(label, action, arg string) button {
	return button{Text: label, Data: callback{Seq: t.c.Seq, Action: action, Arg: arg}.String()}
}

func (t *turn) command(cmd, arg string) {
	switch cmd {
	case "start":
		if inForm(t.c.State) {
			t.say(t.m.Continue)
			t.prompt()
			return
		}
		t.home()
		t.welcome(arg)
	case "batal":
		switch {
		case inForm(t.c.State):
			t.cancel()
		case t.active():
			t.say(t.m.CancelRegistered)
		default:
			t.say(t.m.NothingToCancel)
		}
	case "bantuan":
		t.say(t.m.Help)
	case "status":
		t.home()
		t.status()
	case "dataku":
		t.myData()
	case "hapusdata":
		if inForm(t.c.State) {
			t.reset()
		}
		t.goTo(stErase)
		t.prompt()
	case "bahasa":
		var row []button
		for _, c := range languages.list {
			row = append(row, t.btn(c.Messages.LanguageName, actLang, c.Code))
		}
		t.ask(reply{Text: t.m.ChooseLanguage, Inline: [][]button{row}})
	default:
		t.say(t.m.UnknownCommand)
	}
}

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
		t.c.State, t.c.Batch = stIdle, ""
		if t.active() {
			t.c.State = stDone
		}
		t.c.Seq++
	}
}

func (t *turn) press(cb callback) {
	if cb.Action == actLang && speaks(cb.Arg) {
		// Harmless whenever pressed, so never stale.
		t.c.Lang = cb.Arg
		t.m = messages(cb.Arg)
		t.clear = true
		t.say(t.m.LanguageSet)
		if inForm(t.c.State) {
			t.c.Seq++ // the questions on screen are in the old language
			t.prompt()
		}
		return
	}
	if cb.Action == actAccept || cb.Action == actRefuse {
		// Offers come by the outbox, whatever the conversation is doing:
		// the store's offer, not the sequence, decides.
		t.clear = true
		if _, ok := t.w.offers[cb.Arg]; !ok {
			t.toast = t.m.OfferGone
			return
		}
		t.effect = effect{kind: effAccept, batch: cb.Arg}
		if cb.Action == actRefuse {
			t.effect.kind = effDecline
		}
		return
	}
	if cb.Seq != t.c.Seq {
		t.toast, t.clear = t.m.Stale, true
		return
	}
	ok := true
	switch {
	case cb.Action == actRegister && !inForm(t.c.State):
		t.home()
		t.register()
	case cb.Action == actCancelReg && t.c.State == stCancel && cb.Arg == t.c.Batch:
		t.effect = effect{kind: effCancel, batch: cb.Arg}
	case cb.Action == actCancelReg && !inForm(t.c.State) && t.holds(cb.Arg, store.StatusRegistered):
		t.c.Batch = cb.Arg
		t.goTo(stCancel)
		t.prompt()
	case cb.Action == actLeave && !inForm(t.c.State) && t.holds(cb.Arg, store.StatusWaiting):
		t.effect = effect{kind: effCancel, batch: cb.Arg}
	case cb.Action == actAmend && !inForm(t.c.State) && t.holds(cb.Arg, store.StatusRegistered):
		t.home()
		t.amend(cb.Arg)
	case cb.Action == actErase && t.c.State == stErase:
		t.effect = effect{kind: effErase}
	case cb.Action == actErase && !inForm(t.c.State):
		t.goTo(stErase)
		t.prompt()
	case cb.Action == actBack && (t.c.State == stCancel || t.c.State == stErase):
		t.home()
		t.status()
	case cb.Action == actJoin && t.c.State == stFull:
		t.effect = effect{kind: effJoinWait}
	case cb.Action == actBatch && t.c.State == stFull:
		t.c.Editing = true
		t.chooseBatch(cb.Arg)
	case cb.Action == actConsent && t.c.State == stConsent:
		t.c.ConsentAt = t.w.now
		t.afterConsent()
	case cb.Action == actDecline && t.c.State == stConsent:
		t.reset()
		t.say(t.m.ConsentDeclined)
	case cb.Action == actBatch && t.c.State == stBatch:
		t.chooseBatch(cb.Arg)
	case cb.Action == actOption && t.c.State == stField && form.Of(t.field()).Options:
		i, valid := index(cb.Arg, len(t.field().Options))
		if !valid {
			ok = false
			break
		}
		t.answer(t.field().Options[i])
	case cb.Action == actSkip && t.c.State == stField && t.field().Optional:
		t.answer("")
	case cb.Action == actBack && (t.c.State == stField || t.c.State == stBatch || t.c.State == stEditPick):
		t.back()
	case cb.Action == actBack && t.c.State == stSummary && t.c.Amend:
		t.goTo(stEditPick)
		t.prompt()
	case cb.Action == actCancel && inForm(t.c.State):
		t.cancel()
	case cb.Action == actConfirm && t.c.State == stSummary && t.c.Amend:
		t.effect = effect{kind: effAmend}
	case cb.Action == actConfirm && t.c.State == stSummary:
		t.effect = effect{kind: effConfirm}
	case cb.Action == actEdit && t.c.State == stSummary:
		t.goTo(stEditPick)
		t.prompt()
	case cb.Action == actField && t.c.State == stEditPick:
		i, valid := index(cb.Arg, len(t.w.course.Fields))
		if !valid {
			ok = false
			break
		}
		t.c.Step, t.c.Editing = i, true
		t.goTo(stField)
		t.prompt()
	default:
		ok = false
	}
	if !ok {
		t.toast = t.m.Stale
	}
	t.clear = true
}

func (t *turn) text(s string) {
	switch {
	case t.c.State == stField:
		switch f := t.field(); {
		case isLabel(s, func(m *Messages) string { return m.BtnBack }):
			t.back()
		case isLabel(s, func(m *Messages) string { return m.BtnCancel }):
			t.cancel()
		case f.Optional && isLabel(s, func(m *Messages) string { return m.BtnSkip }):
			t.answer("")
		default:
			v, err := form.Parse(f, t.c.Lang, s, t.w.now)
			if err != nil {
				t.say(t.explain(err))
				t.prompt()
				return
			}
			t.answer(v)
		}
	case t.c.State == stCancel || t.c.State == stErase:
		t.say(t.m.UseButtons)
		t.prompt()
	case inForm(t.c.State):
		switch {
		case isLabel(s, func(m *Messages) string { return m.BtnCancel }):
			t.cancel()
		case isLabel(s, func(m *Messages) string { return m.BtnBack }) && (t.c.State == stBatch || t.c.State == stEditPick):
			t.back()
		default:
			t.say(t.m.UseButtons)
			t.prompt()
		}
	default:
		t.welcome("")
	}
}

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
	v, err := form.Phone(in.phone)
	if err != nil {
		t.say(t.explain(err))
		t.prompt()
		return
	}
	t.answer(v)
}

// answer stores v for the current field and moves on.
func (t *turn) answer(v string) {
	f := t.field()
	if t.c.Answers == nil {
		t.c.Answers = map[string]string{}
	}
	t.c.Answers[f.Key] = v
	if form.Of(f).Keyboard == form.KeyboardContact && v != "" {
		t.out = append(t.out, reply{Text: fmt.Sprintf(t.m.PhoneSaved, esc(v)), Remove: true})
	}
	if t.c.Editing || t.c.Step+1 >= len(t.w.course.Fields) {
		t.c.Editing = false
		t.goTo(stSummary)
	} else {
		t.c.Step++
		t.goTo(stField)
	}
	t.prompt()
}

func (t *turn) back() {
	switch {
	case t.c.State == stEditPick || (t.c.State == stField && t.c.Editing):
		t.c.Editing = false
		t.goTo(stSummary)
	case t.c.State == stField && t.c.Step > 0:
		t.c.Step--
		t.goTo(stField)
	case t.c.State == stField && len(t.available()) > 1:
		t.goTo(stBatch)
	case t.c.State == stBatch && t.c.Editing:
		// Sent here because the chosen batch filled up: nothing to go back to.
		t.goTo(stBatch)
	default:
		t.goTo(stConsent)
	}
	t.prompt()
}

func (t *turn) register() {
	if len(t.available()) == 0 {
		t.welcome("")
		return
	}
	t.c.Answers, t.c.Step, t.c.Editing = nil, 0, false
	t.goTo(stConsent)
	t.prompt()
}

func (t *turn) afterConsent() {
	avail := t.available()
	switch {
	case len(avail) == 0:
		t.reset()
		t.say(t.m.WelcomeNoneOpen)
		return
	case t.c.Batch != "" && contains(avail, t.c.Batch):
	case len(avail) == 1:
		t.c.Batch = avail[0].ID
	default:
		t.c.Batch = ""
		t.goTo(stBatch)
		t.prompt()
		return
	}
	t.c.Step = 0
	t.goTo(stField)
	t.prompt()
}

func (t *turn) chooseBatch(id string) {
	if !contains(t.available(), id) {
		if b, ok := t.w.course.Batch(id); ok {
			t.say(fmt.Sprintf(t.m.BatchUnavailable, esc(b.Name)))
		}
		t.c.Seq++
		t.prompt()
		return
	}
	t.c.Batch = id
	if t.c.Editing {
		t.c.Editing = false
		t.goTo(stSummary)
	} else {
		t.c.Step = 0
		t.goTo(stField)
	}
	t.prompt()
}

// prompt asks the question of the current state again.
func (t *turn) prompt() {
	switch t.c.State {
	case stConsent:
		keys := make([]string, len(t.w.course.Fields))
		for i, f := range t.w.course.Fields {
			keys[i] = esc(f.Question(t.c.Lang))
		}
		t.ask(reply{
			Text:   fmt.Sprintf(t.m.Consent, strings.Join(keys, "; "), esc(t.w.course.Title), esc(t.w.course.Organiser), t.w.retention),
			Inline: [][]button{{t.btn(t.m.BtnAgree, actConsent, ""), t.btn(t.m.BtnDisagree, actDecline, "")}},
		})
	case stBatch:
		var rows [][]button
		for _, b := range t.available() {
			label := fmt.Sprintf(t.m.BatchButton, b.Name, t.m.dateRange(b.Start, b.End()), b.Capacity-t.w.taken[b.ID])
			if t.w.taken[b.ID] >= b.Capacity {
				label = fmt.Sprintf(t.m.BatchButtonWaiting, b.Name, t.m.dateRange(b.Start, b.End()))
			}
			rows = append(rows, []button{t.btn(label, actBatch, b.ID)})
		}
		rows = append(rows, []button{t.btn(t.m.BtnBack, actBack, ""), t.btn(t.m.BtnCancel, actCancel, "")})
		t.ask(reply{Text: t.m.ChooseBatch, Inline: rows})
	case stField:
		t.question()
	case stSummary:
		t.ask(reply{Text: t.summary(), Inline: [][]button{
			{t.btn(t.m.BtnConfirm, actConfirm, ""), t.btn(t.m.BtnEdit, actEdit, "")},
			{t.btn(t.m.BtnCancel, actCancel, "")},
		}})
	case stFull:
		b, _ := t.w.course.Batch(t.c.Batch)
		rows := [][]button{{t.btn(t.m.BtnJoinWaiting, actJoin, "")}}
		for _, o := range t.available() {
			if o.ID != b.ID && t.w.taken[o.ID] < o.Capacity {
				label := fmt.Sprintf(t.m.BatchButton, o.Name, t.m.dateRange(o.Start, o.End()), o.Capacity-t.w.taken[o.ID])
				rows = append(rows, []button{t.btn(label, actBatch, o.ID)})
			}
		}
		rows = append(rows, []button{t.btn(t.m.BtnCancel, actCancel, "")})
		t.ask(reply{Text: fmt.Sprintf(t.m.FullWaitingOffer, esc(b.Name)), Inline: rows})
	case stCancel:
		b, _ := t.w.course.Batch(t.c.Batch)
		t.ask(reply{Text: fmt.Sprintf(t.m.CancelAsk, esc(b.Name)), Inline: [][]button{
			{t.btn(t.m.BtnCancelRegistration, actCancelReg, b.ID), t.btn(t.m.BtnBack, actBack, "")},
		}})
	case stErase:
		t.ask(reply{Text: t.m.EraseAsk, Inline: [][]button{
			{t.btn(t.m.BtnDeleteData, actErase, ""), t.btn(t.m.BtnBack, actBack, "")},
		}})
	case stEditPick:
		var rows [][]button
		for i, f := range t.w.course.Fields {
			rows = append(rows, []button{t.btn(shorten(f.Question(t.c.Lang), 40), actField, fmt.Sprint(i))})
		}
		rows = append(rows, []button{t.btn(t.m.BtnBack, actBack, "")})
		t.ask(reply{Text: t.m.EditPick, Inline: rows})
	}
}

func (t *turn) question() {
	f := t.field()
	var b strings.Builder
	fmt.Fprintf(&b, t.m.QuestionHeader, t.c.Step+1, len(t.w.course.Fields))
	fmt.Fprintf(&b, "\n\n<b>%s</b>", esc(f.Question(t.c.Lang)))
	if f.Optional {
		b.WriteString(" " + t.m.Optional)
	}
	if hint := t.hint(f); hint != "" {
		b.WriteString("\n" + hint)
	}
	if v, ok := t.c.Answers[f.Key]; ok && v != "" {
		b.WriteString("\n\n" + fmt.Sprintf(t.m.PreviousAnswer, esc(t.show(f, v))))
	}
	nav := []button{t.btn(t.m.BtnBack, actBack, ""), t.btn(t.m.BtnCancel, actCancel, "")}
	if f.Optional {
		nav = append([]button{t.btn(t.m.BtnSkip, actSkip, "")}, nav...)
	}
	r := reply{Text: b.String()}
	switch form.Of(f).Keyboard {
	case form.KeyboardContact:
		// request_contact only works in a reply keyboard, and a message
		// has one keyboard: navigation moves there too, as text buttons.
		row := []button{{Text: t.m.BtnBack}, {Text: t.m.BtnCancel}}
		if f.Optional {
			row = append([]button{{Text: t.m.BtnSkip}}, row...)
		}
		r.Keyboard = [][]button{{{Text: t.m.BtnShareContact, Contact: true}}, row}
	case form.KeyboardOptions:
		for i := range f.Options {
			r.Inline = append(r.Inline, []button{t.btn(f.Option(t.c.Lang, i), actOption, fmt.Sprint(i))})
		}
		r.Inline = append(r.Inline, nav)
	default:
		r.Inline = [][]button{nav}
	}
	t.ask(r)
}

func (t *turn) hint(f store.Field) string {
	if k := form.Of(f); k.Hint != "" {
		return t.m.Hints[k.Hint]
	}
	return ""
}

func (t *turn) summary() string {
	var b strings.Builder
	b.WriteString(t.m.Summary + "\n")
	if bt, ok := t.w.course.Batch(t.c.Batch); ok {
		fmt.Fprintf(&b, "\n<b>%s</b>: %s (%s)", t.m.SummaryBatch, esc(bt.Name), t.m.dateRange(bt.Start, bt.End()))
	}
	for i, f := range t.w.course.Fields {
		v := esc(t.show(f, t.c.Answers[f.Key]))
		if v == "" {
			v = t.m.Skipped
		}
		fmt.Fprintf(&b, "\n%d. <b>%s</b>: %s", i+1, esc(f.Question(t.c.Lang)), v)
	}
	if t.c.Amend {
		b.WriteString("\n\n" + t.m.AmendHint)
	} else {
		b.WriteString("\n\n" + t.m.SummaryHint)
	}
	return b.String()
}

// show renders a stored answer for the person: a choice (stored as the
// Indonesian option) in their language, a date with the month's name.
func (t *turn) show(f store.Field, v string) string {
	return form.Show(f, t.c.Lang, v, &t.m.Months)
}

func (t *turn) welcome(deepLink string) {
	c := t.w.course
	var b strings.Builder
	fmt.Fprintf(&b, t.m.Welcome, esc(c.Title), esc(c.Organiser), esc(c.Venue))
	if len(c.Batches) > 0 {
		b.WriteString("\n")
	}
	for _, bt := range c.Batches {
		fmt.Fprintf(&b, "\n"+t.m.BatchLine, esc(bt.Name), t.m.dateRange(bt.Start, bt.End()), hours(bt), t.batchTag(bt))
	}
	if deepLink != "" {
		bt, ok := c.Batch(deepLink)
		switch {
		case !ok:
			b.WriteString("\n\n" + t.m.DeepLinkUnknown)
		case contains(t.available(), bt.ID):
			t.c.Batch = bt.ID
		case t.overlap(bt) != nil:
			b.WriteString("\n\n" + fmt.Sprintf(t.m.Overlap, esc(bt.Name), esc(t.overlap(bt).Name)))
		case t.holds(bt.ID, store.StatusRegistered) || t.holds(bt.ID, store.StatusWaiting):
		default:
			b.WriteString("\n\n" + fmt.Sprintf(t.m.BatchUnavailable, esc(bt.Name)))
		}
	}
	for _, p := range t.w.signedUp {
		bt, _ := c.Batch(p.Batch)
		switch p.Status {
		case store.StatusRegistered:
			b.WriteString("\n\n" + fmt.Sprintf(t.m.WelcomeSignedUp, esc(bt.Name), p.Seat))
		case store.StatusWaiting:
			b.WriteString("\n\n" + fmt.Sprintf(t.m.Waiting, esc(bt.Name), t.w.positions[p.Batch]))
		}
	}
	t.c.Seq++
	r := reply{}
	switch {
	case len(t.available()) > 0:
		b.WriteString("\n\n" + t.m.WelcomeRegister)
		r.Inline = [][]button{{t.btn(t.m.BtnRegister, actRegister, "")}}
	case t.active():
		// Say why an open batch is not offered when its dates clash.
		for _, bt := range c.Batches {
			if o := t.overlap(bt); o != nil && bt.Open && !bt.Started(t.w.now) && deepLink != bt.ID {
				b.WriteString("\n\n" + fmt.Sprintf(t.m.Overlap, esc(bt.Name), esc(o.Name)))
			}
		}
	default:
		b.WriteString("\n\n" + t.m.WelcomeNoneOpen)
	}
	r.Text = b.String()
	t.ask(r)
}

func (t *turn) status() {
	if inForm(t.c.State) {
		step := t.c.Step
		if t.c.State != stField {
			step = 0
		}
		t.say(fmt.Sprintf(t.m.StatusInProgress, step+1, len(t.w.course.Fields)))
		t.prompt()
		return
	}
	var (
		lines []string
		rows  [][]button
	)
	for _, p := range t.w.signedUp {
		b, _ := t.w.course.Batch(p.Batch)
		dates := t.m.dateRange(b.Start, b.End())
		switch p.Status {
		case store.StatusRegistered:
			line := fmt.Sprintf(t.m.StatusSeat, esc(b.Name), p.Seat, dates, hours(b), esc(t.w.course.Venue))
			if b.Started(t.w.now) {
				line += "\n" + fmt.Sprintf(t.m.StatusAttendance, t.w.present[b.ID], b.Days)
			}
			lines = append(lines, line)
			rows = append(rows, []button{t.btn(t.m.BtnEdit, actAmend, b.ID), t.btn(t.m.BtnCancelRegistration, actCancelReg, b.ID)})
		case store.StatusWaiting:
			line := fmt.Sprintf(t.m.StatusWaiting, esc(b.Name), t.w.positions[b.ID], dates, hours(b), esc(t.w.course.Venue))
			if o, ok := t.w.offers[b.ID]; ok {
				line += "\n" + fmt.Sprintf(t.m.StatusOffer, esc(b.Name), t.m.moment(o.Until.In(t.w.course.Location)))
				rows = append(rows, []button{t.btn(t.m.BtnAccept, actAccept, b.ID), t.btn(t.m.BtnDecline, actRefuse, b.ID)})
			}
			lines = append(lines, line)
			rows = append(rows, []button{t.btn(t.m.BtnLeaveWaiting, actLeave, b.ID)})
		}
	}
	if len(lines) == 0 {
		t.say(t.m.StatusNone)
		return
	}
	rows = append(rows, []button{t.btn(t.m.BtnDeleteData, actErase, "")})
	t.ask(reply{Text: strings.Join(lines, "\n\n"), Inline: rows})
}

// myData shows everything stored about the person (their right of access).
func (t *turn) myData() {
	parts := []string{fmt.Sprintf(t.m.MyData, t.c.UserID, t.m.LanguageName)}
	if !t.c.ConsentAt.IsZero() {
		parts = append(parts, fmt.Sprintf(t.m.MyDataConsent, t.m.moment(t.c.ConsentAt.In(t.w.course.Location))))
	}
	if t.w.blocked {
		parts = append(parts, t.m.MyDataBlocked)
	}
	answers := func(a map[string]string) string {
		var out []string
		for _, f := range t.w.course.Fields {
			if v, ok := a[f.Key]; ok {
				shown := esc(t.show(f, v))
				if v == "" {
					shown = t.m.Skipped
				}
				out = append(out, fmt.Sprintf("• %s: %s", esc(f.Question(t.c.Lang)), shown))
			}
		}
		return strings.Join(out, "\n")
	}
	for _, p := range t.w.signedUp {
		b, _ := t.w.course.Batch(p.Batch)
		state := t.m.WordCancelled
		switch p.Status {
		case store.StatusRegistered:
			state = fmt.Sprintf(t.m.WordRegistered, p.Seat)
		case store.StatusWaiting:
			state = fmt.Sprintf(t.m.WordWaiting, t.w.positions[p.Batch])
		}
		block := fmt.Sprintf(t.m.MyDataRegistration, esc(b.Name), state)
		if !p.RegisteredAt.IsZero() {
			block += "\n" + fmt.Sprintf(t.m.MyDataRegisteredAt, t.m.moment(p.RegisteredAt.In(t.w.course.Location)))
		}
		if b.Started(t.w.now) && p.Status == store.StatusRegistered {
			block += "\n" + fmt.Sprintf(t.m.StatusAttendance, t.w.present[b.ID], b.Days)
		}
		if a := answers(p.Answers); a != "" {
			block += "\n" + a
		}
		parts = append(parts, block)
	}
	if len(t.w.signedUp) == 0 {
		parts = append(parts, t.m.MyDataNone)
	}
	if len(t.c.Answers) > 0 {
		parts = append(parts, t.m.MyDataForm+"\n"+answers(t.c.Answers))
	}
	parts = append(parts, t.m.MyDataRights)
	t.say(strings.Join(parts, "\n\n"))
	if inForm(t.c.State) {
		t.prompt()
	}
}

// amend starts changing the answers of the registration in batch.
func (t *turn) amend(batch string) {
	for _, p := range t.w.signedUp {
		if p.Batch == batch {
			t.c.Answers = cloneMap(p.Answers)
		}
	}
	t.c.Batch, t.c.Amend, t.c.Editing = batch, true, false
	t.goTo(stEditPick)
	t.prompt()
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

func (t *turn) onPhone() bool {
	return t.c.State == stField && form.Of(t.field()).Keyboard == form.KeyboardContact
}

func (t *turn) field() store.Field {
	if t.c.Step < 0 || t.c.Step >= len(t.w.course.Fields) {
		return store.Field{}
	}
	return t.w.course.Fields[t.c.Step]
}

// available returns the batches the person can register for now: open,
// not started, not already theirs, not overlapping a batch they hold a
// seat in. A full batch is available: it leads to its waiting list.
func (t *turn) available() []store.Batch {
	var out []store.Batch
	for _, b := range t.w.course.Batches {
		if !b.Open || b.Started(t.w.now) || t.holds(b.ID, store.StatusRegistered) || t.holds(b.ID, store.StatusWaiting) || t.overlap(b) != nil {
			continue
		}
		out = append(out, b)
	}
	return out
}

// overlap returns a batch the person holds a seat in whose dates overlap b's.
func (t *turn) overlap(b store.Batch) *store.Batch {
	for _, p := range t.w.signedUp {
		if p.Status != store.StatusRegistered || p.Batch == b.ID {
			continue
		}
		o, ok := t.w.course.Batch(p.Batch)
		if ok && !o.Start.After(b.End()) && !b.Start.After(o.End()) {
			return &o
		}
	}
	return nil
}

// holds reports whether the person's registration in batch has status.
func (t *turn) holds(batch string, status store.Status) bool {
	for _, p := range t.w.signedUp {
		if p.Batch == batch && p.Status == status {
			return true
		}
	}
	return false
}

// active reports whether the person holds a seat or a waiting place.
func (t *turn) active() bool {
	for _, p := range t.w.signedUp {
		if p.Status == store.StatusRegistered || p.Status == store.StatusWaiting {
			return true
		}
	}
	return false
}

func (t *turn) batchTag(b store.Batch) string {
	switch {
	case !b.Open:
		return t.m.TagClosed
	case b.Started(t.w.now):
		return t.m.TagStarted
	case t.w.taken[b.ID] >= b.Capacity && t.w.waiting[b.ID] > 0:
		return fmt.Sprintf(t.m.TagFullWaiting, t.w.waiting[b.ID])
	case t.w.taken[b.ID] >= b.Capacity:
		return t.m.TagFull
	}
	return fmt.Sprintf(t.m.SeatsLeft, b.Capacity-t.w.taken[b.ID])
}

// explain turns a form error into the sentence the person reads.
func (t *turn) explain(err error) string {
	var fe *form.Error
	if !errors.As(err, &fe) {
		return t.m.Errors[form.CodeInvalidText]
	}
	text, ok := t.m.Errors[fe.Code]
	if !ok {
		return t.m.Errors[form.CodeInvalidText]
	}
	if args := fe.Args(); len(args) > 0 {
		return fmt.Sprintf(text, args...)
	}
	return text
}

func hours(b store.Batch) string { return b.DailyStart + "–" + b.DailyEnd }

func esc(s string) string { return html.EscapeString(s) }

func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func contains(bs []store.Batch, id string) bool {
	for _, b := range bs {
		if b.ID == id {
			return true
		}
	}
	return false
}

// index parses a button's index argument against n choices.
func index(arg string, n int) (int, bool) {
	var i int
	if _, err := fmt.Sscanf(arg, "%d", &i); err != nil || fmt.Sprint(i) != arg || i < 0 || i >= n {
		return 0, false
	}
	return i, true
}

func cloneMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
