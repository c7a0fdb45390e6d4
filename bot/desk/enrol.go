package desk

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/daftar-bot/daftar/bot/callback"
	"github.com/daftar-bot/daftar/bot/locale"
	"github.com/daftar-bot/daftar/bot/organiser"
	"github.com/daftar-bot/daftar/form"
	"github.com/daftar-bot/daftar/store"
)

// /daftarkan [batch] (/enrol): an organiser registers a person who came
// to the desk. The organiser reads them the consent text and records
// their yes (as given to that organiser, with the time), then asks the
// course's questions one at a time, each answer parsed and checked as the
// person's own conversation does (form.Parse, form.Check), and confirms
// the summary: the seat is taken as the seat transactions take one
// (store.EnrolWalkIn), and the organiser gets the claim link to pass on.
// The form is the organiser's desk state in the store: it survives a
// restart, and every button carries the screen's number, so that an older
// screen's press is stale.

// Walk-in form button actions (named in bot/organiser.go's button
// table). Persisted in messages already sent: only add.
const (
	ActEnrolBatch   = "wb" // a batch: Seq screen, Arg batch
	ActEnrolAgree   = "wy" // Setuju: Seq screen
	ActEnrolDecline = "wn" // Tidak setuju: Seq screen
	ActEnrolOption  = "wo" // an option: Seq screen, Arg its index
	ActEnrolSkip    = "ws" // Lewati: Seq screen
	ActEnrolBack    = "wk" // Kembali: Seq screen
	ActEnrolCancel  = "wx" // Batal: Seq screen
	ActEnrolConfirm = "wc" // Konfirmasi: Seq screen
)

// enrolBatches are the organiser's batches a walk-in can be registered
// in now: not started, with a seat neither taken nor offered and nobody
// waiting.
func (d *Desk) enrolBatches(r *organiser.Request, tx *store.Tx) ([]store.Batch, error) {
	var all []store.Seats
	for _, bt := range r.Batches() {
		all = append(all, d.Seats(bt))
	}
	ok, err := tx.MoveTargets("", all, r.Now)
	out := make([]store.Batch, len(ok))
	for i, st := range ok {
		out[i] = st.Batch
	}
	return out, err
}

// Enrol is /daftarkan [batch].
func (d *Desk) Enrol(r *organiser.Request, tx *store.Tx) (organiser.Result, error) {
	dm := r.Desk()
	if arg := r.Arg; strings.TrimSpace(arg) != "" {
		bt, ok := r.BatchArg(arg)
		if !ok {
			return organiser.Result{Replies: []reply{{Text: r.UnknownBatch(arg)}}}, nil
		}
		return d.enrolStart(r, tx, bt)
	}
	bts, err := d.enrolBatches(r, tx)
	if err != nil {
		return organiser.Result{}, err
	}
	switch len(bts) {
	case 0:
		return organiser.Result{Replies: []reply{{Text: dm.EnrolNoBatch}}}, nil
	case 1:
		return d.enrolStart(r, tx, bts[0])
	}
	seq, err := tx.NextDeskSeq()
	if err != nil {
		return organiser.Result{}, err
	}
	rows, err := organiser.BatchPicker(bts, seq, ActEnrolBatch, func(bt store.Batch) (string, error) { return r.Named(bt), nil })
	return organiser.Result{Replies: []reply{{Text: dm.EnrolAskBatch, Inline: rows}}}, err
}

// PressEnrolBatch starts the form for the batch chosen.
func (d *Desk) PressEnrolBatch(r *organiser.Request, tx *store.Tx, bt store.Batch, _ callback.Data) (organiser.Result, error) {
	return d.enrolStart(r, tx, bt)
}

// enrolStart begins a walk-in's registration in bt with the consent: a
// form going on before is dropped.
func (d *Desk) enrolStart(r *organiser.Request, tx *store.Tx, bt store.Batch) (organiser.Result, error) {
	dm := r.Desk()
	if bt.Started(r.Now) {
		return organiser.Result{Replies: []reply{{Text: fmt.Sprintf(dm.EnrolRefused, esc(r.Named(bt)), dm.ReasonStarted)}}}, nil
	}
	// A full batch is said before the form, not after it (the seat's
	// transaction checks again).
	if ok, err := tx.MoveTargets("", []store.Seats{d.Seats(bt)}, r.Now); err != nil {
		return organiser.Result{}, err
	} else if len(ok) == 0 {
		return organiser.Result{Replies: []reply{{Text: fmt.Sprintf(dm.EnrolRefused, esc(r.Named(bt)), dm.ReasonFull)}}}, nil
	}
	if err := tx.ClearDeskState(r.UserID, true); err != nil {
		return organiser.Result{}, err
	}
	st, err := startDesk(r, tx, store.DeskState{Kind: store.DeskEnrol, Batch: bt.ID})
	if err != nil {
		return organiser.Result{}, err
	}
	return organiser.Result{Replies: []reply{d.enrolScreen(r, st)}}, nil
}

// enrolScreen is the screen the form st is at: the consent, a question,
// or the summary.
func (d *Desk) enrolScreen(r *organiser.Request, st store.DeskState) reply {
	dm := r.Desk()
	co := d.courseFor(st.Batch)
	bt, _ := co.Batch(st.Batch)
	pm := locale.Worded(r.Lang, co.BatchWord).Messages
	btn := func(label, action, arg string) button { return organiser.Button(label, st.Seq, action, arg) }
	cancel := btn(pm.BtnCancel, ActEnrolCancel, "")
	back := btn(pm.BtnBack, ActEnrolBack, "")
	switch {
	case st.ConsentAt.IsZero():
		return reply{Text: fmt.Sprintf(dm.EnrolConsent, pm.ConsentText(co, r.Lang, co.RetentionDays)), Inline: [][]button{
			{btn(pm.BtnAgree, ActEnrolAgree, ""), btn(pm.BtnDisagree, ActEnrolDecline, "")}, {cancel},
		}}
	case st.Summary:
		var lines strings.Builder
		fmt.Fprintf(&lines, "\n<b>%s</b>: %s (%s)", pm.SummaryBatch, esc(r.Named(bt)), pm.DateRange(bt.Start, bt.End()))
		for i, f := range co.Fields {
			v := esc(form.Show(f, r.Lang, st.Answers[f.Key], &pm.Dates().Months))
			if v == "" {
				v = pm.Skipped
			}
			fmt.Fprintf(&lines, "\n%d. <b>%s</b>: %s", i+1, esc(f.Question(r.Lang)), v)
		}
		return reply{Text: fmt.Sprintf(dm.EnrolSummary, esc(r.Named(bt)), lines.String()), Inline: [][]button{
			{btn(pm.BtnConfirm, ActEnrolConfirm, ""), back}, {cancel},
		}}
	}
	f := co.Fields[st.Step]
	var text strings.Builder
	fmt.Fprintf(&text, dm.EnrolQuestion, esc(r.Named(bt)), st.Step+1, len(co.Fields), esc(f.Question(r.Lang)))
	if f.Optional {
		text.WriteString(" " + pm.Optional)
	}
	if k := form.Of(f); k.Hint != "" && pm.Hints[k.Hint] != "" {
		text.WriteString("\n" + pm.Hints[k.Hint])
	}
	if v := st.Answers[f.Key]; v != "" {
		text.WriteString("\n\n" + fmt.Sprintf(pm.PreviousAnswer, esc(form.Show(f, r.Lang, v, &pm.Dates().Months))))
	}
	var rows [][]button
	if form.Of(f).Keyboard == form.KeyboardOptions {
		for i := range f.Options {
			rows = append(rows, []button{btn(f.Option(r.Lang, i), ActEnrolOption, fmt.Sprint(i))})
		}
	}
	nav := []button{back, cancel}
	if f.Optional {
		nav = append([]button{btn(pm.BtnSkip, ActEnrolSkip, "")}, nav...)
	}
	return reply{Text: text.String(), Inline: append(rows, nav)}
}

// enrolState returns the organiser's walk-in form when a press of screen
// seq is its (any screen when seq is negative); ok false (the press is
// stale) otherwise. A form of a batch no longer the organiser's is
// dropped; one whose course's questions changed across a restart is
// brought into range.
func (d *Desk) enrolState(r *organiser.Request, tx *store.Tx, seq int64) (store.DeskState, bool, error) {
	st, ok, err := tx.DeskState(r.UserID)
	if err != nil || !ok || st.Kind != store.DeskEnrol || (seq >= 0 && st.Seq != seq) {
		return st, false, err
	}
	bt, mine := r.Batch(st.Batch)
	if !mine {
		return st, false, tx.ClearDeskState(r.UserID, true)
	}
	if n := len(d.courseFor(bt.ID).Fields); st.Step >= n || st.Step < 0 {
		st.Step, st.Summary = max(0, n-1), true
	}
	return st, true, nil
}

// enrolNext stores st as a new screen and shows it.
func (d *Desk) enrolNext(r *organiser.Request, tx *store.Tx, st store.DeskState, say ...string) (organiser.Result, error) {
	seq, err := tx.NextDeskSeq()
	if err != nil {
		return organiser.Result{}, err
	}
	st.Seq, st.UpdatedAt = seq, r.Now
	if err := tx.PutDeskState(st); err != nil {
		return organiser.Result{}, err
	}
	var out []reply
	for _, s := range say {
		out = append(out, reply{Text: s})
	}
	return organiser.Result{Replies: append(out, d.enrolScreen(r, st))}, nil
}

// PressEnrol handles the form's buttons.
func (d *Desk) PressEnrol(r *organiser.Request, tx *store.Tx, cb callback.Data) (organiser.Result, error) {
	if cb.Seq <= 0 {
		return r.Stale(), nil
	}
	st, ok, err := d.enrolState(r, tx, cb.Seq)
	if err != nil || !ok {
		return r.Stale(), err
	}
	dm := r.Desk()
	co := d.courseFor(st.Batch)
	atQuestion := !st.ConsentAt.IsZero() && !st.Summary
	switch {
	case cb.Action == ActEnrolCancel:
		return organiser.Result{Replies: []reply{{Text: dm.EnrolCancelled}}, After: func(_ context.Context) { d.Scrub() }},
			tx.ClearDeskState(r.UserID, true)
	case cb.Action == ActEnrolDecline && st.ConsentAt.IsZero():
		return organiser.Result{Replies: []reply{{Text: dm.EnrolDeclined}}}, tx.ClearDeskState(r.UserID, true)
	case cb.Action == ActEnrolAgree && st.ConsentAt.IsZero():
		st.ConsentAt, st.Step = r.Now, 0
		return d.enrolNext(r, tx, st)
	case cb.Action == ActEnrolBack:
		switch {
		case st.Summary:
			st.Summary, st.Step = false, len(co.Fields)-1
		case atQuestion && st.Step > 0:
			st.Step--
		case atQuestion:
			st.ConsentAt = time.Time{}
		default:
			return r.Stale(), nil
		}
		return d.enrolNext(r, tx, st)
	case cb.Action == ActEnrolOption && atQuestion:
		f := co.Fields[st.Step]
		i, valid := callback.Index(cb.Arg, len(f.Options))
		if !valid || form.Of(f).Keyboard != form.KeyboardOptions {
			return r.Stale(), nil
		}
		return d.enrolAnswer(r, tx, st, f.Options[i])
	case cb.Action == ActEnrolSkip && atQuestion && co.Fields[st.Step].Optional:
		return d.enrolAnswer(r, tx, st, "")
	case cb.Action == ActEnrolConfirm && st.Summary:
		return d.enrolConfirm(r, tx, st)
	}
	return r.Stale(), nil
}

// enrolText takes the organiser's message as the answer to the question
// the form is at.
func (d *Desk) enrolText(r *organiser.Request, tx *store.Tx) (organiser.Result, error) {
	st, ok, err := d.enrolState(r, tx, -1)
	if err != nil {
		return organiser.Result{}, err
	}
	if !ok {
		return organiser.Result{Replies: []reply{{Text: r.Desk().EnrolExpired}}}, nil
	}
	if st.ConsentAt.IsZero() || st.Summary || !r.IsText {
		// Not a question, or not text: the screen again.
		return d.enrolNext(r, tx, st)
	}
	co := d.courseFor(st.Batch)
	bt, _ := co.Batch(st.Batch)
	f := co.Fields[st.Step]
	v, err := form.Parse(f, r.Lang, r.Text, r.Now)
	if err == nil {
		err = form.Check(co, f, v, st.Answers, bt.Start)
	}
	if err != nil {
		return d.enrolNext(r, tx, st, locale.Worded(r.Lang, co.BatchWord).Messages.Explain(err))
	}
	// The intake rules, as soon as the answer that decides them is typed
	// (the seat's transaction asks them again).
	if rules := co.Intake(); f.Key == rules.NIKField || f.Key == rules.BirthField {
		answers := maps.Clone(st.Answers)
		if answers == nil {
			answers = map[string]string{}
		}
		answers[f.Key] = v
		err := tx.CheckIntake(d.Seats(bt), store.Participant{Batch: bt.ID, Answers: answers}, r.Now)
		if store.IntakeRefused(err) {
			dm := r.Desk()
			return d.enrolNext(r, tx, st, fmt.Sprintf(dm.EnrolRefused, esc(r.Named(bt)), refusal(dm, err)))
		}
		if err != nil {
			return organiser.Result{}, err
		}
	}
	return d.enrolAnswer(r, tx, st, v)
}

// enrolAnswer stores v for the question the form is at and moves on.
func (d *Desk) enrolAnswer(r *organiser.Request, tx *store.Tx, st store.DeskState, v string) (organiser.Result, error) {
	co := d.courseFor(st.Batch)
	if st.Answers == nil {
		st.Answers = map[string]string{}
	}
	st.Answers[co.Fields[st.Step].Key] = v
	if st.Step+1 >= len(co.Fields) {
		st.Summary = true
	} else {
		st.Step++
	}
	return d.enrolNext(r, tx, st)
}

// enrolConfirm takes the walk-in's seat and gives the organiser the
// claim link.
func (d *Desk) enrolConfirm(r *organiser.Request, tx *store.Tx, st store.DeskState) (organiser.Result, error) {
	dm := r.Desk()
	bt, ok := r.Batch(st.Batch)
	if !ok {
		return r.Stale(), nil
	}
	p := store.Participant{Answers: st.Answers, ConsentAt: st.ConsentAt}
	np, w, err := tx.EnrolWalkIn(d.Seats(bt), p, r.UserID, r.Now)
	if errors.Is(err, store.ErrSeatRefused) {
		res, err := d.enrolNext(r, tx, st, fmt.Sprintf(dm.EnrolRefused, esc(r.Named(bt)), refusal(dm, err)))
		return res, err
	}
	if err != nil {
		return organiser.Result{}, err
	}
	if err := tx.ClearDeskState(r.UserID, false); err != nil {
		return organiser.Result{}, err
	}
	if err := r.Audit(tx, store.AuditEntry{Action: store.AuditWalkInEnrolled, Batch: bt.ID, Subject: np.UserID}); err != nil {
		return organiser.Result{}, err
	}
	start := store.ClaimStart + w.Code
	link := "<code>/start " + start + "</code>"
	if bot := d.BotName(d.courseFor(bt.ID).ID); bot != "" {
		link = "https://t.me/" + esc(bot) + "?start=" + start
	}
	return organiser.Result{Replies: []reply{{Text: fmt.Sprintf(dm.EnrolDone, esc(r.Named(bt)), np.Seat, link, start)}}}, nil
}
