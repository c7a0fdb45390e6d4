package conversation

import (
	"fmt"
	"time"

	"github.com/daftar-bot/daftar/bot/callback"
	"github.com/daftar-bot/daftar/bot/locale"
	"github.com/daftar-bot/daftar/form"
)

// The transitions of the registration form, by state. Each press… reports
// whether the state has the button; Batal is press's, on every screen.

// pressConsent: Setuju goes on to the batch or the first question, Tidak
// setuju leaves without keeping anything.
func (t *turn) pressConsent(cb callback.Data) bool {
	switch cb.Action {
	case ActConsent:
		t.c.ConsentAt = t.w.Now
		t.afterConsent()
	case ActDecline:
		t.reset()
		t.say(t.m.ConsentDeclined)
	default:
		return false
	}
	return true
}

// afterConsent asks for the batch, unless a deep link chose it or only one
// is available.
func (t *turn) afterConsent() {
	avail := t.available()
	switch {
	case len(avail) == 0:
		t.reset()
		t.say(t.m.WelcomeNoneOpen)
		return
	case t.c.Batch != "" && t.canChoose(t.c.Batch):
	case len(avail) == 1:
		t.c.Batch = avail[0].ID
	default:
		t.c.Batch = ""
		t.goTo(StateBatch)
		t.prompt()
		return
	}
	t.c.Step = 0
	t.goTo(StateField)
	t.prompt()
}

func (t *turn) pressBatch(cb callback.Data) bool {
	switch cb.Action {
	case ActBatch:
		t.chooseBatch(cb.Arg)
	case ActBack:
		t.back()
	default:
		return false
	}
	return true
}

// chooseBatch takes the batch with id when the person may still choose it
// and asks again when not.
func (t *turn) chooseBatch(id string) {
	if !t.canChoose(id) {
		if b, ok := t.w.Course.Batch(id); ok {
			t.say(fmt.Sprintf(t.m.BatchUnavailable, esc(b.Name)) + locale.ContactLine(t.m, t.w.Course, "\n\n"))
		}
		t.c.Seq++
		t.prompt()
		return
	}
	if err := t.w.Intake.refuses(id, "", ""); err != nil && t.c.Editing {
		b, _ := t.batchOf(id)
		t.say(t.intakeRefusal(b, err))
		t.c.Seq++
		t.prompt()
		return
	}
	t.c.Batch = id
	if t.c.Editing {
		t.c.Editing = false
		t.goTo(StateSummary)
	} else {
		t.c.Step = 0
		t.goTo(StateField)
	}
	t.prompt()
}

func (t *turn) pressField(cb callback.Data) bool {
	switch f := t.field(); {
	case cb.Action == ActOption && form.Of(f).Options:
		i, valid := callback.Index(cb.Arg, len(f.Options))
		if !valid {
			return false
		}
		t.answer(f.Options[i])
	case cb.Action == ActSkip && f.Optional:
		t.answer("")
	case cb.Action == ActBack:
		t.back()
	default:
		return false
	}
	return true
}

// accept checks s, typed or shared, as the answer to the current field,
// alone and against the other answers (form.Check), and stores it or
// explains what is wrong and asks again.
func (t *turn) accept(s string) {
	f := t.field()
	v, err := form.Parse(f, t.c.Lang, s, t.w.Now)
	if err == nil {
		err = form.Check(t.w.Course, f, v, t.c.Answers, t.ageDay())
	}
	if err != nil {
		t.say(t.m.Explain(err))
		t.prompt()
		return
	}
	if err := t.w.Intake.refuses(t.c.Batch, f.Key, v); err != nil {
		b, _ := t.batchOf(t.c.Batch)
		t.say(t.intakeRefusal(b, err))
		t.prompt()
		return
	}
	t.answer(v)
}

// ageDay is the day a birth date's age counts at: the chosen batch's
// first day. The batch is chosen before the questions, so the fallbacks
// only serve a conversation stored without one: the earliest start among
// the batches the person may choose (the soonest they could attend), else
// now.
func (t *turn) ageDay() time.Time {
	if b, ok := t.w.Course.Batch(t.c.Batch); ok {
		return b.Start
	}
	day := t.w.Now
	for i, b := range t.available() {
		if i == 0 || b.Start.Before(day) {
			day = b.Start
		}
	}
	return day
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
	if t.c.Editing || t.c.Step+1 >= len(t.w.Course.Fields) {
		t.c.Editing = false
		t.goTo(StateSummary)
	} else {
		t.c.Step++
		t.goTo(StateField)
	}
	t.prompt()
}

// back goes to the screen before this one: from a changed answer or the
// list of answers to the summary, from a question to the one before, the
// batch choice or the consent.
func (t *turn) back() {
	t.wentBack = true
	switch {
	case t.c.State == StateEditPick || (t.c.State == StateField && t.c.Editing):
		t.c.Editing = false
		t.goTo(StateSummary)
	case t.c.State == StateField && t.c.Step > 0:
		t.c.Step--
		t.goTo(StateField)
	case t.c.State == StateField && len(t.available()) > 1:
		t.goTo(StateBatch)
	case t.c.State == StateBatch && t.c.Editing:
		// Sent here because the chosen batch filled up: nothing to go back to.
		t.goTo(StateBatch)
	default:
		t.goTo(StateConsent)
	}
	t.prompt()
}

// pressSummary: Konfirmasi takes the seat (or stores the changed answers),
// Ubah lists the answers; Kembali only when changing a registration.
func (t *turn) pressSummary(cb callback.Data) bool {
	switch {
	case cb.Action == ActBack && t.c.Amend, cb.Action == ActEdit:
		t.goTo(StateEditPick)
		t.prompt()
	case cb.Action == ActConfirm && t.c.Amend:
		t.effect = Effect{Kind: EffAmend}
	case cb.Action == ActConfirm:
		t.effect = Effect{Kind: EffConfirm}
	default:
		return false
	}
	return true
}

func (t *turn) pressEditPick(cb callback.Data) bool {
	switch cb.Action {
	case ActField:
		i, valid := callback.Index(cb.Arg, len(t.w.Course.Fields))
		if !valid {
			return false
		}
		t.c.Step, t.c.Editing = i, true
		t.goTo(StateField)
		t.prompt()
	case ActBack:
		t.back()
	default:
		return false
	}
	return true
}

// pressFull: the chosen batch filled up; join its waiting list or choose
// another batch with seats.
func (t *turn) pressFull(cb callback.Data) bool {
	switch cb.Action {
	case ActJoin:
		t.effect = Effect{Kind: EffJoinWait}
	case ActBatch:
		t.c.Editing = true
		t.chooseBatch(cb.Arg)
	default:
		return false
	}
	return true
}
