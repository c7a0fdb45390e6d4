package bot

import (
	"fmt"

	"github.com/daftar-bot/daftar/bot/locale"
	"github.com/daftar-bot/daftar/store"
)

// renderDeskNotice is a notice of the staff's actions: a cancellation by
// the organisers (with its reason) or a move to another batch.
func (b *Bot) renderDeskNotice(m *locale.Messages, e store.OutboxEntry, n store.NoticePayload, bt store.Batch, co store.Course) (reply, error) {
	d := locale.Worded(m.Lang, co.BatchWord).Desk
	switch n.Notice {
	case store.NoticeStaffCancelled:
		text := fmt.Sprintf(d.NoticeCancelled, esc(b.named(m, bt)))
		if reason := e.Data["reason"]; reason != "" {
			text += "\n\n" + fmt.Sprintf(d.NoticeReason, esc(reason))
		}
		return reply{Text: text + locale.ContactLine(m, co, "\n\n")}, nil
	case store.NoticeStaffMoved:
		from := e.Data["from"]
		if o, _, ok := b.cat.Batch(from); ok {
			from = b.named(m, o)
		}
		text := fmt.Sprintf(d.NoticeMoved, esc(from), esc(b.named(m, bt)), m.DateRange(bt.Start, bt.End()))
		return reply{Text: text + locale.ContactLine(m, co, "\n\n")}, nil
	}
	return reply{}, fmt.Errorf("unknown outbox entry %s/%s", e.Kind, n.Notice)
}
