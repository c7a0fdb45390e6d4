package bot

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

// A roll call is a message with one button per registered participant of
// a batch, for one session day. A tap toggles the mark in the store
// (ToggleAttendance, one write transaction at a time, so taps of several
// organisers never overwrite each other) and the message is rendered again
// from the store, so it shows everyone's taps up to that moment.

// rollPageSize is how many participants one roll-call message shows.
const rollPageSize = 20

func (b *Bot) cmdRollCall(r *orgReq) {
	b.orgDo(r, func(tx *store.Tx) (organiser.Result, error) {
		name, day, hasDay := b.rollCallArgs(r, r.Arg)
		if name != "" {
			bt, ok := r.BatchArg(name)
			if !ok {
				return organiser.Result{Replies: []reply{{Text: r.UnknownBatch(name)}}}, nil
			}
			rep, err := b.rollCallDay(r, tx, bt, day, hasDay)
			return organiser.Result{Replies: []reply{rep}}, err
		}
		// The one batch of theirs in session today, else ask.
		var running []store.Batch
		for _, c := range r.Courses {
			running = append(running, c.InSession(r.Now)...)
		}
		if len(running) == 1 {
			rep, err := b.rollCallDay(r, tx, running[0], 0, false)
			return organiser.Result{Replies: []reply{rep}}, err
		}
		c, ask, ok := onlyCourse(r, forRollCall)
		if !ok {
			return organiser.Result{Replies: []reply{ask}}, nil
		}
		rep, err := b.rollCallOf(r, tx, c)
		return organiser.Result{Replies: []reply{rep}}, err
	})
}

// rollCallOf is /absen of course c: the roll call of its one batch in
// session today, else the choice of its batches (those in session, or
// every one).
func (b *Bot) rollCallOf(r *orgReq, tx *store.Tx, c store.Course) (reply, error) {
	running := c.InSession(r.Now)
	if len(running) == 1 {
		return b.rollCallDay(r, tx, running[0], 0, false)
	}
	if len(running) == 0 {
		running = c.Batches
	}
	rows, _ := organiser.BatchPicker(running, 0, actRollBatch, func(bt store.Batch) (string, error) { return bt.Name, nil })
	return reply{Text: r.courseTitle(c) + r.M.RollChooseBatch, Inline: rows}, nil
}

// rollCallDay is the roll call of bt on day (today's when !hasDay), or
// the choice of its days when that is no day held.
func (b *Bot) rollCallDay(r *orgReq, tx *store.Tx, bt store.Batch, day int, hasDay bool) (reply, error) {
	if !hasDay {
		var ok bool
		if day, ok = bt.DayOn(r.Now); !ok {
			return b.dayChoice(r, bt), nil
		}
	}
	if day < 1 || day > bt.Days || !bt.Begun(day, r.Now) {
		choice := b.dayChoice(r, bt)
		why := fmt.Sprintf(r.M.RollBadDay, bt.Days)
		if day >= 1 && day <= bt.Days {
			why = fmt.Sprintf(r.M.RollFutureDay, day, r.PM.Date(bt.Day(day)))
		}
		choice.Text = why + "\n" + choice.Text
		return choice, nil
	}
	return b.rollCall(r, tx, bt, day, 0)
}

// rollCallArgs reads "/absen [batch] [day]": the whole argument may be a
// batch id or name (names have spaces and digits: "Angkatan 2"), else a
// trailing number is the day.
func (b *Bot) rollCallArgs(r *orgReq, arg string) (batch string, day int, hasDay bool) {
	arg = strings.TrimSpace(arg)
	if arg == "" {
		return "", 0, false
	}
	if _, ok := r.BatchArg(arg); ok {
		return arg, 0, false
	}
	fields := strings.Fields(arg)
	n, err := strconv.Atoi(fields[len(fields)-1])
	if err != nil {
		return arg, 0, false
	}
	return strings.Join(fields[:len(fields)-1], " "), n, true
}

// dayChoice asks which session day of bt to call the roll for: today or
// a day already held.
func (b *Bot) dayChoice(r *orgReq, bt store.Batch) reply {
	if !bt.Begun(1, r.Now) {
		return reply{Text: fmt.Sprintf(r.M.RollNotStarted, esc(bt.Name), r.PM.Date(bt.Day(1)))}
	}
	var rows [][]button
	var row []button
	for n := 1; n <= bt.Days && bt.Begun(n, r.Now); n++ {
		row = append(row, organiser.Button(fmt.Sprintf(r.M.BtnDay, n), int64(n), actRollDay, bt.ID))
		if len(row) == 4 {
			rows, row = append(rows, row), nil
		}
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	return reply{Text: fmt.Sprintf(r.M.RollChooseDay, esc(bt.Name)), Inline: rows}
}

// rollCall renders page (from 0) of bt's roll call on day from the store.
func (b *Bot) rollCall(r *orgReq, tx *store.Tx, bt store.Batch, day, page int) (reply, error) {
	ps, err := tx.RegisteredIn(bt.ID)
	if err != nil {
		return reply{}, err
	}
	if len(ps) == 0 {
		return reply{Text: fmt.Sprintf(r.M.RollNone, esc(bt.Name))}, nil
	}
	marks, err := tx.Attendance(bt.ID)
	if err != nil {
		return reply{}, err
	}
	present := 0
	for _, p := range ps {
		if marks[p.UserID][day] {
			present++
		}
	}
	from, to, page, pages := organiser.Paging(len(ps), rollPageSize, page)
	text := fmt.Sprintf(r.M.RollHead, esc(bt.Name), day, bt.Days, r.PM.Date(bt.Day(day)), present, len(ps))
	if pages > 1 {
		text += " " + fmt.Sprintf(r.M.Page, page+1, pages)
	}
	arg := fmt.Sprintf("%s_%d_%d", bt.ID, day, page)
	var rows [][]button
	for _, p := range ps[from:to] {
		mark := "⬜"
		if marks[p.UserID][day] {
			mark = "✅"
		}
		label := fmt.Sprintf("%s %d. %s", mark, p.Seat, locale.Shorten(b.courseFor(bt.ID).DisplayName(p), 40))
		rows = append(rows, []button{organiser.Button(label, p.UserID, actRollToggle, arg)})
	}
	rows = append(rows, r.PageNav(page, pages, actRollPage, fmt.Sprintf("%s_%d", bt.ID, day))...)
	return reply{Text: text, Inline: rows}, nil
}

// rollArg reads "<batch>_<day>" of roll-call buttons (a day that has
// come), and "_<page>" after it when withPage.
func (b *Bot) rollArg(r *orgReq, arg string, withPage bool) (bt store.Batch, day, page int, ok bool) {
	parts := strings.Split(arg, "_")
	if len(parts) != 2 && !withPage || len(parts) != 3 && withPage {
		return bt, 0, 0, false
	}
	bt, ok = r.Batch(parts[0])
	day, err := strconv.Atoi(parts[1])
	if !ok || err != nil || day < 1 || day > bt.Days || !bt.Begun(day, r.Now) {
		return bt, 0, 0, false
	}
	if withPage {
		if page, err = strconv.Atoi(parts[2]); err != nil || page < 0 {
			return bt, 0, 0, false
		}
	}
	return bt, day, page, true
}

// showRollCall renders page of bt's roll call on day in place of the
// pressed message.
func (b *Bot) showRollCall(r *orgReq, tx *store.Tx, bt store.Batch, day, page int) (organiser.Result, error) {
	rc, err := b.rollCall(r, tx, bt, day, page)
	return organiser.Result{Edit: &rc}, err
}

// pressRollBatch calls the roll of bt today, or asks for the day.
func (b *Bot) pressRollBatch(r *orgReq, tx *store.Tx, bt store.Batch, _ callback.Data) (organiser.Result, error) {
	day, ok := bt.DayOn(r.Now)
	if !ok {
		choice := b.dayChoice(r, bt)
		return organiser.Result{Edit: &choice}, nil
	}
	return b.showRollCall(r, tx, bt, day, 0)
}

// pressRollDay calls the roll of bt on day Seq.
func (b *Bot) pressRollDay(r *orgReq, tx *store.Tx, bt store.Batch, cb callback.Data) (organiser.Result, error) {
	if cb.Seq < 1 || cb.Seq > int64(bt.Days) || !bt.Begun(int(cb.Seq), r.Now) {
		return r.Stale(), nil
	}
	return b.showRollCall(r, tx, bt, int(cb.Seq), 0)
}

// pressRollPage turns a roll call to page Seq.
func (b *Bot) pressRollPage(r *orgReq, tx *store.Tx, cb callback.Data) (organiser.Result, error) {
	bt, day, _, ok := b.rollArg(r, cb.Arg, false)
	if !ok || cb.Seq < 0 {
		return r.Stale(), nil
	}
	return b.showRollCall(r, tx, bt, day, int(cb.Seq))
}

// pressRollToggle marks participant Seq present or absent.
func (b *Bot) pressRollToggle(r *orgReq, tx *store.Tx, cb callback.Data) (organiser.Result, error) {
	userID := cb.Seq
	bt, day, page, ok := b.rollArg(r, cb.Arg, true)
	if !ok {
		return r.Stale(), nil
	}
	p, err := tx.Participant(bt.ID, userID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && p.Status != store.StatusRegistered) {
		// Cancelled or erased since the roll call was shown.
		res, err := b.showRollCall(r, tx, bt, day, page)
		res.Toast = r.M.Gone
		return res, err
	}
	if err != nil {
		return organiser.Result{}, err
	}
	present, err := tx.ToggleAttendance(bt.ID, userID, day, r.UserID, r.Now)
	if err != nil {
		return organiser.Result{}, err
	}
	detail, toast := "absent", r.M.RollAbsent
	if present {
		detail, toast = "present", r.M.RollPresent
	}
	err = r.Audit(tx, store.AuditEntry{Action: store.AuditAttendance, Batch: bt.ID, Subject: userID, Day: day, Detail: detail})
	if err != nil {
		return organiser.Result{}, err
	}
	res, err := b.showRollCall(r, tx, bt, day, page)
	res.Toast = fmt.Sprintf(toast, b.courseFor(bt.ID).DisplayName(p))
	return res, err
}
