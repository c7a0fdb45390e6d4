package conversation

import (
	"fmt"
	"strings"

	"github.com/daftar-bot/daftar/bot/locale"
	"github.com/daftar-bot/daftar/form"
	"github.com/daftar-bot/daftar/store"
)

// prompt asks the question of the current state again: the screens of the
// form and of the two pending confirmations.
func (t *turn) prompt() {
	switch t.c.State {
	case StateConsent:
		t.consent()
	case StateBatch:
		var rows [][]button
		for _, b := range t.available() {
			rows = append(rows, []button{t.batchButton(b)})
		}
		rows = append(rows, []button{t.btn(t.m.BtnBack, ActBack, ""), t.btn(t.m.BtnCancel, ActCancel, "")})
		t.ask(reply{Text: t.m.ChooseBatch, Inline: rows})
	case StateField:
		t.question()
	case StateSummary:
		t.ask(reply{Text: t.summary(), Inline: [][]button{
			{t.btn(t.m.BtnConfirm, ActConfirm, ""), t.btn(t.m.BtnEdit, ActEdit, "")},
			{t.btn(t.m.BtnCancel, ActCancel, "")},
		}})
	case StateFull:
		// The waiting list of the chosen batch, or another with seats.
		b, _ := t.w.Course.Batch(t.c.Batch)
		rows := [][]button{{t.btn(t.m.BtnJoinWaiting, ActJoin, "")}}
		for _, o := range t.available() {
			if o.ID != b.ID && !t.w.Full(o) {
				rows = append(rows, []button{t.batchButton(o)})
			}
		}
		rows = append(rows, []button{t.btn(t.m.BtnCancel, ActCancel, "")})
		t.ask(reply{Text: fmt.Sprintf(t.m.FullWaitingOffer, esc(b.Name)) + locale.ContactLine(t.m, t.w.Course, "\n\n"), Inline: rows})
	case StateCancel:
		b, _ := t.w.Course.Batch(t.c.Batch)
		t.ask(reply{Text: fmt.Sprintf(t.m.CancelAsk, esc(b.Name)), Inline: [][]button{
			{t.btn(t.m.BtnCancelRegistration, ActCancelReg, b.ID), t.btn(t.m.BtnBack, ActBack, "")},
		}})
	case StateErase:
		t.ask(reply{Text: t.m.EraseAsk, Inline: [][]button{
			{t.btn(t.m.BtnDeleteData, ActErase, ""), t.btn(t.m.BtnBack, ActBack, "")},
		}})
	case StateEditPick:
		var rows [][]button
		for i, f := range t.w.Course.Fields {
			rows = append(rows, []button{t.btn(locale.Shorten(f.Question(t.c.Lang), 40), ActField, fmt.Sprint(i))})
		}
		rows = append(rows, []button{t.btn(t.m.BtnBack, ActBack, "")})
		t.ask(reply{Text: t.m.EditPick, Inline: rows})
	}
}

// consent says what will be asked, for what, by whom and for how long.
func (t *turn) consent() {
	t.ask(reply{
		Text:   t.m.ConsentText(t.w.Course, t.c.Lang, t.w.Retention),
		Inline: [][]button{{t.btn(t.m.BtnAgree, ActConsent, ""), t.btn(t.m.BtnDisagree, ActDecline, "")}},
	})
}

// batchButton offers b: with the seats left, its waiting list when full,
// or that it admits by selection (an application takes no seat).
func (t *turn) batchButton(b store.Batch) button {
	dates := t.m.DateRange(b.Start, b.End())
	label := fmt.Sprintf(t.m.BatchButton, b.Name, dates, t.w.SeatsLeft(b))
	switch {
	case b.Admission.Selection:
		label = fmt.Sprintf(locale.For(t.c.Lang).Selection.BatchButtonSelection, b.Name, dates)
	case t.w.Full(b):
		label = fmt.Sprintf(t.m.BatchButtonWaiting, b.Name, dates)
	}
	return t.btn(label, ActBatch, b.ID)
}

// question asks the current field, with its hint, the previous answer and
// the keyboard of its kind.
func (t *turn) question() {
	f := t.field()
	var b strings.Builder
	fmt.Fprintf(&b, t.m.QuestionHeader, t.c.Step+1, len(t.w.Course.Fields))
	fmt.Fprintf(&b, "\n\n<b>%s</b>", esc(f.Question(t.c.Lang)))
	if f.Optional {
		b.WriteString(" " + t.m.Optional)
	}
	if k := form.Of(f); k.Hint != "" && t.m.Hints[k.Hint] != "" {
		b.WriteString("\n" + t.m.Hints[k.Hint])
	}
	if v, ok := t.c.Answers[f.Key]; ok && v != "" {
		b.WriteString("\n\n" + fmt.Sprintf(t.m.PreviousAnswer, esc(t.show(f, v))))
	}
	nav := []button{t.btn(t.m.BtnBack, ActBack, ""), t.btn(t.m.BtnCancel, ActCancel, "")}
	if f.Optional {
		nav = append([]button{t.btn(t.m.BtnSkip, ActSkip, "")}, nav...)
	}
	keyboard := form.Of(f).Keyboard
	if t.keyboardUp && keyboard == form.KeyboardNone {
		// The contact keyboard is still up and goes with this question:
		// a message removing it can have no inline buttons (one reply
		// markup), so the way back and out is typed (text takes the
		// labels) rather than a message of its own, one round trip less.
		if f.Optional {
			fmt.Fprintf(&b, "\n\n"+t.m.TypedNavSkip, t.m.BtnSkip, t.m.BtnBack, t.m.BtnCancel)
		} else {
			fmt.Fprintf(&b, "\n\n"+t.m.TypedNav, t.m.BtnBack, t.m.BtnCancel)
		}
		t.ask(reply{Text: b.String(), Remove: true})
		return
	}
	r := reply{Text: b.String()}
	switch keyboard {
	case form.KeyboardContact:
		// request_contact only works in a reply keyboard, and a message
		// has one keyboard: navigation moves there too, as text buttons.
		row := []button{{Text: t.m.BtnBack}, {Text: t.m.BtnCancel}}
		if f.Optional {
			row = append([]button{{Text: t.m.BtnSkip}}, row...)
		}
		r.Keyboard = [][]button{{{Text: t.m.BtnShareContact, Contact: true}}, row}
	case form.KeyboardOptions:
		for i := range f.Options {
			r.Inline = append(r.Inline, []button{t.btn(f.Option(t.c.Lang, i), ActOption, fmt.Sprint(i))})
		}
		r.Inline = append(r.Inline, nav)
	default:
		r.Inline = [][]button{nav}
	}
	t.ask(r)
}

// summary lists the batch and every answer before they are confirmed.
func (t *turn) summary() string {
	var b strings.Builder
	b.WriteString(t.m.Summary + "\n")
	if bt, ok := t.w.Course.Batch(t.c.Batch); ok {
		fmt.Fprintf(&b, "\n<b>%s</b>: %s (%s)", t.m.SummaryBatch, esc(bt.Name), t.m.DateRange(bt.Start, bt.End()))
	}
	for i, f := range t.w.Course.Fields {
		v := esc(t.show(f, t.c.Answers[f.Key]))
		if v == "" {
			v = t.m.Skipped
		}
		fmt.Fprintf(&b, "\n%d. <b>%s</b>: %s", i+1, esc(f.Question(t.c.Lang)), v)
	}
	if t.c.Amend {
		b.WriteString("\n\n" + t.m.AmendHint)
	} else {
		b.WriteString("\n\n" + t.m.SummaryHint)
	}
	return b.String()
}

// show renders a stored answer for the person: a choice (stored as the
// Indonesian option) in their language, a date with the month's name.
func (t *turn) show(f store.Field, v string) string {
	return form.Show(f, t.c.Lang, v, &t.m.Dates().Months)
}
