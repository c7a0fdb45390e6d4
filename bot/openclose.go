package bot

import (
	"context"
	"fmt"

	"github.com/daftar-bot/daftar/bot/callback"
	"github.com/daftar-bot/daftar/bot/locale"
	"github.com/daftar-bot/daftar/store"
)

// /buka and /tutup: an organiser opens or closes a batch's registration,
// after confirming. The choice is the store's override of the config's
// open flag, so it outlives a restart.

func (b *Bot) cmdOpen(r *orgReq)  { b.cmdOpenClose(r, true) }
func (b *Bot) cmdClose(r *orgReq) { b.cmdOpenClose(r, false) }

func (b *Bot) cmdOpenClose(r *orgReq, open bool) {
	b.orgDo(r, func(tx *store.Tx) (orgResult, error) {
		arg := r.ev.in.Arg
		bt, ok := b.batchArg(r, arg)
		switch {
		case ok:
			return orgResult{replies: []reply{b.openCloseAsk(r, tx, bt, open)}}, nil
		case arg != "":
			return orgResult{replies: []reply{{Text: b.unknownBatch(r, arg)}}}, nil
		}
		seq, ask := int64(0), r.m.CloseChoose
		if open {
			seq, ask = 1, r.m.OpenChoose
		}
		rows, _ := batchPicker(r.batches(), seq, actOpenPick, func(bt store.Batch) (string, error) {
			return r.named(bt) + " · " + r.m.OpenState(current(tx, bt), r.now), nil
		})
		return orgResult{replies: []reply{{Text: ask, Inline: rows}}}, nil
	})
}

// openCloseAsk asks to confirm opening or closing bt; a finished batch
// cannot be opened, and is told so.
func (b *Bot) openCloseAsk(r *orgReq, tx *store.Tx, bt store.Batch, open bool) reply {
	if open && bt.Ended(r.now) {
		return b.openEnded(r, bt)
	}
	cur := current(tx, bt)
	text, label, action := r.m.CloseAsk, r.m.BtnClose, actClose
	if open {
		text, label, action = r.m.OpenAsk, r.m.BtnOpen, actOpen
	}
	text = fmt.Sprintf(text, esc(bt.Name), r.m.OpenState(cur, r.now))
	if offers, err := tx.Offers(bt.ID); err == nil && len(offers) > 0 && !open {
		text += fmt.Sprintf(locale.For(r.lang).Offer.CloseOffers, len(offers))
	}
	return reply{
		Text:   text,
		Inline: [][]button{{orgButton(label, 0, action, bt.ID), orgButton(r.m.BtnCancel, 0, actDismiss, "")}},
	}
}

// openEnded says why bt, which has finished, cannot be opened.
func (b *Bot) openEnded(r *orgReq, bt store.Batch) reply {
	return reply{Text: fmt.Sprintf(r.m.OpenEnded, esc(bt.Name), r.pm.Date(bt.End()))}
}

// pressOpenPick asks to confirm opening (Seq 1) or closing bt.
func (b *Bot) pressOpenPick(r *orgReq, tx *store.Tx, bt store.Batch, cb callback.Data) (orgResult, error) {
	ask := b.openCloseAsk(r, tx, bt, cb.Seq == 1)
	return orgResult{edit: &ask}, nil
}

// pressOpenClose opens (actOpen) or closes (actClose) bt.
func (b *Bot) pressOpenClose(r *orgReq, tx *store.Tx, bt store.Batch, cb callback.Data) (orgResult, error) {
	open := cb.Action == actOpen
	if open && bt.Ended(r.now) {
		ended := b.openEnded(r, bt)
		return orgResult{edit: &ended}, nil
	}
	cur := current(tx, bt)
	done, action := r.m.Closed, store.AuditBatchClosed
	if open {
		done, action = r.m.Opened, store.AuditBatchOpened
	}
	if cur.Open == open {
		// Pressed twice, or another organiser was quicker.
		return orgResult{edit: &reply{Text: fmt.Sprintf(done, esc(bt.Name))}}, nil
	}
	if err := tx.SetBatchOpen(bt.ID, open, r.ev.userID, r.now); err != nil {
		return orgResult{}, err
	}
	// Closed hands out no seat: the offers outstanding are withdrawn.
	// Opened: the free seats go to the people waiting.
	made, withdrawn, err := tx.SettleOffers(b.seats(bt), r.now)
	if err != nil {
		return orgResult{}, err
	}
	text, om := fmt.Sprintf(done, esc(bt.Name)), locale.For(r.lang).Offer
	res := orgResult{}
	if len(withdrawn) > 0 {
		text += fmt.Sprintf(om.ClosedOffers, len(withdrawn))
	}
	if len(made) > 0 {
		text += fmt.Sprintf(om.OpenedOffers, len(made))
	}
	if len(made)+len(withdrawn) > 0 {
		res.after = func(context.Context) { b.disp.Notify() }
	}
	res.edit = &reply{Text: text}
	return res, r.audit(tx, store.AuditEntry{Action: action, Batch: bt.ID})
}

// current is bt with the organisers' /buka or /tutup, when they decided.
func current(tx *store.Tx, bt store.Batch) store.Batch {
	if open, ok := tx.BatchOpen(bt.ID); ok {
		bt.Open = open
	}
	return bt
}

// pressDismiss is Batal on a confirmation.
func (b *Bot) pressDismiss(r *orgReq, _ *store.Tx, _ callback.Data) (orgResult, error) {
	return orgResult{edit: &reply{Text: r.m.Dismissed}}, nil
}
