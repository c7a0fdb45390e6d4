package bot

import (
	"context"

	"github.com/daftar-bot/daftar/bot/callback"
	"github.com/daftar-bot/daftar/bot/conversation"
	"github.com/daftar-bot/daftar/bot/desk"
	"github.com/daftar-bot/daftar/bot/locale"
	"github.com/daftar-bot/daftar/bot/organiser"
	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram"
)

// The staff's work at the desk lives in bot/desk; this is how the
// organisers' tables (organiser.go) and the handler reach it.

// newDesk is the desk of b's courses.
func (b *Bot) newDesk() *desk.Desk {
	return desk.New(desk.Deps{
		DB: b.db, Cat: b.cat, Seats: b.seats,
		BotName: func(course string) string { return b.paper(course).Bot },
		Notify:  b.disp.Notify,
		Scrub:   b.scrubSoon,
	})
}

// deskPress is a press the desk handles, as the button table takes it.
func deskPress(h desk.Press) orgPress {
	return func(b *Bot, r *orgReq, tx *store.Tx, cb callback.Data) (organiser.Result, error) {
		return h(b.desk, r.Request, tx, cb)
	}
}

// deskCommand is a command the desk handles in one transaction, as the
// command table takes it.
func deskCommand(h func(*desk.Desk, *organiser.Request, *store.Tx) (organiser.Result, error)) func(*Bot, *orgReq) {
	return func(b *Bot, r *orgReq) {
		b.orgDo(r, func(tx *store.Tx) (organiser.Result, error) { return h(b.desk, r.Request, tx) })
	}
}

// captureDesk takes the organiser's message as what their desk action
// waits for (desk.Capture). It reports false when none waits, and the
// message goes to the conversation.
func (b *Bot) captureDesk(r *orgReq) bool {
	if r.msg == nil {
		return false
	}
	fn, ok := b.desk.Capture(r.Request)
	if ok {
		b.orgDo(r, fn)
	}
	return ok
}

// awaitsOrganiser reports whether the bot waits for the organiser of r:
// an announcement's message, a cancellation's reason, a walk-in's
// answer. Then /batal is theirs.
func (b *Bot) awaitsOrganiser(r *orgReq) bool {
	return b.awaitsAnnouncement(r) || b.desk.Awaits(r.Request)
}

// cmdCancelOrganiser is /batal while the bot waits for the organiser: it
// drops the announcement, or the desk action, waited for.
func (b *Bot) cmdCancelOrganiser(r *orgReq) {
	if b.awaitsAnnouncement(r) {
		b.cmdCancelAwaited(r)
		return
	}
	b.orgDo(r, func(tx *store.Tx) (organiser.Result, error) { return b.desk.Drop(r.Request, tx) })
}

// claimUpdate handles /start klaim-<code>, the claim link of a walk-in
// (desk.Claim); it reports false for every other update.
func (b *Bot) claimUpdate(ctx context.Context, updateID int64, ev event) bool {
	if ev.in.Kind != telegram.InCommand || locale.Canonical(ev.in.Command) != "start" {
		return false
	}
	code, ok := desk.ClaimCode(ev.in.Arg)
	if !ok {
		return false
	}
	c := desk.Claim{UserID: ev.userID, ChatID: ev.chatID, Lang: ev.lang, Code: code, Now: b.now()}
	var sent []store.Reply
	err := b.db.Update(func(tx *store.Tx) error {
		rs, begin, err := b.desk.Claim(tx, c)
		if err != nil {
			return err
		}
		if begin != nil {
			begin.State = conversation.StateIdle
			if err := tx.PutConversation(*begin); err != nil {
				return err
			}
		}
		sent, err = recordDone(tx, updateID, ev.chatID, rs)
		return err
	})
	if err != nil {
		b.log.Error("claim walk-in", "update_id", updateID, "chat_id", ev.chatID, "err", err)
		b.apologise(ctx, updateID, ev, locale.For(ev.lang).Messages.Apology)
		return true
	}
	b.answer(ctx, ev.chatID, sent, pressed{})
	return true
}
