package bot

import (
	"errors"
	"fmt"

	"github.com/daftar-bot/daftar/bot/callback"
	"github.com/daftar-bot/daftar/bot/conversation"
	"github.com/daftar-bot/daftar/bot/locale"
	"github.com/daftar-bot/daftar/store"
)

// The participants' side of admission (store/selection.go,
// store/confirm.go) as the outbox sends it: the results, the selected's
// confirmation and "still coming?" before the start. Their buttons are
// the conversation's (bot/conversation/selection.go).

// renderResult is a KindResult entry: the applicant's result, the
// selected's with Saya ikut / Tidak jadi while the seat is held for them.
// Skipped when it no longer applies (erased, withdrawn, the batch gone).
func (b *Bot) renderResult(tx *store.Tx, lang string, e store.OutboxEntry) (reply, error) {
	res, err := e.Result()
	if err != nil {
		return reply{}, err
	}
	bt, co, ok := b.cat.Batch(res.Batch)
	if !ok {
		return reply{}, errSkip
	}
	p, err := tx.Participant(bt.ID, e.UserID)
	if errors.Is(err, store.ErrNotFound) {
		return reply{}, errSkip
	}
	if err != nil {
		return reply{}, err
	}
	sm, m := locale.For(lang).Selection, locale.For(lang).Messages
	named := esc(b.named(m, bt))
	switch res.Result {
	case store.ResultSelected:
		o, held, err := tx.OfferOf(bt.ID, e.UserID)
		if err != nil {
			return reply{}, err
		}
		if !held || o.Key != e.Key || !b.now().Before(o.Until) {
			return reply{}, errSkip // answered (from /status) or expired meanwhile
		}
		data := func(action string) string { return callback.Data{Action: action, Arg: bt.ID}.String() }
		return reply{Text: fmt.Sprintf(sm.ResultSelected, named, m.DateRange(bt.Start, bt.End()), m.Moment(o.Until.In(co.Location))),
			Inline: [][]button{{{Text: sm.BtnAttend, Data: data(conversation.ActAttend)}, {Text: sm.BtnNotAttend, Data: data(conversation.ActNotAttend)}}}}, nil
	case store.ResultReserve:
		if p.Status != store.StatusReserve {
			return reply{}, errSkip
		}
		rank, err := tx.ReserveRank(bt.ID, e.UserID)
		if err != nil {
			return reply{}, err
		}
		return reply{Text: fmt.Sprintf(sm.ResultReserve, named, rank)}, nil
	case store.ResultNotSelected:
		if p.Status != store.StatusNotSelected {
			return reply{}, errSkip
		}
		return reply{Text: fmt.Sprintf(sm.ResultNotSelected, named) + locale.ContactLine(m, co, "\n\n")}, nil
	}
	return reply{}, fmt.Errorf("unknown result %q", res.Result)
}

// renderStillComing is a KindStillComing entry: "still coming?" with
// Saya hadir / Tidak jadi, skipped once it no longer applies (answered,
// expired, the seat given up).
func (b *Bot) renderStillComing(tx *store.Tx, lang string, e store.OutboxEntry) (reply, error) {
	sc, err := e.StillComing()
	if err != nil {
		return reply{}, err
	}
	bt, co, ok := b.cat.Batch(sc.Batch)
	if !ok {
		return reply{}, errSkip
	}
	p, err := tx.Participant(bt.ID, e.UserID)
	if errors.Is(err, store.ErrNotFound) || err == nil && p.Status != store.StatusRegistered {
		return reply{}, errSkip
	}
	if err != nil {
		return reply{}, err
	}
	asked, ok, err := tx.StillComingOf(bt.ID, e.UserID)
	if err != nil {
		return reply{}, err
	}
	if !ok || asked.Answer != "" || asked.Expired {
		return reply{}, errSkip
	}
	sm, m := locale.For(lang).Selection, locale.For(lang).Messages
	tail := sm.StillComingKeep
	if bt.Admission.Release {
		tail = sm.StillComingRelease
	}
	text := fmt.Sprintf(sm.StillComingAsk, esc(b.named(m, bt)), m.Date(bt.Start), locale.Hours(bt), esc(co.Venue),
		m.Moment(asked.Until.In(co.Location))) + "\n\n" + tail
	data := func(action string) string { return callback.Data{Action: action, Arg: bt.ID}.String() }
	return reply{Text: text, Inline: [][]button{{{Text: sm.BtnComing, Data: data(conversation.ActComing)}, {Text: sm.BtnNotComing, Data: data(conversation.ActNotComing)}}}}, nil
}

// admissionNotice is the text of admission's notices; false for others.
func (b *Bot) admissionNotice(m *locale.Messages, bt store.Batch, co store.Course, n store.NoticePayload) (string, bool) {
	sm := locale.For(m.Lang).Selection
	switch n.Notice {
	case store.NoticeSelectionExpired:
		return fmt.Sprintf(sm.SelectionExpired, esc(b.named(m, bt))) + locale.ContactLine(m, co, "\n\n"), true
	case store.NoticeUnconfirmedReleased:
		return fmt.Sprintf(sm.UnconfirmedReleased, esc(b.named(m, bt))) + locale.ContactLine(m, co, "\n\n"), true
	}
	return "", false
}
