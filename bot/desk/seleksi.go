package desk

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/daftar-bot/daftar/bot/callback"
	"github.com/daftar-bot/daftar/bot/locale"
	"github.com/daftar-bot/daftar/bot/organiser"
	"github.com/daftar-bot/daftar/store"
)

// /seleksi <batch> (/select): the applicants of a selection batch, one a
// page with everything they answered, and Lolos / Cadangan / Tidak lolos,
// changeable until the results are sent (/hasil). The store keeps the
// decisions and their rules (store.Tx.Decide: no more selected than
// seats).

// Organiser buttons of selection (bot's organiserActions). Persisted in
// messages already sent: only add.
const (
	ActSelSelected    = "ls" // Lolos: Seq user, Arg <batch>_<page>
	ActSelReserve     = "lc" // Cadangan
	ActSelNotSelected = "lt" // Tidak lolos
	ActSelPage        = "lp" // Seq page, Arg batch
	ActResultsSend    = "hk" // Kirim of /hasil: Arg batch (hasil.go)
)

// Select is /seleksi.
func (d *Desk) Select(r *organiser.Request, tx *store.Tx) (organiser.Result, error) {
	bt, res, ok := selectionBatch(r, "seleksi")
	if !ok {
		return res, nil
	}
	rep, err := d.selectionPage(r, tx, bt, 0)
	return organiser.Result{Replies: []reply{rep}}, err
}

// selectionBatch is the batch a /seleksi or /hasil (canonical name cmd)
// is about: the one named, or the organiser's only selection batch. It
// reports false, with what to answer the organiser, when there is none.
func selectionBatch(r *organiser.Request, cmd string) (store.Batch, organiser.Result, bool) {
	sm := locale.For(r.Lang).Selection
	arg := strings.TrimSpace(r.Arg)
	if arg != "" {
		bt, ok := r.BatchArg(arg)
		switch {
		case !ok:
			return bt, organiser.Say(r.UnknownBatch(arg)), false
		case !bt.Admission.Selection:
			return bt, organiser.Say(fmt.Sprintf(sm.SelNotSelection, esc(r.Named(bt)))), false
		}
		return bt, organiser.Result{}, true
	}
	var sel []store.Batch
	for _, bt := range r.Batches() {
		if bt.Admission.Selection && !bt.Ended(r.Now) {
			sel = append(sel, bt)
		}
	}
	switch len(sel) {
	case 0:
		return store.Batch{}, organiser.Say(sm.SelNoBatch), false
	case 1:
		return sel[0], organiser.Result{}, true
	}
	ids := make([]string, len(sel))
	for i, bt := range sel {
		ids[i] = "<code>" + esc(bt.ID) + "</code>"
	}
	return store.Batch{}, organiser.Say(fmt.Sprintf(sm.SelAskBatch, locale.For(r.Lang).Command(cmd), strings.Join(ids, ", "))), false
}

// selectionPage is applicant page (from 0) of bt with the decision
// buttons, or why there is nothing to decide.
func (d *Desk) selectionPage(r *organiser.Request, tx *store.Tx, bt store.Batch, page int) (reply, error) {
	sm := locale.For(r.Lang).Selection
	co := d.courseFor(bt.ID)
	if at, sent := tx.ResultsSent(bt.ID); sent {
		return reply{Text: fmt.Sprintf(sm.SelSent, esc(r.Named(bt)), r.PM.Moment(at.In(co.Location)))}, nil
	}
	as, err := tx.Applicants(bt.ID)
	if err != nil {
		return reply{}, err
	}
	if len(as) == 0 {
		return reply{Text: fmt.Sprintf(sm.SelNone, esc(r.Named(bt)))}, nil
	}
	_, _, page, pages := organiser.Paging(len(as), 1, page)
	a, n := as[page], store.CountDecisions(as)
	var text strings.Builder
	fmt.Fprintf(&text, sm.SelHead, esc(r.Named(bt)), page+1, pages, n.Selected, bt.Capacity, n.Reserve, n.NotSelected, n.Undecided)
	text.WriteString("\n\n")
	fmt.Fprintf(&text, sm.SelApplicant, esc(co.DisplayName(a.Participant)), r.PM.Moment(a.RegisteredAt.In(co.Location)), decisionWord(sm, a))
	for _, f := range co.Fields {
		v := a.Answers[f.Key]
		if v == "" {
			v = "–"
		}
		fmt.Fprintf(&text, "\n<b>%s</b>: %s", esc(f.Question(r.Lang)), esc(v))
	}
	arg := bt.ID + "_" + strconv.Itoa(page)
	mark := func(label string, st store.Status) string {
		if a.Decision == st {
			return "✅ " + label
		}
		return label
	}
	rows := [][]button{{
		organiser.Button(mark(sm.BtnSelected, store.StatusSelected), a.UserID, ActSelSelected, arg),
		organiser.Button(mark(sm.BtnReserve, store.StatusReserve), a.UserID, ActSelReserve, arg),
		organiser.Button(mark(sm.BtnNotSelected, store.StatusNotSelected), a.UserID, ActSelNotSelected, arg),
	}}
	rows = append(rows, r.PageNav(page, pages, ActSelPage, bt.ID)...)
	return reply{Text: text.String(), Inline: rows}, nil
}

// Selecting reports whether one of courses has a batch that admits by
// selection: its organisers' menu lists /seleksi and /hasil.
func Selecting(courses []store.Course) bool {
	for _, c := range courses {
		for _, bt := range c.Batches {
			if bt.Admission.Selection {
				return true
			}
		}
	}
	return false
}

// decisionWord is how an applicant's decision reads, a reserve's with
// their rank.
func decisionWord(sm *locale.SelectionMessages, a store.Applicant) string {
	if a.Decision == store.StatusReserve && a.Reserve > 0 {
		return fmt.Sprintf(sm.SelReserveRank, a.Reserve)
	}
	return decisionLabel(sm, a.Decision)
}

// decisionLabel is a decision as its button says it.
func decisionLabel(sm *locale.SelectionMessages, st store.Status) string {
	switch st {
	case store.StatusSelected:
		return sm.BtnSelected
	case store.StatusReserve:
		return sm.BtnReserve
	case store.StatusNotSelected:
		return sm.BtnNotSelected
	}
	return sm.SelUndecided
}

// PressSelPage turns /seleksi of bt to page Seq.
func (d *Desk) PressSelPage(r *organiser.Request, tx *store.Tx, bt store.Batch, cb callback.Data) (organiser.Result, error) {
	if cb.Seq < 0 || !bt.Admission.Selection {
		return r.Stale(), nil
	}
	p, err := d.selectionPage(r, tx, bt, int(cb.Seq))
	return organiser.Result{Edit: &p}, err
}

// DecidePress is Lolos, Cadangan or Tidak lolos on applicant Seq of the
// batch and page in Arg: the decision is recorded (audited) and the next
// applicant shown. The press is checked like any: the batch must be one
// of the organiser's and admit by selection, the person an applicant, the
// results not sent.
func DecidePress(st store.Status) Press {
	return func(d *Desk, r *organiser.Request, tx *store.Tx, cb callback.Data) (organiser.Result, error) {
		sm := locale.For(r.Lang).Selection
		id, pageArg, _ := strings.Cut(cb.Arg, "_")
		page, okPage := callback.Index(pageArg, 1<<20)
		bt, ok := r.Batch(id)
		if !ok || !okPage || !bt.Admission.Selection {
			return r.Stale(), nil
		}
		err := tx.Decide(d.Seats(bt), cb.Seq, st, r.Now)
		var toast string
		switch {
		case errors.Is(err, store.ErrSelectionFull):
			return organiser.Result{Toast: fmt.Sprintf(sm.SelFull, bt.Capacity, bt.Capacity)}, nil
		case errors.Is(err, store.ErrNotApplicant):
			toast = sm.SelGone
		case errors.Is(err, store.ErrResultsSent):
			toast = r.PM.Stale
		case err != nil:
			return organiser.Result{}, err
		default:
			if err := r.Audit(tx, store.AuditEntry{Action: store.AuditDecision, Batch: bt.ID, Subject: cb.Seq, Detail: string(st)}); err != nil {
				return organiser.Result{}, err
			}
			toast = fmt.Sprintf(sm.SelSaved, decisionLabel(sm, st))
			page++ // on to the next applicant
		}
		p, err := d.selectionPage(r, tx, bt, page)
		return organiser.Result{Toast: toast, Edit: &p}, err
	}
}
