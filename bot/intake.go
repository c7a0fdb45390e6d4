package bot

import (
	"errors"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/daftar-bot/daftar/bot/locale"
	"github.com/daftar-bot/daftar/form"
	"github.com/daftar-bot/daftar/store"
)

// The intake rules in the conversation: the store's one rule
// (store.Tx.CheckIntake) is asked, before the transition, about the
// answer the input is about to give, so that a NIK held by someone else,
// an age or a region the batch does not take is refused as soon as it is
// typed; the seat transaction asks it again.

// IntakeVerdict is CheckIntake's answer about batch with the answers as
// the input would leave them: key set to value (key "" when the input
// chooses the batch with the answers as they are). The zero value
// refuses nothing.
type IntakeVerdict struct {
	batch, key, value string
	err               error
}

// refuses returns the refusal of the answer value to key in batch, nil
// when the verdict is about anything else or allows it.
func (v IntakeVerdict) refuses(batch, key, value string) error {
	if v.err == nil || v.batch != batch || v.key != key || v.value != value {
		return nil
	}
	return v.err
}

// intakeVerdict asks the store about the answer in gives in conversation
// c: a typed NIK or birth date, or a batch chosen while changing the
// answers. Other inputs get the zero verdict without reading anything.
func (b *Bot) intakeVerdict(tx *store.Tx, c store.Conversation, in Input, w World) (IntakeVerdict, error) {
	var v IntakeVerdict
	answers := c.Answers
	rules := w.Course.Intake()
	switch {
	case c.State == StateField && in.Kind == inText && c.Step >= 0 && c.Step < len(w.Course.Fields):
		f := w.Course.Fields[c.Step]
		if f.Key != rules.NIKField && f.Key != rules.BirthField {
			return v, nil
		}
		val, err := form.Parse(f, c.Lang, in.Text, w.Now)
		if err != nil || val == "" {
			return v, nil // the transition explains what is wrong
		}
		answers = maps.Clone(answers)
		if answers == nil {
			answers = map[string]string{}
		}
		answers[f.Key] = val
		v = IntakeVerdict{batch: c.Batch, key: f.Key, value: val}
	case (c.State == StateFull || c.State == StateBatch && c.Editing) && len(answers) > 0 &&
		in.Kind == inButton && in.Button.Action == ActBatch:
		v = IntakeVerdict{batch: in.Button.Arg}
	default:
		return v, nil
	}
	bt, ok := w.Course.Batch(v.batch)
	if !ok {
		return IntakeVerdict{}, nil
	}
	err := tx.CheckIntake(b.seats(bt), store.Participant{UserID: c.UserID, Batch: bt.ID, Answers: answers}, w.Now)
	if err != nil && !IntakeRefused(err) {
		return IntakeVerdict{}, err
	}
	v.err = err
	return v, nil
}

// auditNIKConflict records in the audit log that userID gave a NIK that
// holds a place in batch under another account, when err says so: the
// organisers see that someone tried, not the NIK.
func auditNIKConflict(tx *store.Tx, userID int64, batch string, err error, now time.Time) error {
	if !errors.Is(err, store.ErrNIKTaken) {
		return nil
	}
	return tx.Audit(store.AuditEntry{At: now, By: userID, Action: store.AuditNIKConflict, Batch: batch})
}

// IntakeRefused reports whether err is a refusal by the intake rules.
func IntakeRefused(err error) bool {
	for _, e := range []error{store.ErrNIKTaken, store.ErrTooManyPlaces, store.ErrTooYoung, store.ErrTooOld, store.ErrRegion, store.ErrRecentlyTrained} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

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

// sharedPhoneLine is the organisers' warning under a participant whose
// phone number other people of the course use too; "" when nobody does.
func (b *Bot) sharedPhoneLine(r *orgReq, tx *store.Tx, p store.Participant) (string, error) {
	c := b.courseFor(p.Batch)
	shared, err := tx.SharedPhones(c)
	if err != nil {
		return "", err
	}
	var others []string
	for _, q := range shared[c.PhoneOf(p)] {
		if q.UserID == p.UserID || p.NIK != "" && q.NIK == p.NIK {
			continue // the same person
		}
		bt, _ := c.Batch(q.Batch)
		others = append(others, esc(c.DisplayName(q))+" ("+esc(bt.Name)+")")
	}
	if len(others) == 0 {
		return "", nil
	}
	return fmt.Sprintf(locale.For(r.lang).Intake.PhoneShared, strings.Join(others, ", ")), nil
}
