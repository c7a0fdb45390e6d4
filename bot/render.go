package bot

import (
	"errors"
	"fmt"
	"strings"

	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram"
)

// errSkip is returned by render when an entry is no longer meant to be sent.
var errSkip = telegram.ErrSkip

// sentOne is told by the dispatcher of every entry done with: the copies
// of an announcement move its progress message.
func (b *Bot) sentOne(e store.OutboxEntry) {
	if e.Kind == store.KindAnnouncement {
		b.progress.notify()
	}
}

// prepare turns an entry into its request: an announcement is copied
// from the organiser's chat (copyMessage keeps media and formatting), the
// rest is rendered.
func (b *Bot) prepare(e store.OutboxEntry) (telegram.Outgoing, error) {
	if e.Kind != store.KindAnnouncement {
		m, err := b.render(e)
		return telegram.Outgoing{Message: m}, err
	}
	src, err := e.AnnouncementCopy()
	if err != nil {
		return telegram.Outgoing{}, err
	}
	return telegram.Outgoing{Copy: &telegram.Copy{FromChat: src.FromChat, MessageID: src.MessageID}}, nil
}

// render turns an entry into the message to send, in the recipient's
// language at this moment.
func (b *Bot) render(e store.OutboxEntry) (reply, error) {
	var r reply
	err := b.db.View(func(tx *store.Tx) error {
		lang := b.course.Language
		if c, ok, err := tx.Conversation(e.UserID); err == nil && ok && c.Lang != "" {
			lang = c.Lang
		}
		m := messages(lang)
		switch e.Kind {
		case store.KindReminder:
			rem, err := e.Reminder()
			if err != nil {
				return err
			}
			bt, ok := b.course.Batch(rem.Batch)
			if !ok {
				return fmt.Errorf("unknown batch %q", rem.Batch)
			}
			p, err := tx.Participant(bt.ID, e.UserID)
			if errors.Is(err, store.ErrNotFound) || (err == nil && p.Status != store.StatusRegistered) {
				return errSkip
			}
			if err != nil {
				return err
			}
			if rem.Day < 1 || rem.Day > bt.Days {
				return fmt.Errorf("reminder day %q", fmt.Sprint(rem.Day))
			}
			r.Text = b.reminderText(m, bt, rem.Day, rem.Slot)
		case store.KindOffer, store.KindNotice:
			var err error
			r, err = b.renderWaitlist(tx, m, e)
			return err
		default:
			return fmt.Errorf("unknown outbox kind %q", e.Kind)
		}
		return nil
	})
	return r, err
}

// reminderText says which day of how many, the date, hours, venue, what to
// bring; on the last day that it is the last; on the evening before the
// first what to do when one cannot come.
func (b *Bot) reminderText(m *Messages, bt store.Batch, day int, slot store.Slot) string {
	head := m.ReminderMorning
	if slot == store.Evening {
		head = m.ReminderEvening
	}
	parts := []string{
		fmt.Sprintf(head, esc(b.course.Title)),
		fmt.Sprintf(m.ReminderBody, day, bt.Days, m.date(bt.Day(day)), hours(bt), esc(b.course.Venue)),
	}
	if b.course.Bring != "" {
		parts = append(parts, fmt.Sprintf(m.ReminderBring, esc(b.course.Bring)))
	}
	if day == bt.Days && bt.Days > 1 {
		parts = append(parts, m.ReminderLastDay)
	}
	if day == 1 && slot == store.Evening {
		parts = append(parts, m.ReminderFirstEvening)
	}
	return strings.Join(parts, "\n")
}
