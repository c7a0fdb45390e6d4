package conversation

import (
	"github.com/daftar-bot/daftar/bot/callback"
	"github.com/daftar-bot/daftar/store"
)

// The transitions outside the form: idle, done, and the two questions
// that wait for a confirmation (cancel, erase). Each press… reports
// whether the state has the button.

// pressPending answers the question of StateCancel or StateErase: confirmed, it
// asks the store to do it; Kembali shows the status instead.
func (t *turn) pressPending(cb callback.Data) bool {
	switch {
	case cb.Action == ActCancelReg && t.c.State == StateCancel && cb.Arg == t.c.Batch:
		t.effect = Effect{Kind: EffCancel, Batch: cb.Arg}
	case cb.Action == ActErase && t.c.State == StateErase:
		t.effect = Effect{Kind: EffErase}
	case cb.Action == ActBack:
		t.home()
		t.status()
	default:
		return false
	}
	return true
}

// pressOutside is a button of the welcome or the status: register, cancel
// a seat (asked first), leave a waiting list, change a registration's
// answers, delete everything (asked first). A registration button counts
// only for a registration the person has.
func (t *turn) pressOutside(cb callback.Data) bool {
	switch {
	case cb.Action == ActRegister:
		t.home()
		t.register()
	case cb.Action == ActCourse && t.chooseCourse(cb.Arg):
		t.home()
		t.welcome("")
	case cb.Action == ActCancelReg && (t.holds(cb.Arg, store.StatusRegistered) || t.holds(cb.Arg, store.StatusApplied)):
		t.toCourseOf(cb.Arg)
		t.c.Batch = cb.Arg
		t.goTo(StateCancel)
		t.prompt()
	case cb.Action == ActLeave && (t.holds(cb.Arg, store.StatusWaiting) || t.holds(cb.Arg, store.StatusReserve)):
		t.effect = Effect{Kind: EffCancel, Batch: cb.Arg}
	case cb.Action == ActAmend && (t.holds(cb.Arg, store.StatusRegistered) || t.holds(cb.Arg, store.StatusApplied)):
		t.home()
		t.toCourseOf(cb.Arg)
		t.amend(cb.Arg)
	case cb.Action == ActErase:
		t.goTo(StateErase)
		t.prompt()
	default:
		return false
	}
	return true
}

// start is /start: with one course its welcome; with several, the list
// of courses, or the course or batch a deep link (?start=<id>) names.
func (t *turn) start(arg string) {
	if t.w.Catalog.Single() {
		t.welcome(arg)
		return
	}
	if arg == "" {
		t.courses("")
		return
	}
	c, b, ok := t.w.Catalog.Resolve(arg)
	if !ok {
		t.courses(t.m.DeepLinkNoCourse)
		return
	}
	t.chooseCourse(c.ID)
	t.welcome(b.ID)
}

// toCourseOf makes the course of batch the conversation's, so that its
// form and texts are those of the registration acted on.
func (t *turn) toCourseOf(batch string) {
	if c, ok := t.w.Catalog.CourseOf(batch); ok {
		t.chooseCourse(c.ID)
	}
}

// register starts the form at the consent, when any batch is available.
func (t *turn) register() {
	if len(t.available()) == 0 {
		t.welcome("")
		return
	}
	t.c.Answers, t.c.Step, t.c.Editing = nil, 0, false
	t.goTo(StateConsent)
	t.prompt()
}

// amend starts changing the answers of the registration in batch.
func (t *turn) amend(batch string) {
	for _, p := range t.w.SignedUp {
		if p.Batch == batch {
			t.c.Answers = cloneMap(p.Answers)
		}
	}
	t.c.Batch, t.c.Amend, t.c.Editing = batch, true, false
	t.goTo(StateEditPick)
	t.prompt()
}
