package desk

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

// Results is /hasil.
func (d *Desk) Results(r *organiser.Request, tx *store.Tx) (organiser.Result, error) {
	bt, res, ok := selectionBatch(r, "hasil")
	if !ok {
		return res, nil
	}
	sm := locale.For(r.Lang).Selection
	if at, sent := tx.ResultsSent(bt.ID); sent {
		return organiser.Say(fmt.Sprintf(sm.SelSent, esc(r.Named(bt)), r.PM.Moment(at.In(d.courseFor(bt.ID).Location)))), nil
	}
	if bt.Started(r.Now) {
		return organiser.Say(fmt.Sprintf(sm.ResStarted, esc(r.Named(bt)))), nil
	}
	as, err := tx.Applicants(bt.ID)
	if err != nil {
		return organiser.Result{}, err
	}
	if len(as) == 0 {
		return organiser.Say(fmt.Sprintf(sm.ResNobody, esc(r.Named(bt)))), nil
	}
	n := store.CountDecisions(as)
	text := fmt.Sprintf(sm.ResPreview, esc(r.Named(bt)), n.Selected, bt.Capacity, int(bt.Admission.ConfirmWindow.Hours()),
		n.Reserve, n.NotSelected, n.Undecided)
	return organiser.Result{Replies: []reply{{Text: text, Inline: [][]button{{
		organiser.Button(r.M.BtnSend, 0, ActResultsSend, bt.ID), organiser.Button(r.M.BtnCancel, 0, organiser.ActDismiss, ""),
	}}}}}, nil
}

// PressResultsSend is Kirim: the results go out, or the preview says why
// not (sent already, the batch started, too many selected).
func (d *Desk) PressResultsSend(r *organiser.Request, tx *store.Tx, bt store.Batch, _ callback.Data) (organiser.Result, error) {
	sm := locale.For(r.Lang).Selection
	if !bt.Admission.Selection {
		return r.Stale(), nil
	}
	n, _, err := tx.SendResults(d.Seats(bt), r.Now)
	edit := func(text string) (organiser.Result, error) { return organiser.Result{Edit: &reply{Text: text}}, nil }
	switch {
	case errors.Is(err, store.ErrResultsSent):
		at, _ := tx.ResultsSent(bt.ID)
		return edit(fmt.Sprintf(sm.SelSent, esc(r.Named(bt)), r.PM.Moment(at.In(d.courseFor(bt.ID).Location))))
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

// AdmissionAudit is the /log line of an admission entry; false for others.
func (d *Desk) AdmissionAudit(r *organiser.Request, tx *store.Tx, e store.AuditEntry, batch string) (string, bool) {
	sm := locale.For(r.Lang).Selection
	switch e.Action {
	case store.AuditDecision:
		name := r.M.Someone
		if p, err := tx.Participant(e.Batch, e.Subject); err == nil {
			name = d.courseFor(e.Batch).DisplayName(p)
		}
		return fmt.Sprintf(sm.LogDecision, esc(name), esc(batch), esc(decisionLabel(sm, store.Status(e.Detail)))), true
	case store.AuditResultsSent:
		return fmt.Sprintf(sm.LogResults, esc(batch), esc(e.Detail)), true
	}
	return "", false
}
