package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/daftar-bot/daftar/bot/conversation"
	"github.com/daftar-bot/daftar/bot/locale"
	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram"
)

// The claim link of a walk-in (enrol.go): t.me/<bot>?start=klaim-<code>
// attaches their desk registration to the Telegram account that opens
// it, once (store.ClaimWalkIn). A used, made-up or mistyped code changes
// nothing and is answered kindly.

// claimUpdate handles /start klaim-<code>; it reports false for every
// other update.
func (b *Bot) claimUpdate(ctx context.Context, updateID int64, ev event) bool {
	if ev.in.Kind != telegram.InCommand || locale.Canonical(ev.in.Command) != "start" {
		return false
	}
	arg := strings.TrimSpace(ev.in.Arg)
	n := len(store.ClaimStart)
	if len(arg) < n || !strings.EqualFold(arg[:n], store.ClaimStart) {
		return false
	}
	code := arg[n:]
	b.claim(ctx, updateID, ev, code)
	return true
}

// claim attaches the walk-in of code to the sender's account.
func (b *Bot) claim(ctx context.Context, updateID int64, ev event, code string) {
	now := b.now()
	var sent []store.Reply
	err := b.db.Update(func(tx *store.Tx) error {
		lang := ev.lang
		c, found, err := tx.Conversation(ev.userID)
		if err != nil {
			return err
		}
		if found && c.Lang != "" {
			lang = c.Lang
		}
		var seats []store.Seats
		for _, bt := range b.batches {
			seats = append(seats, b.seats(bt))
		}
		w, werr := tx.WalkInByCode(code)
		regs, err := tx.ClaimWalkIn(seats, code, ev.userID, ev.chatID, lang, now)
		var rs []reply
		switch {
		case errors.Is(err, store.ErrNoClaim):
			m := locale.For(lang).Messages
			rs = []reply{{Text: locale.Worded(lang, b.first().BatchWord).Desk.ClaimUnknown + locale.ContactLine(m, b.first(), "\n\n")}}
		case errors.Is(err, store.ErrClaimHeld):
			co := b.first()
			name := ""
			if werr == nil {
				if held, ok := b.heldBatch(tx, w); ok {
					co, name = b.courseFor(held.ID), b.named(locale.Worded(lang, b.courseFor(held.ID).BatchWord).Messages, held)
				}
			}
			m := locale.Worded(lang, co.BatchWord).Messages
			rs = []reply{{Text: fmt.Sprintf(locale.Worded(lang, co.BatchWord).Desk.ClaimHeld, esc(name)) + locale.ContactLine(m, co, "\n\n")}}
		case err != nil:
			return err
		default:
			for _, p := range regs {
				bt, co, ok := b.cat.Batch(p.Batch)
				if !ok || p.Status != store.StatusRegistered {
					continue
				}
				m := locale.Worded(lang, co.BatchWord).Messages
				rs = append(rs, reply{Text: fmt.Sprintf(locale.Worded(lang, co.BatchWord).Desk.Claimed, esc(b.named(m, bt)), m.DateRange(bt.Start, bt.End()))})
				if !found {
					// The reminders and /status speak the person's language.
					c = store.Conversation{UserID: ev.userID, ChatID: ev.chatID, Lang: lang, State: conversation.StateIdle, Course: co.ID, UpdatedAt: now}
					if err := tx.PutConversation(c); err != nil {
						return err
					}
					found = true
				}
			}
		}
		sent, err = recordDone(tx, updateID, ev.chatID, rs)
		return err
	})
	if err != nil {
		b.log.Error("claim walk-in", "update_id", updateID, "chat_id", ev.chatID, "err", err)
		b.apologise(ctx, updateID, ev, locale.For(ev.lang).Messages.Apology)
		return
	}
	b.answer(ctx, ev.chatID, sent, pressed{})
}

// heldBatch is the batch a walk-in holds its seat in.
func (b *Bot) heldBatch(tx *store.Tx, w store.WalkIn) (store.Batch, bool) {
	ps, err := tx.ParticipantsOf(w.UserID)
	if err != nil {
		return store.Batch{}, false
	}
	for _, p := range ps {
		if p.Status == store.StatusRegistered {
			bt, _, ok := b.cat.Batch(p.Batch)
			return bt, ok
		}
	}
	return store.Batch{}, false
}
