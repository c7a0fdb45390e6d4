package bot

import (
	"errors"
	"fmt"
	"strings"

	"github.com/daftar-bot/daftar/bot/callback"
	"github.com/daftar-bot/daftar/bot/conversation"
	"github.com/daftar-bot/daftar/bot/locale"
	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram"
)

// errSkip is returned by render when an entry is no longer meant to be sent.
var errSkip = telegram.ErrSkip

// sentOne is told by the dispatcher of every entry done with: the copies
// of an announcement move its progress message.
func (b *Bot) sentOne(e store.OutboxEntry) {
	if e.Kind == store.KindAnnouncement {
		b.progress.Notify()
	}
}

// prepare turns an entry into its request: an announcement is copied
// from the organiser's chat (copyMessage keeps media and formatting), the
// rest is rendered.
func (b *Bot) prepare(e store.OutboxEntry) (telegram.Outgoing, error) {
	if e.Kind == store.KindDocument {
		return b.renderCertificate(e)
	}
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
// language at this moment; errSkip when it no longer applies.
func (b *Bot) render(e store.OutboxEntry) (reply, error) {
	var r reply
	err := b.db.View(func(tx *store.Tx) error {
		lang := b.first().Language
		if c, ok, err := tx.Conversation(e.UserID); err == nil && ok && c.Lang != "" {
			lang = c.Lang
		}
		m := locale.For(lang).Messages
		var err error
		switch e.Kind {
		case store.KindReminder:
			r, err = b.renderReminder(tx, m, e)
		case store.KindOffer:
			r, err = b.renderOffer(tx, m, e)
		case store.KindNotice:
			r, err = b.renderNotice(m, e)
		case store.KindSurvey:
			r, err = b.renderSurvey(tx, lang, e)
		case store.KindResult:
			r, err = b.renderResult(tx, lang, e)
		case store.KindStillComing:
			r, err = b.renderStillComing(tx, lang, e)
		default:
			err = fmt.Errorf("unknown outbox kind %q", e.Kind)
		}
		return err
	})
	return r, err
}

// renderReminder is a session reminder, skipped unless the person still
// holds a seat.
func (b *Bot) renderReminder(tx *store.Tx, m *locale.Messages, e store.OutboxEntry) (reply, error) {
	rem, err := e.Reminder()
	if err != nil {
		return reply{}, err
	}
	bt, c, ok := b.cat.Batch(rem.Batch)
	if !ok {
		return reply{}, fmt.Errorf("unknown batch %q", rem.Batch)
	}
	p, err := tx.Participant(bt.ID, e.UserID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && p.Status != store.StatusRegistered) {
		return reply{}, errSkip
	}
	if err != nil {
		return reply{}, err
	}
	if rem.Day < 1 || rem.Day > bt.Days {
		return reply{}, fmt.Errorf("reminder day %q", fmt.Sprint(rem.Day))
	}
	return reply{Text: reminderText(m, c, bt, rem.Day, rem.Slot)}, nil
}

// renderOffer is a seat offer with its Accept / Decline buttons, skipped
// when the offer is no longer outstanding.
func (b *Bot) renderOffer(tx *store.Tx, m *locale.Messages, e store.OutboxEntry) (reply, error) {
	op, err := e.Offer()
	if err != nil {
		return reply{}, err
	}
	bt, c, ok := b.cat.Batch(op.Batch)
	if !ok {
		return reply{}, fmt.Errorf("unknown batch %q", op.Batch)
	}
	o, ok, err := tx.OfferOf(bt.ID, e.UserID)
	if err != nil {
		return reply{}, err
	}
	if !ok || o.Key != e.Key || !b.now().Before(o.Until) {
		return reply{}, errSkip
	}
	text := fmt.Sprintf(m.Offer, esc(b.named(m, bt)), m.DateRange(bt.Start, bt.End()), m.Moment(o.Until.In(c.Location)))
	data := func(action string) string { return callback.Data{Action: action, Arg: bt.ID}.String() }
	return reply{Text: text, Inline: [][]button{{
		{Text: m.BtnAccept, Data: data(conversation.ActAccept)}, {Text: m.BtnDecline, Data: data(conversation.ActRefuse)},
	}}}, nil
}

// renderNotice is the notice that a seat offer expired, or was withdrawn
// when registration closed.
func (b *Bot) renderNotice(m *locale.Messages, e store.OutboxEntry) (reply, error) {
	n, err := e.Notice()
	if err != nil {
		return reply{}, err
	}
	bt, co, ok := b.cat.Batch(n.Batch)
	if !ok {
		return reply{}, fmt.Errorf("unknown batch %q", n.Batch)
	}
	if text, ok := b.admissionNotice(m, bt, co, n); ok {
		return reply{Text: text}, nil
	}
	switch n.Notice {
	case store.NoticeOfferExpired:
		return reply{Text: fmt.Sprintf(m.OfferExpired, esc(b.named(m, bt))) + locale.ContactLine(m, co, "\n\n")}, nil
	case store.NoticeOfferWithdrawn:
		return reply{Text: fmt.Sprintf(locale.For(m.Lang).Offer.Withdrawn, esc(b.named(m, bt))) + locale.ContactLine(m, co, "\n\n")}, nil
	case store.NoticeStaffCancelled, store.NoticeStaffMoved:
		return b.desk.Notice(m, e, n, bt, co)
	}
	return reply{}, fmt.Errorf("unknown outbox entry %s/%s", e.Kind, n.Notice)
}

// named is how a batch is named to people: its name, with its course's
// title before it when the bot serves several courses.
func (b *Bot) named(m *locale.Messages, bt store.Batch) string { return m.Named(b.cat, bt) }

// reminderText says which course, which day of how many, the date, hours,
// venue, what to bring; on the last day that it is the last; on the
// evening before the first what to do when one cannot come.
func reminderText(m *locale.Messages, c store.Course, bt store.Batch, day int, slot store.Slot) string {
	head := m.ReminderMorning
	if slot == store.Evening {
		head = m.ReminderEvening
	}
	parts := []string{
		fmt.Sprintf(head, esc(c.Title)),
		fmt.Sprintf(m.ReminderBody, day, bt.Days, m.Date(bt.Day(day)), locale.Hours(bt), esc(c.Venue)),
	}
	if c.Bring != "" {
		parts = append(parts, fmt.Sprintf(m.ReminderBring, esc(c.Bring)))
	}
	if day == bt.Days && bt.Days > 1 {
		parts = append(parts, m.ReminderLastDay)
	}
	if day == 1 && slot == store.Evening {
		parts = append(parts, m.ReminderFirstEvening)
	}
	if line := locale.ContactLine(m, c, ""); line != "" {
		parts = append(parts, line)
	}
	return strings.Join(parts, "\n")
}
