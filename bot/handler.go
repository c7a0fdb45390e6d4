package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/daftar-bot/daftar/bot/callback"
	"github.com/daftar-bot/daftar/bot/conversation"
	"github.com/daftar-bot/daftar/bot/locale"
	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram"
)

// reply is a message the bot sends, with its buttons. It is stored as
// JSON until Telegram accepted it (telegram.Message keeps the field names
// of earlier releases).
type (
	reply  = telegram.Message
	button = telegram.Button
)

// onPanic answers for an update whose handler panicked (telegram.Guard
// logged it): an apology to a person who asked the bot something, and the
// update leaves the journal, so it cannot crash the bot again after a
// restart.
func (b *Bot) onPanic(ctx context.Context, u *telegram.Update) {
	ev := b.classify(u)
	var apology []reply
	p := pressed{}
	if u.Kind == telegram.Private {
		apology = []reply{{Text: locale.For(ev.lang).Messages.Apology}}
		p.id = ev.callbackID
	}
	b.finishPress(ctx, u.ID, ev.chatID, apology, p)
}

// event is an update as the conversation and the organiser commands read
// it; its kind is the update's (telegram.Kind). Nothing in it is trusted beyond what Telegram guarantees: from
// and chat ids are checked by package telegram, callback data against the
// conversation.
type event struct {
	userID      int64
	chatID      int64
	lang        string // from the Telegram client, for new conversations
	in          conversation.Input
	callbackID  string
	callbackMsg int // the message whose button was pressed
}

// classify reads what an update means to the conversation.
func (b *Bot) classify(u *telegram.Update) event {
	ev := event{
		userID: u.UserID, chatID: u.ChatID, lang: b.langOf(u.LanguageCode), callbackID: u.CallbackID, callbackMsg: u.CallbackMessage,
		in: conversation.Input{Kind: u.Input, Text: u.Text, Command: u.Command, Arg: u.Arg, Phone: u.Phone, OwnContact: u.OwnContact},
	}
	if u.Input == telegram.InButton {
		cb, err := callback.Parse(u.CallbackData)
		if err != nil {
			cb = callback.Data{Seq: -1} // stale: answered, changes nothing
		}
		ev.in.Button = cb
	}
	return ev
}

// langOf is the language of a Telegram client's language code, for new
// conversations.
func (b *Bot) langOf(code string) string {
	l := strings.ToLower(code)
	for _, c := range locale.All() {
		if strings.HasPrefix(l, c.Code) {
			return c.Code
		}
	}
	return locale.For(b.first().Language).Code
}

// onUpdate handles every update, in its chat's order.
func (b *Bot) onUpdate(ctx context.Context, u *telegram.Update) {
	ev := b.classify(u)
	if isIDCommand(u) {
		b.tellID(ctx, u, ev)
		return
	}
	switch u.Kind {
	case telegram.Private:
		// Organiser commands, buttons and announcement messages exist
		// only for organisers (organiser.go): anyone else's go to the
		// conversation, which answers an organiser command as any unknown
		// command and an organiser button as any stale one.
		if b.organiserUpdate(ctx, u, ev) || b.paperUpdate(ctx, u, ev) || b.claimUpdate(ctx, u.ID, ev) {
			return
		}
		b.converse(ctx, u.ID, ev)
	case telegram.Member:
		at := time.Time{}
		if u.Blocked {
			at = b.now()
		}
		err := b.db.Batch(func(tx *store.Tx) error {
			if err := tx.SetUnreachable(ev.userID, at); err != nil {
				return err
			}
			return tx.DoneUpdate(u.ID)
		})
		if err != nil {
			b.log.Error("record blocked state", "update_id", u.ID, "err", err)
		}
	case telegram.Group:
		if !b.groups.point(ev.chatID, time.Now()) {
			b.finish(ctx, u.ID, 0, nil) // pointed there a moment ago
			return
		}
		m := locale.For(ev.lang).Messages
		r := reply{Text: m.GroupOnly}
		if name := b.tg.Username(); name != "" {
			r.Inline = [][]button{{{Text: m.BtnOpenPrivate, URL: "https://t.me/" + name}}}
		}
		b.finish(ctx, u.ID, ev.chatID, []reply{r})
	default:
		b.finishPress(ctx, u.ID, 0, nil, pressed{id: ev.callbackID, toast: locale.For(ev.lang).Messages.Stale})
	}
}

// converse runs one step of a person's conversation: load, transition,
// take a seat if asked, save, record the replies and drop the update from
// the journal, all in one transaction; the replies go out after commit.
func (b *Bot) converse(ctx context.Context, updateID int64, ev event) {
	now := b.now()
	var (
		oc     conversation.Outcome
		sent   []store.Reply
		erased bool
	)
	err := b.db.Batch(func(tx *store.Tx) error {
		sent = sent[:0]
		c, found, err := tx.Conversation(ev.userID)
		if err != nil {
			return err
		}
		if !found {
			c = store.Conversation{UserID: ev.userID, ChatID: ev.chatID, Lang: ev.lang, State: conversation.StateIdle}
		}
		w, err := b.world(tx, c, now, wide(ev.in))
		if err != nil {
			return err
		}
		if w.Intake, err = b.intakeVerdict(tx, c, ev.in, w); err != nil {
			return err
		}
		if err := auditNIKConflict(tx, c.UserID, w.Intake.Batch, w.Intake.Err, now); err != nil {
			return err
		}
		oc = conversation.Next(c, ev.in, w)
		erased = false
		if oc.Effect.Kind != conversation.EffNone {
			if erased, err = b.apply(tx, &oc); err != nil {
				return err
			}
		}
		oc.Conv.UpdatedAt = now
		// A stranger's stale or forged button press is answered with a
		// toast and leaves no record behind.
		untouched := !found && len(oc.Replies) == 0 && (oc.Effect.Kind == conversation.EffNone || oc.Effect.Kind == conversation.EffSurvey)
		if !erased && !untouched {
			if err := tx.PutConversation(oc.Conv); err != nil {
				return err
			}
		}
		if tx.Unreachable(ev.userID) {
			// Writing to the bot means it is not blocked (any more).
			if err := tx.SetUnreachable(ev.userID, time.Time{}); err != nil {
				return err
			}
		}
		sent, err = recordDone(tx, updateID, ev.chatID, oc.Replies)
		return err
	})
	if err != nil {
		b.log.Error("handle update", "update_id", updateID, "chat_id", ev.chatID, "err", err)
		b.apologise(ctx, updateID, ev, locale.For(ev.lang).Messages.Apology)
		return
	}
	if erased || oc.Scrub {
		// Deleted keys linger in freed pages until the file is rewritten.
		b.scrubSoon()
	}
	if oc.Effect.Kind != conversation.EffNone {
		b.disp.Notify() // freed seats may have been offered
	}
	p := pressed{id: ev.callbackID, toast: oc.Toast}
	if p.id != "" && oc.Clear {
		p.clear = ev.callbackMsg
	}
	b.answer(ctx, ev.chatID, sent, p)
}

// world reads what a transition of conversation c may need besides it:
// the person's standing and c's course. With wide (an input that may list
// every course: /start, a course chosen; Terima, whose batch may be
// another course's, closed by its organisers) and in a one-course bot, every
// batch of every course is read; otherwise c's course's and those the
// person holds a registration in, which is all a step about one course
// shows, and a step costs the same with ten courses as with one.
func (b *Bot) world(tx *store.Tx, c store.Conversation, now time.Time, wide bool) (conversation.World, error) {
	// Registration opened or closed by organisers (/buka, /tutup) wins
	// over the config.
	if wide || b.cat.Single() {
		cat := tx.WithCatalogOverrides(b.cat)
		s, err := tx.Standing(cat.Batches(), c.UserID, now)
		w := conversation.World{Standing: s, Catalog: cat, Now: now}
		w.SetCourse(conversation.CourseOf(cat, c))
		if err != nil {
			return w, err
		}
		return w, b.pendingSurvey(tx, &w, c.UserID, now)
	}
	co := tx.WithBatchOverrides(conversation.CourseOf(b.cat, c))
	cat := b.cat.With(co)
	s, err := tx.StandingIn(cat, co, c.UserID, now)
	w := conversation.World{Standing: s, Catalog: cat, Now: now}
	w.SetCourse(co)
	if err != nil {
		return w, err
	}
	return w, b.pendingSurvey(tx, &w, c.UserID, now)
}

// pendingSurvey reads what the survey keeps about userID, of any course.
func (b *Bot) pendingSurvey(tx *store.Tx, w *conversation.World, userID int64, now time.Time) error {
	var err error
	w.Survey, err = tx.SurveyStanding(w.Catalog, userID, append(w.SignedUp[:len(w.SignedUp):len(w.SignedUp)], w.Elsewhere...), now)
	return err
}

// wide reports whether input in may show or choose among every course
// (see world).
func wide(in conversation.Input) bool {
	return in.Kind == telegram.InCommand && locale.Canonical(in.Command) == "start" ||
		in.Kind == telegram.InButton && (in.Button.Action == conversation.ActCourse || in.Button.Action == conversation.ActAccept)
}

// seats says how batch's seats are handed out; the store checks the batch
// rules (open, not started, no overlap with any course's other batches)
// and the course's intake rules (one person one place, eligibility).
func (b *Bot) seats(batch store.Batch) store.Seats {
	claim := b.opt.ClaimWindow
	var intake store.Intake
	if c, ok := b.cat.CourseOf(batch.ID); ok {
		claim, intake = c.ClaimWindow, c.Intake()
	}
	return store.Seats{Batch: batch, Claim: claim, Batches: b.batches, Intake: intake}
}

// allSeats is the seats of every batch of every course.
func (b *Bot) allSeats() []store.Seats { return b.cat.AllSeats(b.seats) }

// apply carries out a transition's effect inside the handler's
// transaction and adds what conversation.Settle says about it. erased
// reports that the person's data is gone (the conversation must not be
// stored again).
func (b *Bot) apply(tx *store.Tx, oc *conversation.Outcome) (erased bool, err error) {
	c, e := oc.Conv, oc.Effect
	now := b.now()
	var r conversation.Result
	if e.Kind == conversation.EffErase {
		_, r.Err = tx.Erase(b.allSeats(), c.UserID, now)
	} else {
		batch := e.BatchOf(c)
		bt, co, ok := b.cat.Batch(batch)
		switch {
		case !ok && e.Kind == conversation.EffSurvey:
			// A forged survey button: nobody was asked about it.
			r.Err = store.ErrSurveyNotInvited
		case !ok:
			return false, fmt.Errorf("effect %d: unknown batch %q", e.Kind, batch)
		}
		r.Before, err = tx.Participant(batch, c.UserID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return false, err
		}
		p := store.Participant{
			UserID: c.UserID, ChatID: c.ChatID, Batch: bt.ID, Answers: c.Answers, Lang: c.Lang,
			ConsentAt: c.ConsentAt, RegisteredAt: now,
		}
		switch e.Kind {
		case conversation.EffConfirm:
			r.Participant, r.Err = tx.TakeSeat(b.seats(bt), p, now)
		case conversation.EffJoinWait:
			r.Position, r.Err = tx.JoinWaitingList(b.seats(bt), p, now)
		case conversation.EffAmend:
			r.Participant, r.Err = tx.UpdateAnswers(b.seats(bt), c.UserID, c.Answers, now)
		case conversation.EffCancel:
			_, r.Err = tx.CancelRegistration(b.seats(bt), c.UserID, now)
		case conversation.EffAccept:
			r.Participant, r.Err = tx.AcceptOffer(b.seats(bt), c.UserID, now)
		case conversation.EffDecline:
			_, r.Err = tx.DeclineOffer(b.seats(bt), c.UserID, now)
		case conversation.EffComing, conversation.EffGone:
			_, r.Err = tx.AnswerStillComing(b.seats(bt), c.UserID, e.Kind == conversation.EffComing, now)
		case conversation.EffSurvey:
			if ok {
				r.Survey, r.SurveyDone, r.Err = tx.AnswerSurvey(co, bt, c.UserID, e.Survey, now)
				// An anonymous set's deleted progress named the person.
				oc.Scrub = r.SurveyDone && !co.Survey.Linked
			}
		}
		if errors.Is(r.Err, store.ErrAlreadyWaiting) {
			r.Position, _ = tx.WaitingPosition(bt.ID, c.UserID)
		}
		if err := auditNIKConflict(tx, c.UserID, bt.ID, r.Err, now); err != nil {
			return false, err
		}
	}
	// After Terima every course is read, as before it (wide): the
	// refusal of a closed batch shows what is open in the offer's course.
	after, err := b.world(tx, c, now, e.Kind == conversation.EffAccept)
	if err != nil {
		return false, err
	}
	res, err := conversation.Settle(c, after, e, r)
	if err != nil {
		return false, err
	}
	oc.Conv = res.Conv
	oc.Replies = telegram.Join(append(oc.Replies, res.Replies...))
	if res.Toast != "" {
		oc.Toast = res.Toast
	}
	return e.Kind == conversation.EffErase && r.Err == nil, nil
}

// record stores replies owed to chat in tx, each cut into messages
// Telegram takes (telegram.Split): every reply passes here, and each part
// is forgotten on its own once sent.
func record(tx *store.Tx, chat int64, rs []reply) ([]store.Reply, error) {
	out := make([]store.Reply, 0, len(rs))
	var parts []reply
	for _, r := range rs {
		parts = append(parts, telegram.Split(r)...)
	}
	for _, r := range parts {
		data, err := json.Marshal(r)
		if err != nil {
			return nil, err
		}
		id, err := tx.AddReply(chat, data)
		if err != nil {
			return nil, fmt.Errorf("record reply: %w", err)
		}
		out = append(out, store.Reply{ID: id, ChatID: chat, Payload: data, Message: r})
	}
	return out, nil
}

// recordDone records the replies owed to chat and drops update from the
// journal, in tx: how every handler's transaction ends.
func recordDone(tx *store.Tx, update, chat int64, rs []reply) ([]store.Reply, error) {
	sent, err := record(tx, chat, rs)
	if err != nil {
		return nil, err
	}
	return sent, tx.DoneUpdate(update)
}

// apologise answers an update whose transaction failed with apology, the
// pressed button's spinner stopped after it; the update leaves the
// journal.
func (b *Bot) apologise(ctx context.Context, update int64, ev event, apology string) {
	b.finishPress(ctx, update, ev.chatID, []reply{{Text: apology}}, pressed{id: ev.callbackID})
}

// pressed is the answer to a pressed button: its query (none when empty),
// the toast, and the message whose buttons to clear (0: none).
type pressed struct {
	id, toast string
	clear     int
}

// answer sends replies recorded for chat and answers a press, in the
// chat's order, without waiting for them: the reply goes first, the
// press's answer and the clearing after it (telegram.Client.Answer).
func (b *Bot) answer(ctx context.Context, chat int64, sent []store.Reply, p pressed) {
	if len(sent) == 0 && p.id == "" {
		return
	}
	b.tg.Answer(ctx, telegram.Answer{Chat: chat, Replies: sent, CallbackID: p.id, Toast: p.toast, Clear: p.clear})
}

// finish drops an update from the journal with the given replies (none to
// ignore it) and sends them.
func (b *Bot) finish(ctx context.Context, updateID, chat int64, rs []reply) {
	b.finishPress(ctx, updateID, chat, rs, pressed{})
}

// finishPress is finish that also answers a press.
func (b *Bot) finishPress(ctx context.Context, updateID, chat int64, rs []reply, p pressed) {
	var sent []store.Reply
	err := b.db.Batch(func(tx *store.Tx) error {
		var err error
		sent, err = recordDone(tx, updateID, chat, rs)
		return err
	})
	if err != nil {
		b.log.Error("finish update", "update_id", updateID, "err", err)
		sent = nil
	}
	b.answer(ctx, chat, sent, p)
}

// onOverflow tells a person who writes faster than they are answered,
// once, that the messages meanwhile are dropped unhandled
// (telegram.Service.Overflow).
func (b *Bot) onOverflow(ctx context.Context, chat int64, us []*telegram.Update, first bool) {
	if !first || len(us) == 0 || us[0].Kind != telegram.Private {
		return
	}
	var sent []store.Reply
	err := b.db.Batch(func(tx *store.Tx) error {
		var err error
		sent, err = record(tx, chat, []reply{{Text: locale.For(b.langOf(us[0].LanguageCode)).Messages.SlowDown}})
		return err
	})
	if err != nil {
		b.log.Error("drop updates of a busy chat", "chat_id", chat, "err", err)
		return
	}
	b.answer(ctx, chat, sent, pressed{})
}

// groupPointers remembers when the bot last pointed each group to the
// private chat, so that a group that writes a lot gets one pointer per
// groupPointerEvery, not one per message.
type groupPointers struct {
	mu   sync.Mutex
	last map[int64]time.Time
}

// groupPointerEvery is how often a group is pointed to the private chat
// at most.
const groupPointerEvery = 5 * time.Minute

// point reports whether group may be pointed to the private chat at now,
// and if so remembers it.
func (g *groupPointers) point(group int64, now time.Time) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.last == nil {
		g.last = map[int64]time.Time{}
	}
	if t, ok := g.last[group]; ok && now.Sub(t) < groupPointerEvery {
		return false
	}
	if len(g.last) > 1024 {
		for id, t := range g.last {
			if now.Sub(t) >= groupPointerEvery {
				delete(g.last, id)
			}
		}
	}
	g.last[group] = now
	return true
}
