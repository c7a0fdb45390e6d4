package desk

import (
	"fmt"

	"github.com/daftar-bot/daftar/bot/locale"
	"github.com/daftar-bot/daftar/store"
)

// Notice is a notice of the staff's actions: a cancellation by
// the organisers (with its reason) or a move to another batch.
func (d *Desk) Notice(m *locale.Messages, e store.OutboxEntry, n store.NoticePayload, bt store.Batch, co store.Course) (reply, error) {
	dm := locale.Worded(m.Lang, co.BatchWord).Desk
	switch n.Notice {
	case store.NoticeStaffCancelled:
		text := fmt.Sprintf(dm.NoticeCancelled, esc(m.Named(d.Cat, bt)))
		if reason := e.Data["reason"]; reason != "" {
			text += "\n\n" + fmt.Sprintf(dm.NoticeReason, esc(reason))
		}
		return reply{Text: text + locale.ContactLine(m, co, "\n\n")}, nil
	case store.NoticeStaffMoved:
		from := e.Data["from"]
		if o, _, ok := d.Cat.Batch(from); ok {
			from = m.Named(d.Cat, o)
		}
		text := fmt.Sprintf(dm.NoticeMoved, esc(from), esc(m.Named(d.Cat, bt)), m.DateRange(bt.Start, bt.End()))
		return reply{Text: text + locale.ContactLine(m, co, "\n\n")}, nil
	}
	return reply{}, fmt.Errorf("unknown outbox entry %s/%s", e.Kind, n.Notice)
}
