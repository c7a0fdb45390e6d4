package conversation

import (
	"fmt"
	"strings"

	"github.com/daftar-bot/daftar/bot/locale"
	"github.com/daftar-bot/daftar/store"
)

// welcome is /start: the course, its batches, the person's registrations
// and the Daftar button while a batch is available. A deep link to an
// available batch preselects it.
func (t *turn) welcome(deepLink string) {
	c := t.w.Course
	var b strings.Builder
	fmt.Fprintf(&b, t.m.Welcome, esc(c.Title), esc(c.Organiser), esc(c.Venue))
	if len(c.Batches) > 0 {
		b.WriteString("\n")
	}
	for _, bt := range c.Batches {
		if bt.Ended(t.w.Now) {
			continue // over: nothing to tell a newcomer
		}
		fmt.Fprintf(&b, "\n"+t.m.BatchLine, esc(bt.Name), t.m.DateRange(bt.Start, bt.End()), locale.Hours(bt), t.batchTag(bt))
	}
	if deepLink != "" {
		bt, ok := c.Batch(deepLink)
		o, clash := t.overlap(bt)
		switch {
		case !ok:
			b.WriteString("\n\n" + t.m.DeepLinkUnknown)
		case t.canChoose(bt.ID):
			t.c.Batch = bt.ID
		case clash:
			b.WriteString("\n\n" + fmt.Sprintf(t.m.Overlap, esc(bt.Name), esc(o.Name)))
		case t.holds(bt.ID, store.StatusRegistered) || t.holds(bt.ID, store.StatusWaiting):
		case t.placesFullNote(bt) != "":
			b.WriteString("\n\n" + t.placesFullNote(bt))
		default:
			b.WriteString("\n\n" + fmt.Sprintf(t.m.BatchUnavailable, esc(bt.Name)))
		}
	}
	holding := false // a seat or waiting place in a batch not over
	for _, p := range t.w.SignedUp {
		bt, ok := c.Batch(p.Batch)
		if !ok {
			continue // another course's: its own welcome and /status tell it
		}
		if bt.Ended(t.w.Now) {
			continue // over: /status still shows it
		}
		switch p.Status {
		case store.StatusRegistered:
			b.WriteString("\n\n" + fmt.Sprintf(t.m.WelcomeSignedUp, esc(bt.Name), p.Seat))
			holding = true
		case store.StatusWaiting:
			b.WriteString("\n\n" + fmt.Sprintf(t.m.Waiting, esc(bt.Name), t.w.Positions[p.Batch]))
			holding = true
		default:
			if w := t.admissionWord(p); w != "" && p.Status.HoldsPlace() {
				b.WriteString("\n\n" + fmt.Sprintf(t.m.MyDataRegistration, esc(bt.Name), w))
				holding = true
			}
		}
	}
	t.c.Seq++
	r := reply{}
	switch {
	case len(t.available()) > 0:
		b.WriteString("\n\n" + t.m.WelcomeRegister)
		r.Inline = [][]button{{t.btn(t.m.BtnRegister, ActRegister, "")}}
	case holding:
		// Say why an open batch is not offered when its dates clash, or
		// (once) when the person's places fill the course.
		noted := false
		for _, bt := range c.Batches {
			if o, clash := t.overlap(bt); clash && bt.Open && !bt.Started(t.w.Now) && deepLink != bt.ID {
				b.WriteString("\n\n" + fmt.Sprintf(t.m.Overlap, esc(bt.Name), esc(o.Name)))
			} else if note := t.placesFullNote(bt); note != "" && deepLink != bt.ID && !noted {
				b.WriteString("\n\n" + note)
				noted = true
			}
		}
	default:
		b.WriteString("\n\n" + t.m.WelcomeNoneOpen)
	}
	r.Text = b.String()
	t.ask(r)
}

// courses is /start when the bot serves several courses: each course
// open for registration with its batches' dates and seats left, a button
// each, and the person's seats and waiting places; note, when set, says
// why a deep link led here.
func (t *turn) courses(note string) {
	open := t.w.Catalog.Open(t.w.SignedUp, t.w.Now)
	var b strings.Builder
	if len(open) == 0 {
		b.WriteString(t.m.CourseNone)
	} else {
		b.WriteString(t.m.ChooseCourse)
	}
	var rows [][]button
	t.c.Seq++
	for _, c := range open {
		b.WriteString("\n\n" + fmt.Sprintf(t.m.CourseLine, esc(c.Title), esc(c.Venue)))
		for _, bt := range t.w.Catalog.Available(c, t.w.SignedUp, t.w.Now) {
			fmt.Fprintf(&b, "\n"+t.m.BatchLine, esc(bt.Name), t.m.DateRange(bt.Start, bt.End()), locale.Hours(bt), t.batchTag(bt))
		}
		rows = append(rows, []button{t.btn(locale.Shorten(c.Title, 60), ActCourse, c.ID)})
	}
	if note != "" {
		b.WriteString("\n\n" + note)
	}
	for _, p := range t.w.SignedUp {
		bt, c := t.batchOf(p.Batch)
		if bt.ID == "" || bt.Ended(t.w.Now) {
			continue
		}
		name := esc(fmt.Sprintf(t.m.CourseBatch, c.Title, bt.Name))
		switch p.Status {
		case store.StatusRegistered:
			b.WriteString("\n\n" + fmt.Sprintf(t.m.WelcomeSignedUp, name, p.Seat))
		case store.StatusWaiting:
			b.WriteString("\n\n" + fmt.Sprintf(t.m.Waiting, name, t.w.Positions[p.Batch]))
		}
	}
	t.ask(reply{Text: b.String(), Inline: rows})
}

// batchTag says how a batch of the welcome stands: finished, running,
// closed, full (with its waiting list), by selection (with its seats) or
// the seats left.
func (t *turn) batchTag(b store.Batch) string {
	switch {
	case b.Ended(t.w.Now):
		return t.m.TagEnded
	case b.Started(t.w.Now):
		return t.m.TagStarted
	case !b.Open:
		return t.m.TagClosed
	case b.Admission.Selection && !t.w.Full(b):
		return fmt.Sprintf(locale.For(t.c.Lang).Selection.TagSelection, b.Capacity)
	case t.w.Full(b) && t.w.Waiting[b.ID] > 0:
		return fmt.Sprintf(t.m.TagFullWaiting, t.w.Waiting[b.ID])
	case t.w.Full(b):
		return t.m.TagFull
	}
	return fmt.Sprintf(t.m.SeatsLeft, t.w.SeatsLeft(b))
}

// status is /status: the form's progress while in it, else every seat and
// waiting place with its buttons.
func (t *turn) status() {
	if inForm(t.c.State) {
		step := t.c.Step
		if t.c.State != StateField {
			step = 0
		}
		t.say(fmt.Sprintf(t.m.StatusInProgress, step+1, len(t.w.Course.Fields)) + locale.ContactLine(t.m, t.w.Course, "\n"))
		t.prompt()
		return
	}
	var (
		lines []string
		rows  [][]button
	)
	for _, p := range t.w.SignedUp {
		b, bc := t.batchOf(p.Batch)
		head := ""
		if !t.w.Catalog.Single() {
			head = fmt.Sprintf(t.m.StatusCourse, esc(bc.Title)) + "\n"
		}
		btn := func(label, action string) button {
			if t.w.SignedUp.ActiveCount() > 1 {
				// Two registrations: each button says which it is for.
				label += " — " + b.Name
			}
			return t.btn(label, action, b.ID)
		}
		dates := t.m.DateRange(b.Start, b.End())
		switch p.Status {
		case store.StatusRegistered:
			line := head + fmt.Sprintf(t.m.StatusSeat, esc(b.Name), p.Seat, dates, locale.Hours(b), esc(bc.Venue))
			lines = append(lines, line+t.attendance(b, p))
			rows = append(rows, []button{btn(t.m.BtnEdit, ActAmend), btn(t.m.BtnCancelRegistration, ActCancelReg)})
		case store.StatusWaiting:
			line := head + fmt.Sprintf(t.m.StatusWaiting, esc(b.Name), t.w.Positions[b.ID], dates, locale.Hours(b), esc(bc.Venue))
			if o, ok := t.w.Offers[b.ID]; ok {
				line += "\n" + fmt.Sprintf(t.m.StatusOffer, esc(b.Name), t.m.Moment(o.Until.In(bc.Location)))
				rows = append(rows, []button{btn(t.m.BtnAccept, ActAccept), btn(t.m.BtnDecline, ActRefuse)})
			}
			lines = append(lines, line)
			rows = append(rows, []button{btn(t.m.BtnLeaveWaiting, ActLeave)})
		default:
			if line, rs := t.admissionStatus(p, b, bc, head, btn); line != "" {
				lines, rows = append(lines, line), append(rows, rs...)
			}
		}
	}
	if len(lines) == 0 {
		t.say(t.m.StatusNone + locale.ContactLine(t.m, t.w.Course, "\n\n"))
		return
	}
	rows = append(rows, []button{t.btn(t.m.BtnDeleteData, ActErase, "")})
	t.ask(reply{Text: strings.Join(lines, "\n\n") + locale.ContactLine(t.m, t.w.Course, "\n\n"), Inline: rows})
}

// attendance is the line of days present under a seat in a batch that has
// begun, empty before it and for anything but a seat.
func (t *turn) attendance(b store.Batch, p store.Participant) string {
	if !b.Started(t.w.Now) || p.Status != store.StatusRegistered {
		return ""
	}
	return "\n" + fmt.Sprintf(t.m.StatusAttendance, t.w.Present[b.ID], b.Days)
}

// myData is /dataku: everything stored about the person (their right of
// access).
func (t *turn) myData() {
	parts := []string{fmt.Sprintf(t.m.MyData, t.c.UserID, t.m.LanguageName)}
	if !t.c.ConsentAt.IsZero() {
		parts = append(parts, fmt.Sprintf(t.m.MyDataConsent, t.m.Moment(t.c.ConsentAt.In(t.w.Course.Location))))
	}
	if t.w.Blocked {
		parts = append(parts, t.m.MyDataBlocked)
	}
	answers := func(fields []store.Field, a map[string]string) string {
		var out []string
		for _, f := range fields {
			if v, ok := a[f.Key]; ok {
				shown := esc(t.show(f, v))
				if v == "" {
					shown = t.m.Skipped
				}
				out = append(out, fmt.Sprintf("• %s: %s", esc(f.Question(t.c.Lang)), shown))
			}
		}
		return strings.Join(out, "\n")
	}
	for _, p := range t.w.SignedUp {
		b, bc := t.batchOf(p.Batch)
		state := t.m.WordCancelled
		switch p.Status {
		case store.StatusRegistered:
			state = fmt.Sprintf(t.m.WordRegistered, p.Seat)
		case store.StatusWaiting:
			state = fmt.Sprintf(t.m.WordWaiting, t.w.Positions[p.Batch])
		default:
			if w := t.admissionWord(p); w != "" {
				state = w
			}
		}
		block := fmt.Sprintf(t.m.MyDataRegistration, esc(b.Name), state)
		if !t.w.Catalog.Single() {
			block = fmt.Sprintf(t.m.StatusCourse, esc(bc.Title)) + "\n" + block
		}
		if !p.RegisteredAt.IsZero() {
			block += "\n" + fmt.Sprintf(t.m.MyDataRegisteredAt, t.m.Moment(p.RegisteredAt.In(bc.Location)))
		}
		block += t.attendance(b, p)
		if a := answers(bc.Fields, p.Answers); a != "" {
			block += "\n" + a
		}
		parts = append(parts, block)
	}
	for _, p := range t.w.Elsewhere {
		// A batch the config no longer lists: its id is all there is.
		block := fmt.Sprintf(t.m.MyDataRegistration, esc(p.Batch), t.m.WordCancelled)
		if p.Status == store.StatusRegistered {
			block = fmt.Sprintf(t.m.MyDataRegistration, esc(p.Batch), fmt.Sprintf(t.m.WordRegistered, p.Seat))
		}
		if a := answers(t.w.Course.Fields, p.Answers); a != "" {
			block += "\n" + a
		}
		parts = append(parts, block)
	}
	if len(t.w.SignedUp)+len(t.w.Elsewhere) == 0 {
		parts = append(parts, t.m.MyDataNone)
	}
	if len(t.c.Answers) > 0 {
		parts = append(parts, t.m.MyDataForm+"\n"+answers(t.w.Course.Fields, t.c.Answers))
	}
	parts = append(parts, t.surveyData()...)
	parts = append(parts, t.m.MyDataRights)
	t.say(strings.Join(parts, "\n\n"))
	if inForm(t.c.State) {
		t.prompt()
	}
}
