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

// /peserta: a batch's participants, a page at a time, and everything one
// of them answered.

// listPageSize is how many participants one page of /peserta shows.
const listPageSize = 10

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
	from, to, page, pages := organiser.Paging(len(ps), listPageSize, page)
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
		num, err := b.number(tx, r, p)
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
		row = append(row, listShowButton(locale.Shorten(num+" "+name, 24), p, bt))
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

// number is how a participant is numbered in lists: the seat, the place
// on the waiting list, or a dash.
func (b *Bot) number(tx *store.Tx, r *orgReq, p store.Participant) (string, error) {
	switch p.Status {
	case store.StatusRegistered:
		return strconv.Itoa(p.Seat) + ".", nil
	case store.StatusWaiting:
		n, err := tx.WaitingPosition(p.Batch, p.UserID)
		return fmt.Sprintf(r.M.WaitingNumber, n), err
	case store.StatusReserve:
		n, err := tx.ReserveRank(p.Batch, p.UserID)
		return fmt.Sprintf(locale.For(r.Lang).Selection.ReserveNumber, n), err
	}
	return "–", nil
}

// pressListShow shows everything participant Seq of bt answered.
func (b *Bot) pressListShow(r *orgReq, tx *store.Tx, bt store.Batch, cb callback.Data) (organiser.Result, error) {
	p, err := tx.Participant(bt.ID, cb.Seq)
	if errors.Is(err, store.ErrNotFound) {
		return organiser.Result{Toast: r.M.Gone}, nil
	}
	if err != nil {
		return organiser.Result{}, err
	}
	detail, err := b.detailReply(r, tx, bt, p)
	return organiser.Result{Replies: []reply{detail}}, err
}

// participantDetail is everything a participant answered, with their
// registration and attendance.
func (b *Bot) participantDetail(r *orgReq, tx *store.Tx, bt store.Batch, p store.Participant) (string, error) {
	num, err := b.number(tx, r, p)
	if err != nil {
		return "", err
	}
	var out strings.Builder
	fmt.Fprintf(&out, r.M.DetailHead, esc(b.courseFor(bt.ID).DisplayName(p)), esc(bt.Name), esc(num), r.Status(p.Status))
	if !p.RegisteredAt.IsZero() {
		at := p.RegisteredAt.In(b.courseFor(bt.ID).Location)
		fmt.Fprintf(&out, "\n"+r.M.DetailRegistered, r.PM.Moment(at))
	}
	if p.Status == store.StatusRegistered {
		days, err := tx.DaysPresent(bt.ID, p.UserID)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&out, "\n"+r.M.DetailAttendance, days, bt.Days)
		if b.courseFor(bt.ID).CertificateEligible(p.Status, days) {
			out.WriteString(" " + r.M.Eligible)
		}
	}
	out.WriteString("\n")
	for _, f := range b.courseFor(bt.ID).Fields {
		v := p.Answers[f.Key]
		if v == "" {
			v = "–"
		}
		fmt.Fprintf(&out, "\n<b>%s</b>: %s", esc(f.Question(r.Lang)), esc(v))
	}
	if line, err := b.sharedPhoneLine(r, tx, p); err != nil {
		return "", err
	} else if line != "" {
		out.WriteString("\n\n" + line)
	}
	if p.Lang != "" {
		fmt.Fprintf(&out, "\n\n"+r.M.DetailLang, esc(p.Lang))
	}
	return out.String(), nil
}
