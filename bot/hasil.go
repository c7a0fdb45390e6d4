package bot

import (
	"errors"
	"fmt"

	"github.com/daftar-bot/daftar/bot/callback"
	"github.com/daftar-bot/daftar/bot/locale"
	"github.com/daftar-bot/daftar/bot/organiser"
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
	sm := locale.For(r.Lang).Selection
	b.orgDo(r, func(tx *store.Tx) (organiser.Result, error) {
		say := func(text string) (organiser.Result, error) {
			return organiser.Result{Replies: []reply{{Text: text}}}, nil
		}
		if at, sent := tx.ResultsSent(bt.ID); sent {
			return say(fmt.Sprintf(sm.SelSent, esc(r.Named(bt)), r.PM.Moment(at.In(b.courseFor(bt.ID).Location))))
		}
		if bt.Started(r.Now) {
			return say(fmt.Sprintf(sm.ResStarted, esc(r.Named(bt))))
		}
		as, err := tx.Applicants(bt.ID)
		if err != nil {
			return organiser.Result{}, err
		}
		if len(as) == 0 {
			return say(fmt.Sprintf(sm.ResNobody, esc(r.Named(bt))))
		}
		n := store.CountDecisions(as)
		text := fmt.Sprintf(sm.ResPreview, esc(r.Named(bt)), n.Selected, bt.Capacity, int(bt.Admission.ConfirmWindow.Hours()),
			n.Reserve, n.NotSelected, n.Undecided)
		return organiser.Result{Replies: []reply{{Text: text, Inline: [][]button{{
			organiser.Button(r.M.BtnSend, 0, actResultsSend, bt.ID), organiser.Button(r.M.BtnCancel, 0, actDismiss, ""),
		}}}}}, nil
	})
}

// pressResultsSend is Kirim: the results go out, or the preview says why
// not (sent already, the batch started, too many selected).
func (b *Bot) pressResultsSend(r *orgReq, tx *store.Tx, bt store.Batch, _ callback.Data) (organiser.Result, error) {
	sm := locale.For(r.Lang).Selection
	if !bt.Admission.Selection {
		return r.Stale(), nil
	}
	n, _, err := tx.SendResults(b.seats(bt), r.Now)
	edit := func(text string) (organiser.Result, error) { return organiser.Result{Edit: &reply{Text: text}}, nil }
	switch {
	case errors.Is(err, store.ErrResultsSent):
		at, _ := tx.ResultsSent(bt.ID)
		return edit(fmt.Sprintf(sm.SelSent, esc(r.Named(bt)), r.PM.Moment(at.In(b.courseFor(bt.ID).Location))))
	case errors.Is(err, store.ErrBatchStarted):
		return edit(fmt.Sprintf(sm.ResStarted, esc(r.Named(bt))))
	case errors.Is(err, store.ErrSelectionFull):
		return edit(fmt.Sprintf(sm.ResFull, esc(r.Named(bt)), n.Selected, bt.Capacity))
	case err != nil:
		return organiser.Result{}, err
	}
	notSelected := n.NotSelected + n.Undecided
	detail := fmt.Sprintf("selected=%d reserve=%d not_selected=%d", n.Selected, n.Reserve, notSelected)
	if err := r.Audit(tx, store.AuditEntry{Action: store.AuditResultsSent, Batch: bt.ID, Detail: detail}); err != nil {
		return organiser.Result{}, err
	}
	return organiser.Result{
		Edit: &reply{Text: fmt.Sprintf(sm.ResDone, esc(r.Named(bt)), n.Selected, n.Reserve, notSelected)},
		Sent: true,
	}, nil
}

// admissionAudit is the /log line of an admission entry; false for others.
func (b *Bot) admissionAudit(r *orgReq, tx *store.Tx, e store.AuditEntry, batch string) (string, bool) {
	sm := locale.For(r.Lang).Selection
	switch e.Action {
	case store.AuditDecision:
		name := r.M.Someone
		if p, err := tx.Participant(e.Batch, e.Subject); err == nil {
			name = b.courseFor(e.Batch).DisplayName(p)
		}
		return fmt.Sprintf(sm.LogDecision, esc(name), esc(batch), esc(decisionLabel(sm, store.Status(e.Detail)))), true
	case store.AuditResultsSent:
		return fmt.Sprintf(sm.LogResults, esc(batch), esc(e.Detail)), true
	}
	return "", false
}

// orgStatus is a participant Status as an organiser reads it.
func (r *orgReq) Status(s store.Status) string {
	sm := locale.For(r.Lang).Selection
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
	return r.M.Status(s)
}
