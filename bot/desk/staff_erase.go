package desk

import (
	"context"
	"errors"
	"fmt"

	"github.com/daftar-bot/daftar/bot/callback"
	"github.com/daftar-bot/daftar/bot/organiser"
	"github.com/daftar-bot/daftar/store"
)

// Hapus data on a walk-in's detail screen: a person registered at the
// desk has no Telegram to send /hapusdata from, so when they ask in person
// the organiser erases their data (store.Tx.StaffErase), after a
// confirmation. An account's data is its owner's to erase: the button is
// a walk-in's only, and a forged press on an account is refused by the
// store.
const (
	ActStaffErase   = "de" // Hapus data: Seq user, Arg <batch>_<stamp tag>: ask to confirm
	ActStaffEraseOK = "dy" // Ya, hapus: Seq user, Arg <batch>_<stamp tag>
)

// PressStaffErase asks the organiser to confirm the erasure.
func (d *Desk) PressStaffErase(r *organiser.Request, tx *store.Tx, bt store.Batch, tag string, cb callback.Data) (organiser.Result, error) {
	p, res, ok, err := d.staffRecord(r, tx, bt, tag, cb, false)
	if !ok || err != nil {
		return res, err
	}
	if !store.IsWalkIn(p.UserID) {
		return r.Stale(), nil
	}
	dm := r.Desk()
	return organiser.Result{Edit: &reply{
		Text: fmt.Sprintf(dm.EraseAsk, esc(d.courseFor(bt.ID).DisplayName(p))),
		Inline: [][]button{{
			organiser.Button(dm.BtnEraseYes, subjectSeq(p.UserID), ActStaffEraseOK, cb.Arg),
			organiser.Button(r.PM.BtnBack, subjectSeq(p.UserID), ActStaffDetail, bt.ID),
		}},
	}}, nil
}

// PressStaffEraseOK erases the walk-in, when the registration is still
// the one the organiser confirmed for.
func (d *Desk) PressStaffEraseOK(r *organiser.Request, tx *store.Tx, bt store.Batch, tag string, cb callback.Data) (organiser.Result, error) {
	p, res, ok, err := d.staffRecord(r, tx, bt, tag, cb, false)
	if !ok || err != nil {
		return res, err
	}
	dm := r.Desk()
	name := esc(d.courseFor(bt.ID).DisplayName(p))
	by := store.AuditEntry{By: r.UserID, ByName: r.Name}
	offers, err := tx.StaffErase(d.allSeats(), bt.ID, p.UserID, p.Stamp(), by, r.Now)
	switch {
	case errors.Is(err, store.ErrNotWalkIn):
		return r.Stale(), nil
	case errors.Is(err, store.ErrChanged), errors.Is(err, store.ErrNotFound):
		return organiser.Result{Replies: []reply{{Text: dm.Changed}}}, nil
	case err != nil:
		return organiser.Result{}, err
	}
	text := fmt.Sprintf(dm.EraseDone, name)
	if len(offers) > 0 {
		text += "\n" + fmt.Sprintf(dm.SeatOffered, len(offers))
	}
	back := [][]button{{organiser.Button(r.PM.BtnBack, 0, organiser.ActListPage, bt.ID)}}
	return organiser.Result{Edit: &reply{Text: text, Inline: back}, After: func(ctx context.Context) {
		d.notifyOutbox(ctx)
		d.Scrub()
	}}, nil
}
