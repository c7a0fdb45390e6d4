package bot

import (
	"fmt"
	"strings"

	"github.com/daftar-bot/daftar/bot/callback"
	"github.com/daftar-bot/daftar/bot/desk"
	"github.com/daftar-bot/daftar/bot/locale"
	"github.com/daftar-bot/daftar/bot/organiser"
	"github.com/daftar-bot/daftar/store"
)

// /peserta: a batch's participants, a page at a time, and everything one
// of them answered.

func (b *Bot) cmdParticipants(r *orgReq) {
	b.orgDo(r, func(tx *store.Tx) (organiser.Result, error) {
		arg := r.Arg
		if bt, ok := r.BatchArg(arg); ok {
			page, err := b.listPage(r, tx, bt, 0)
			return organiser.Result{Replies: []reply{page}}, err
		}
		if c, ok := r.Course(strings.ToLower(strings.TrimSpace(arg))); ok {
			rep, err := b.participantsOf(r, tx, c)
			return organiser.Result{Replies: []reply{rep}}, err
		}
		if arg != "" {
			return organiser.Result{Replies: []reply{{Text: r.UnknownBatch(arg)}}}, nil
		}
		c, ask, ok := onlyCourse(r, forParticipants)
		if !ok {
			return organiser.Result{Replies: []reply{ask}}, nil
		}
		rep, err := b.participantsOf(r, tx, c)
		return organiser.Result{Replies: []reply{rep}}, err
	})
}

// participantsOf is /peserta of course c: its one batch's list, or the
// choice of its batches with their counts.
func (b *Bot) participantsOf(r *orgReq, tx *store.Tx, c store.Course) (reply, error) {
	if len(c.Batches) == 1 {
		return b.listPage(r, tx, c.Batches[0], 0)
	}
	rows, err := organiser.BatchPicker(c.Batches, 0, actListPage, func(bt store.Batch) (string, error) {
		ps, err := tx.ParticipantsIn(bt.ID)
		return fmt.Sprintf(r.M.BtnCount, bt.Name, len(ps)), err
	})
	return reply{Text: r.courseTitle(c) + r.M.ListChooseBatch, Inline: rows}, err
}

// pressListPage turns the list of bt to page Seq.
func (b *Bot) pressListPage(r *orgReq, tx *store.Tx, bt store.Batch, cb callback.Data) (organiser.Result, error) {
	if cb.Seq < 0 {
		return r.Stale(), nil
	}
	p, err := b.listPage(r, tx, bt, int(cb.Seq))
	return organiser.Result{Edit: &p}, err
}

// listPage renders page (from 0) of batch's participants: a line each,
// a button each to show all their answers, ◀ ▶ to turn pages.
func (b *Bot) listPage(r *orgReq, tx *store.Tx, bt store.Batch, page int) (reply, error) {
	ps, err := tx.ParticipantsIn(bt.ID)
	if err != nil {
		return reply{}, err
	}
	if len(ps) == 0 {
		return reply{Text: fmt.Sprintf(r.M.ListEmpty, esc(bt.Name))}, nil
	}
	from, to, page, pages := organiser.Paging(len(ps), desk.ListPageSize, page)
	flagged, err := tx.Unconfirmed(bt.ID) // no answer to "still coming?" (selection.go)
	if err != nil {
		return reply{}, err
	}
	counts := map[store.Status]int{}
	for _, p := range ps {
		counts[p.Status]++
	}
	var text strings.Builder
	fmt.Fprintf(&text, r.M.ListHead, esc(bt.Name), counts[store.StatusRegistered], bt.Capacity, counts[store.StatusWaiting], counts[store.StatusCancelled], page+1, pages)
	shared, err := tx.SharedPhones(b.courseFor(bt.ID))
	if err != nil {
		return reply{}, err
	}
	marked := false
	var rows [][]button
	var row []button
	for _, p := range ps[from:to] {
		num, err := desk.Number(tx, r.Request, p)
		if err != nil {
			return reply{}, err
		}
		phone := b.courseFor(bt.ID).PhoneOf(p)
		if phone == "" {
			phone = "–"
		}
		mark := ""
		if _, ok := shared[phone]; ok && p.Status.HoldsPlace() {
			mark, marked = locale.For(r.Lang).Intake.PhoneSharedMark, true
		}
		name := b.courseFor(bt.ID).DisplayName(p)
		status := r.Status(p.Status)
		if store.IsWalkIn(p.UserID) {
			status += " · " + r.Desk().NoTelegram
		}
		fmt.Fprintf(&text, "\n"+r.M.ListLine, esc(num), esc(name), esc(phone)+mark, status)
		if flagged[p.UserID] {
			text.WriteString(locale.For(r.Lang).Selection.FlagUnconfirmed)
		}
		row = append(row, desk.ListButton(locale.Shorten(num+" "+name, 24), p, bt))
		if len(row) == 2 {
			rows, row = append(rows, row), nil
		}
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	rows = append(rows, r.PageNav(page, pages, actListPage, bt.ID)...)
	if marked {
		text.WriteString("\n\n" + locale.For(r.Lang).Intake.PhoneSharedHint)
	}
	text.WriteString("\n\n" + r.M.ListHint)
	return reply{Text: text.String(), Inline: rows}, nil
}
