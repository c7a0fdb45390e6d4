package conversation

import (
	"errors"
	"fmt"

	"github.com/daftar-bot/daftar/bot/locale"
	"github.com/daftar-bot/daftar/store"
)

// The intake rules in the conversation: the handler asks the store's one
// rule (store.Tx.CheckIntake), before the transition, about the answer
// the input is about to give and passes the verdict in World.Intake, so
// that a NIK held by someone else, an age or a region the batch does not
// take is refused as soon as it is typed; the seat transaction asks it
// again, and Settle says why it refused.

// IntakeVerdict is CheckIntake's answer (Err, nil when it allows) about
// Batch with the answers as the input would leave them: Key set to Value
// (Key "" when the input chooses the batch with the answers as they
// are). The zero value refuses nothing.
type IntakeVerdict struct {
	Batch, Key, Value string
	Err               error
}

// refuses returns the refusal of the answer value to key in batch, nil
// when the verdict is about anything else or allows it.
func (v IntakeVerdict) refuses(batch, key, value string) error {
	if v.Err == nil || v.Batch != batch || v.Key != key || v.Value != value {
		return nil
	}
	return v.Err
}

// IntakeRefused reports whether err is a refusal by the intake rules.
func IntakeRefused(err error) bool { return store.IntakeRefused(err) }

// intakeRefusal says why the intake rules refuse the person a place in
// b, and whom to ask.
func (t *turn) intakeRefusal(b store.Batch, err error) string {
	im := locale.For(t.m.Lang).Intake
	co := t.w.Course
	if c, ok := t.w.Catalog.CourseOf(b.ID); ok {
		co = c
	}
	most := max(co.MaxBatchesPerPerson, 1)
	var text string
	switch e := b.Eligibility; {
	case errors.Is(err, store.ErrNIKTaken):
		text = fmt.Sprintf(im.NIKTaken, esc(b.Name))
	case errors.Is(err, store.ErrTooManyPlaces) && co.PlacesFull(b, t.w.SignedUp, t.w.Now):
		return fmt.Sprintf(im.AccountFull, esc(b.Name), most)
	case errors.Is(err, store.ErrTooManyPlaces):
		text = fmt.Sprintf(im.NIKFull, most)
	case errors.Is(err, store.ErrTooYoung):
		text = fmt.Sprintf(im.TooYoung, esc(b.Name), e.MinAge, t.m.Date(b.Start))
	case errors.Is(err, store.ErrTooOld):
		text = fmt.Sprintf(im.TooOld, esc(b.Name), e.MaxAge, t.m.Date(b.Start))
	case errors.Is(err, store.ErrRegion):
		text = fmt.Sprintf(im.Region, esc(b.Name))
	default:
		text = fmt.Sprintf(im.Recent, e.ExcludeMonths)
	}
	switch {
	case co.Contact != "":
		text += "\n\n" + fmt.Sprintf(im.AskContact, esc(co.Contact))
	case co.Organiser != "":
		text += "\n\n" + fmt.Sprintf(im.AskOrganiser, esc(co.Organiser))
	}
	return text
}

// intakeFail tells a person whose Konfirmasi (or changed answers) the
// seat transaction refused by the intake rules why, and lets them change
// the answer: the answers are kept. A person whose own places fill the
// course has nothing to change: the form ends.
func (t *turn) intakeFail(b store.Batch, err error) {
	t.say(t.intakeRefusal(b, err))
	co, _ := t.w.Catalog.CourseOf(b.ID)
	if errors.Is(err, store.ErrTooManyPlaces) && co.PlacesFull(b, t.w.SignedUp, t.w.Now) {
		t.reset()
		return
	}
	t.say(locale.For(t.m.Lang).Intake.FixAnswer)
	t.goTo(StateEditPick)
	t.prompt()
}

// placesFullNote says, on the welcome, that the person holds as many
// places in the course as it allows, when that is why a batch is not
// offered; "" otherwise.
func (t *turn) placesFullNote(bt store.Batch) string {
	c := t.w.Course
	if !bt.Open || bt.Started(t.w.Now) || t.holds(bt.ID, store.StatusRegistered) || t.holds(bt.ID, store.StatusWaiting) ||
		!c.PlacesFull(bt, t.w.SignedUp, t.w.Now) {
		return ""
	}
	return fmt.Sprintf(locale.For(t.m.Lang).Intake.AccountFull, esc(bt.Name), max(c.MaxBatchesPerPerson, 1))
}
