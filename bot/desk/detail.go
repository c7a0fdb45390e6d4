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

// A participant's detail screen, from /peserta's list (package bot): all
// they answered, with the staff's actions under it (staff.go).

// ListPageSize is how many participants one page of /peserta shows.
const ListPageSize = 10

// ActListShow is a participant's button in /peserta's list: Seq user, Arg
// batch. Persisted in messages already sent.
const ActListShow = "ai"

// ListButton is a participant's button in /peserta's list: a walk-in's
// carries their id as subjectSeq writes it.
func ListButton(label string, p store.Participant, bt store.Batch) button {
	if store.IsWalkIn(p.UserID) {
		return organiser.Button(label, subjectSeq(p.UserID), ActStaffShow, bt.ID)
	}
	return organiser.Button(label, p.UserID, ActListShow, bt.ID)
}

// Number is how a participant is numbered in lists: the seat, the place
// on the waiting list, or a dash.
func Number(tx *store.Tx, r *organiser.Request, p store.Participant) (string, error) {
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

// PressListShow shows everything participant Seq of bt answered.
func (d *Desk) PressListShow(r *organiser.Request, tx *store.Tx, bt store.Batch, cb callback.Data) (organiser.Result, error) {
	p, err := tx.Participant(bt.ID, cb.Seq)
	if errors.Is(err, store.ErrNotFound) {
		return organiser.Result{Toast: r.M.Gone}, nil
	}
	if err != nil {
		return organiser.Result{}, err
	}
	detail, err := d.detailReply(r, tx, bt, p)
	return organiser.Result{Replies: []reply{detail}}, err
}

// participantDetail is everything a participant answered, with their
// registration and attendance.
func (d *Desk) participantDetail(r *organiser.Request, tx *store.Tx, bt store.Batch, p store.Participant) (string, error) {
	num, err := Number(tx, r, p)
	if err != nil {
		return "", err
	}
	var out strings.Builder
	fmt.Fprintf(&out, r.M.DetailHead, esc(d.courseFor(bt.ID).DisplayName(p)), esc(bt.Name), esc(num), r.Status(p.Status))
	if !p.RegisteredAt.IsZero() {
		at := p.RegisteredAt.In(d.courseFor(bt.ID).Location)
		fmt.Fprintf(&out, "\n"+r.M.DetailRegistered, r.PM.Moment(at))
	}
	if p.Status == store.StatusRegistered {
		days, err := tx.DaysPresent(bt.ID, p.UserID)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&out, "\n"+r.M.DetailAttendance, days, bt.Days)
		if d.courseFor(bt.ID).CertificateEligible(p.Status, days) {
			out.WriteString(" " + r.M.Eligible)
		}
	}
	out.WriteString("\n")
	for _, f := range d.courseFor(bt.ID).Fields {
		v := p.Answers[f.Key]
		if v == "" {
			v = "–"
		}
		fmt.Fprintf(&out, "\n<b>%s</b>: %s", esc(f.Question(r.Lang)), esc(v))
	}
	if line, err := d.sharedPhoneLine(r, tx, p); err != nil {
		return "", err
	} else if line != "" {
		out.WriteString("\n\n" + line)
	}
	if p.Lang != "" {
		fmt.Fprintf(&out, "\n\n"+r.M.DetailLang, esc(p.Lang))
	}
	return out.String(), nil
}

// sharedPhoneLine is the organisers' warning under a participant whose
// phone number other people of the course use too; "" when nobody does.
func (d *Desk) sharedPhoneLine(r *organiser.Request, tx *store.Tx, p store.Participant) (string, error) {
	c := d.courseFor(p.Batch)
	shared, err := tx.SharedPhones(c)
	if err != nil {
		return "", err
	}
	var others []string
	for _, q := range shared[c.PhoneOf(p)] {
		if q.UserID == p.UserID || p.NIK != "" && q.NIK == p.NIK {
			continue // the same person
		}
		bt, _ := c.Batch(q.Batch)
		others = append(others, esc(c.DisplayName(q))+" ("+esc(bt.Name)+")")
	}
	if len(others) == 0 {
		return "", nil
	}
	return fmt.Sprintf(locale.For(r.Lang).Intake.PhoneShared, strings.Join(others, ", ")), nil
}
