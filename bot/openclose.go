package bot

import (
	"context"
	"fmt"

	"github.com/daftar-bot/daftar/bot/callback"
	"github.com/daftar-bot/daftar/bot/locale"
	"github.com/daftar-bot/daftar/bot/organiser"
	"github.com/daftar-bot/daftar/store"
)

// /buka and /tutup: an organiser opens or closes a batch's registration,
// after confirming. The choice is the store's override of the config's
// open flag, so it outlives a restart.

func (b *Bot) cmdOpen(r *orgReq)  { b.cmdOpenClose(r, true) }
func (b *Bot) cmdClose(r *orgReq) { b.cmdOpenClose(r, false) }

func (b *Bot) cmdOpenClose(r *orgReq, open bool) {
	b.orgDo(r, func(tx *store.Tx) (organiser.Result, error) {
		arg := r.Arg
		bt, ok := r.BatchArg(arg)
		switch {
		case ok:
			return organiser.Result{Replies: []reply{b.openCloseAsk(r, tx, bt, open)}}, nil
		case arg != "":
			return organiser.Result{Replies: []reply{{Text: r.UnknownBatch(arg)}}}, nil
		}
		seq, ask := int64(0), r.M.CloseChoose
		if open {
			seq, ask = 1, r.M.OpenChoose
		}
		rows, _ := organiser.BatchPicker(r.Batches(), seq, actOpenPick, func(bt store.Batch) (string, error) {
			return r.Named(bt) + " · " + r.M.OpenState(current(tx, bt), r.Now), nil
		})
		return organiser.Result{Replies: []reply{{Text: ask, Inline: rows}}}, nil
	})
}

// openCloseAsk asks to confirm opening or closing bt; a finished batch
// cannot be opened, and is told so.
func (b *Bot) openCloseAsk(r *orgReq, tx *store.Tx, bt store.Batch, open bool) reply {
	if open && bt.Ended(r.Now) {
		return b.openEnded(r, bt)
	}
	cur := current(tx, bt)
	text, label, action := r.M.CloseAsk, r.M.BtnClose, actClose
	if open {
		text, label, action = r.M.OpenAsk, r.M.BtnOpen, actOpen
	}
	text = fmt.Sprintf(text, esc(bt.Name), r.M.OpenState(cur, r.Now))
	if offers, err := tx.Offers(bt.ID); err == nil && len(offers) > 0 && !open {
		text += fmt.Sprintf(locale.For(r.Lang).Offer.CloseOffers, len(offers))
	}
	return reply{
		Text:   text,
		Inline: [][]button{{organiser.Button(label, 0, action, bt.ID), organiser.Button(r.M.BtnCancel, 0, actDismiss, "")}},
	}
}

// openEnded says why bt, which has finished, cannot be opened.
func (b *Bot) openEnded(r *orgReq, bt store.Batch) reply {
	return reply{Text: fmt.Sprintf(r.M.OpenEnded, esc(bt.Name), r.PM.Date(bt.End()))}
}

// pressOpenPick asks to confirm opening (Seq 1) or closing bt.
func (b *Bot) pressOpenPick(r *orgReq, tx *store.Tx, bt store.Batch, cb callback.Data) (organiser.Result, error) {
	ask := b.openCloseAsk(r, tx, bt, cb.Seq == 1)
	return organiser.Result{Edit: &ask}, nil
}

// pressOpenClose opens (actOpen) or closes (actClose) bt.
func (b *Bot) pressOpenClose(r *orgReq, tx *store.Tx, bt store.Batch, cb callback.Data) (organiser.Result, error) {
	open := cb.Action == actOpen
	if open && bt.Ended(r.Now) {
		ended := b.openEnded(r, bt)
		return organiser.Result{Edit: &ended}, nil
	}
	cur := current(tx, bt)
	done, action := r.M.Closed, store.AuditBatchClosed
	if open {
		done, action = r.M.Opened, store.AuditBatchOpened
	}
	if cur.Open == open {
		// Pressed twice, or another organiser was quicker.
		return organiser.Result{Edit: &reply{Text: fmt.Sprintf(done, esc(bt.Name))}}, nil
	}
	if err := tx.SetBatchOpen(bt.ID, open, r.UserID, r.Now); err != nil {
		return organiser.Result{}, err
	}
	// Closed hands out no seat: the offers outstanding are withdrawn.
	// Opened: the free seats go to the people waiting.
	made, withdrawn, err := tx.SettleOffers(b.seats(bt), r.Now)
	if err != nil {
		return organiser.Result{}, err
	}
	text, om := fmt.Sprintf(done, esc(bt.Name)), locale.For(r.Lang).Offer
	res := organiser.Result{}
	if len(withdrawn) > 0 {
		text += fmt.Sprintf(om.ClosedOffers, len(withdrawn))
	}
	if len(made) > 0 {
		text += fmt.Sprintf(om.OpenedOffers, len(made))
	}
	if len(made)+len(withdrawn) > 0 {
		res.After = func(context.Context) { b.disp.Notify() }
	}
	res.Edit = &reply{Text: text}
	return res, r.Audit(tx, store.AuditEntry{Action: action, Batch: bt.ID})
}

// current is bt with the organisers' /buka or /tutup, when they decided.
func current(tx *store.Tx, bt store.Batch) store.Batch {
	if open, ok := tx.BatchOpen(bt.ID); ok {
		bt.Open = open
	}
	return bt
}

// pressDismiss is Batal on a confirmation.
func (b *Bot) pressDismiss(r *orgReq, _ *store.Tx, _ callback.Data) (organiser.Result, error) {
	return organiser.Result{Edit: &reply{Text: r.M.Dismissed}}, nil
}
