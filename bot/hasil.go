package bot

import (
	"errors"
	"fmt"

	"github.com/daftar-bot/daftar/bot/callback"
	"github.com/daftar-bot/daftar/bot/locale"
	"github.com/daftar-bot/daftar/store"
)

// /hasil <batch> (/results): a preview of a selection's results with
// their counts, then Kirim, which sends every applicant theirs through
// the outbox, once (store.Tx.SendResults; one idempotency key a person).

func (b *Bot) cmdResults(r *orgReq) {
	bt, ok := b.selectionBatch(r, "hasil")
	if !ok {
		return
	}
	sm := locale.For(r.lang).Selection
	b.orgDo(r, func(tx *store.Tx) (orgResult, error) {
		say := func(text string) (orgResult, error) { return orgResult{replies: []reply{{Text: text}}}, nil }
		if at, sent := tx.ResultsSent(bt.ID); sent {
			return say(fmt.Sprintf(sm.SelSent, esc(r.named(bt)), r.pm.Moment(at.In(b.courseFor(bt.ID).Location))))
		}
		if bt.Started(r.now) {
			return say(fmt.Sprintf(sm.ResStarted, esc(r.named(bt))))
		}
		as, err := tx.Applicants(bt.ID)
		if err != nil {
			return orgResult{}, err
		}
		if len(as) == 0 {
			return say(fmt.Sprintf(sm.ResNobody, esc(r.named(bt))))
		}
		n := store.CountDecisions(as)
		text := fmt.Sprintf(sm.ResPreview, esc(r.named(bt)), n.Selected, bt.Capacity, int(bt.Admission.ConfirmWindow.Hours()),
			n.Reserve, n.NotSelected, n.Undecided)
		return orgResult{replies: []reply{{Text: text, Inline: [][]button{{
			orgButton(r.m.BtnSend, 0, actResultsSend, bt.ID), orgButton(r.m.BtnCancel, 0, actDismiss, ""),
		}}}}}, nil
	})
}

// pressResultsSend is Kirim: the results go out, or the preview says why
// not (sent already, the batch started, too many selected).
func (b *Bot) pressResultsSend(r *orgReq, tx *store.Tx, bt store.Batch, _ callback.Data) (orgResult, error) {
	sm := locale.For(r.lang).Selection
	if !bt.Admission.Selection {
		return r.stale(), nil
	}
	n, _, err := tx.SendResults(b.seats(bt), r.now)
	edit := func(text string) (orgResult, error) { return orgResult{edit: &reply{Text: text}}, nil }
	switch {
	case errors.Is(err, store.ErrResultsSent):
		at, _ := tx.ResultsSent(bt.ID)
		return edit(fmt.Sprintf(sm.SelSent, esc(r.named(bt)), r.pm.Moment(at.In(b.courseFor(bt.ID).Location))))
	case errors.Is(err, store.ErrBatchStarted):
		return edit(fmt.Sprintf(sm.ResStarted, esc(r.named(bt))))
	case errors.Is(err, store.ErrSelectionFull):
		return edit(fmt.Sprintf(sm.ResFull, esc(r.named(bt)), n.Selected, bt.Capacity))
	case err != nil:
		return orgResult{}, err
	}
	notSelected := n.NotSelected + n.Undecided
	detail := fmt.Sprintf("selected=%d reserve=%d not_selected=%d", n.Selected, n.Reserve, notSelected)
	if err := r.audit(tx, store.AuditEntry{Action: store.AuditResultsSent, Batch: bt.ID, Detail: detail}); err != nil {
		return orgResult{}, err
	}
	return orgResult{
		edit: &reply{Text: fmt.Sprintf(sm.ResDone, esc(r.named(bt)), n.Selected, n.Reserve, notSelected)},
		sent: true,
	}, nil
}

// admissionAudit is the /log line of an admission entry; false for others.
func (b *Bot) admissionAudit(r *orgReq, tx *store.Tx, e store.AuditEntry, batch string) (string, bool) {
	sm := locale.For(r.lang).Selection
	switch e.Action {
	case store.AuditDecision:
		name := r.m.Someone
		if p, err := tx.Participant(e.Batch, e.Subject); err == nil {
			name = b.courseFor(e.Batch).DisplayName(p)
		}
		return fmt.Sprintf(sm.LogDecision, esc(name), esc(batch), esc(decisionLabel(sm, store.Status(e.Detail)))), true
	case store.AuditResultsSent:
		return fmt.Sprintf(sm.LogResults, esc(batch), esc(e.Detail)), true
	}
	return "", false
}

// orgStatus is a participant status as an organiser reads it.
func (r *orgReq) status(s store.Status) string {
	sm := locale.For(r.lang).Selection
	switch s {
	case store.StatusApplied:
		return sm.WordApplied
	case store.StatusSelected:
		return sm.WordSelected
	case store.StatusReserve:
		return sm.BtnReserve
	case store.StatusNotSelected:
		return sm.WordNotSelected
	}
	return r.m.Status(s)
}
