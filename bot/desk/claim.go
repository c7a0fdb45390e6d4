package desk

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/daftar-bot/daftar/bot/locale"
	"github.com/daftar-bot/daftar/store"
)

// The claim link of a walk-in (enrol.go): t.me/<bot>?start=klaim-<code>
// attaches their desk registration to the Telegram account that opens
// it, once (store.ClaimWalkIn). A used, made-up or mistyped code changes
// nothing and is answered kindly. Anyone may open one: a claim is not an
// organiser's request.

// ClaimCode is the code of a /start argument that is a claim link's
// (klaim-<code>); false for any other.
func ClaimCode(arg string) (string, bool) {
	arg = strings.TrimSpace(arg)
	n := len(store.ClaimStart)
	if len(arg) < n || !strings.EqualFold(arg[:n], store.ClaimStart) {
		return "", false
	}
	return arg[n:], true
}

// Claim is one person's opening of a claim link.
type Claim struct {
	UserID, ChatID int64
	Lang           string // their Telegram client's, when they have no conversation
	Code           string
	Now            time.Time
}

// Claim attaches the walk-in of c.Code to the sender's account, in tx,
// and says what to answer. begin, when not nil, is the conversation of a
// person who had none (the reminders and /status speak their language),
// for the caller to store in its resting state: the conversation's
// states are not the desk's.
func (d *Desk) Claim(tx *store.Tx, c Claim) (rs []reply, begin *store.Conversation, err error) {
	lang := c.Lang
	conv, found, err := tx.Conversation(c.UserID)
	if err != nil {
		return nil, nil, err
	}
	if found && conv.Lang != "" {
		lang = conv.Lang
	}
	first := d.Cat.Courses[0]
	w, werr := tx.WalkInByCode(c.Code)
	regs, err := tx.ClaimWalkIn(d.allSeats(), c.Code, c.UserID, c.ChatID, lang, c.Now)
	switch {
	case errors.Is(err, store.ErrNoClaim):
		m := locale.For(lang).Messages
		return []reply{{Text: locale.Worded(lang, first.BatchWord).Desk.ClaimUnknown + locale.ContactLine(m, first, "\n\n")}}, nil, nil
	case errors.Is(err, store.ErrClaimHeld):
		co := first
		name := ""
		if werr == nil {
			if held, ok := d.heldBatch(tx, w); ok {
				co = d.courseFor(held.ID)
				name = locale.Worded(lang, co.BatchWord).Messages.Named(d.Cat, held)
			}
		}
		m := locale.Worded(lang, co.BatchWord).Messages
		return []reply{{Text: fmt.Sprintf(locale.Worded(lang, co.BatchWord).Desk.ClaimHeld, esc(name)) + locale.ContactLine(m, co, "\n\n")}}, nil, nil
	case err != nil:
		return nil, nil, err
	}
	for _, p := range regs {
		bt, co, ok := d.Cat.Batch(p.Batch)
		if !ok || p.Status != store.StatusRegistered {
			continue
		}
		m := locale.Worded(lang, co.BatchWord).Messages
		rs = append(rs, reply{Text: fmt.Sprintf(locale.Worded(lang, co.BatchWord).Desk.Claimed, esc(m.Named(d.Cat, bt)), m.DateRange(bt.Start, bt.End()))})
		if !found && begin == nil {
			begin = &store.Conversation{UserID: c.UserID, ChatID: c.ChatID, Lang: lang, Course: co.ID, UpdatedAt: c.Now}
		}
	}
	return rs, begin, nil
}

// heldBatch is the batch a walk-in holds its seat in.
func (d *Desk) heldBatch(tx *store.Tx, w store.WalkIn) (store.Batch, bool) {
	ps, err := tx.ParticipantsOf(w.UserID)
	if err != nil {
		return store.Batch{}, false
	}
	for _, p := range ps {
		if p.Status == store.StatusRegistered {
			bt, _, ok := d.Cat.Batch(p.Batch)
			return bt, ok
		}
	}
	return store.Batch{}, false
}
