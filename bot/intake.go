package bot

import (
	"errors"
	"maps"
	"time"

	"github.com/daftar-bot/daftar/bot/conversation"
	"github.com/daftar-bot/daftar/form"
	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram"
)

// The intake rules in the handler: the store's one rule
// (store.Tx.CheckIntake) is asked, before the transition, about the
// answer the input is about to give, so that a NIK held by someone else,
// an age or a region the batch does not take is refused as soon as it is
// typed (conversation.IntakeVerdict); the seat transaction asks it again.

// intakeVerdict asks the store about the answer in gives in conversation
// c: a typed NIK or birth date, or a batch chosen while changing the
// answers. Other inputs get the zero verdict without reading anything.
func (b *Bot) intakeVerdict(tx *store.Tx, c store.Conversation, in conversation.Input, w conversation.World) (conversation.IntakeVerdict, error) {
	var v conversation.IntakeVerdict
	answers := c.Answers
	rules := w.Course.Intake()
	switch {
	case c.State == conversation.StateField && in.Kind == telegram.InText && c.Step >= 0 && c.Step < len(w.Course.Fields):
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
		v = conversation.IntakeVerdict{Batch: c.Batch, Key: f.Key, Value: val}
	case (c.State == conversation.StateFull || c.State == conversation.StateBatch && c.Editing) && len(answers) > 0 &&
		in.Kind == telegram.InButton && in.Button.Action == conversation.ActBatch:
		v = conversation.IntakeVerdict{Batch: in.Button.Arg}
	default:
		return v, nil
	}
	bt, ok := w.Course.Batch(v.Batch)
	if !ok {
		return conversation.IntakeVerdict{}, nil
	}
	err := tx.CheckIntake(b.seats(bt), store.Participant{UserID: c.UserID, Batch: bt.ID, Answers: answers}, w.Now)
	if err != nil && !conversation.IntakeRefused(err) {
		return conversation.IntakeVerdict{}, err
	}
	v.Err = err
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
