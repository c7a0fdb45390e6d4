package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/daftar-bot/daftar/report"
	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram"
)

// Organiser button actions. They share callback_data's "seq:action:arg"
// form with the participants' buttons (callback.go) but no action name
// (TestOrganiserActions checks it), so that a press is routed by its
// action alone: an organiser's to organiserButton, anyone else's to the
// conversation, where it is stale. Seq carries a number (an
// announcement id, a user id, a page or a day), Arg a token; batch ids
// are [a-z0-9-], so "_" separates the parts of an Arg. Nothing in them is
// trusted: every press is checked against the sender and the store.
// Persisted in messages already sent: only add.
const (
	actAudience   = "aa" // Seq announcement, Arg all | wait | ever | b_<batch>
	actAnnSend    = "as" // Kirim: Seq announcement
	actAnnCancel  = "ax" // Batal: Seq announcement
	actListPage   = "ap" // Seq page, Arg batch
	actListShow   = "ai" // Seq user, Arg batch
	actRollBatch  = "ab" // Arg batch: choose its day
	actRollDay    = "ad" // Seq day, Arg batch
	actRollToggle = "at" // Seq user, Arg <batch>_<day>_<page>
	actRollPage   = "ar" // Seq page, Arg <batch>_<day>
	actOpenPick   = "ak" // Seq 1 open | 0 close, Arg batch: ask to confirm
	actOpen       = "ao" // Arg batch: confirmed
	actClose      = "ac" // Arg batch: confirmed
	actDismiss    = "az" // Batal on a confirmation
)

// organiserActions are the actions routed to organiserButton.
var organiserActions = map[string]bool{
	actAudience: true, actAnnSend: true, actAnnCancel: true, actListPage: true, actListShow: true,
	actRollBatch: true, actRollDay: true, actRollToggle: true, actRollPage: true,
	actOpenPick: true, actOpen: true, actClose: true, actDismiss: true,
}

// organiserCommand is one command of the organisers' menu, by its
// canonical name; the catalogues name it in their languages.
type organiserCommand struct {
	id   string
	desc func(*OrganiserMessages) string
	run  func(*Bot, *orgReq)
}

// organiserCommands is the organisers' menu, in menu order.
var organiserCommands = []organiserCommand{
	{"umumkan", func(m *OrganiserMessages) string { return m.CmdAnnounce }, (*Bot).cmdAnnounce},
	{"umumkan_status", func(m *OrganiserMessages) string { return m.CmdAnnounceStatus }, (*Bot).cmdAnnounceStatus},
	{"peserta", func(m *OrganiserMessages) string { return m.CmdParticipants }, (*Bot).cmdParticipants},
	{"absen", func(m *OrganiserMessages) string { return m.CmdAttendance }, (*Bot).cmdRollCall},
	{"ekspor", func(m *OrganiserMessages) string { return m.CmdExport }, (*Bot).cmdExport},
	{"statistik", func(m *OrganiserMessages) string { return m.CmdStatistics }, (*Bot).cmdStatistics},
	{"buka", func(m *OrganiserMessages) string { return m.CmdOpen }, func(b *Bot, r *orgReq) { b.cmdOpenClose(r, true) }},
	{"tutup", func(m *OrganiserMessages) string { return m.CmdClose }, func(b *Bot, r *orgReq) { b.cmdOpenClose(r, false) }},
	{"log", func(m *OrganiserMessages) string { return m.CmdLog }, (*Bot).cmdLog},
}

// organiserHelp lists the organiser commands in m's language.
func organiserHelp(m *Messages) string {
	var b strings.Builder
	b.WriteString(m.OrganiserHelp)
	for _, c := range commands(m, true)[len(commands(m, false)):] {
		fmt.Fprintf(&b, "\n/%s — %s", c.Command, esc(c.Description))
	}
	return b.String()
}

// isAdmin reports whether userID is an organiser: one of telegram.admins.
// Telegram vouches for the sender's id; nothing else is trusted.
func (b *Bot) isAdmin(userID int64) bool { return userID > 0 && b.admins[userID] }

// orgReq is one organiser update being handled.
type orgReq struct {
	ctx    context.Context
	update int64
	ev     event
	msg    *telegram.Update // the message, for commands and announcements (nil for other updates)
	name   string           // the organiser's first name, for the audit log
	now    time.Time
	lang   string
	m      *OrganiserMessages
	pm     *Messages // the participants' catalogue in the same language: dates, Stale, Apology
}

// orgResult is what an organiser action answers, sent after its
// transaction commits.
type orgResult struct {
	toast   string   // the answer to a button press
	edit    *reply   // the pressed message's new text and buttons
	copyOf  [2]int64 // chat and message to copy to the organiser first (a preview); zero for none
	replies []reply  // new messages, recorded in the transaction
	after   func(context.Context)
	sent    bool // an announcement went into the outbox
}

// organiserUpdate handles an organiser's update when it is theirs to
// handle: an organiser command, an organiser button, or the message of an
// announcement they were asked for. It reports false for everything else,
// which goes to the conversation like anyone's. Only organisers get here,
// and every path checks it again.
func (b *Bot) organiserUpdate(ctx context.Context, u *telegram.Update, ev event) bool {
	if !b.isAdmin(ev.userID) {
		return false
	}
	switch ev.in.kind {
	case inCommand:
		return b.organiserCommand(ctx, u, ev)
	case inButton:
		if !organiserActions[ev.in.button.Action] {
			return false
		}
		b.organiserButton(b.newOrgReq(ctx, u, ev))
		return true
	case inEdited:
		return false
	}
	if u.MessageID == 0 {
		return false
	}
	return b.captureAnnouncement(b.newOrgReq(ctx, u, ev))
}

func (b *Bot) newOrgReq(ctx context.Context, u *telegram.Update, ev event) *orgReq {
	r := &orgReq{ctx: ctx, update: u.ID, ev: ev, now: b.now(), lang: ev.lang, name: u.FirstName}
	if u.MessageID != 0 {
		r.msg = u
	}
	_ = b.db.View(func(tx *store.Tx) error {
		r.lang = b.orgLang(tx, ev.userID, ev.lang)
		return nil
	})
	r.m, r.pm = organiserMessages(r.lang), messages(r.lang)
	return r
}

// orgLang is the language an organiser reads: the one they chose in
// their conversation, else their Telegram client's.
func (b *Bot) orgLang(tx *store.Tx, userID int64, fallback string) string {
	if c, found, err := tx.Conversation(userID); err == nil && found && c.Lang != "" {
		return c.Lang
	}
	if fallback == "" {
		return b.course.Language
	}
	return fallback
}

// organiserCommand runs an organiser command; it reports false when cmd
// is none (a participant command, or an unknown one).
func (b *Bot) organiserCommand(ctx context.Context, u *telegram.Update, ev event) bool {
	if !b.isAdmin(ev.userID) {
		return false
	}
	cmd := canonicalCommand(ev.in.command)
	switch cmd {
	case "jadwal":
		r := b.newOrgReq(ctx, u, ev)
		b.finish(ctx, u.ID, ev.chatID, []reply{{Text: b.schedule(r.pm)}})
		return true
	case "batal":
		// While the bot waits for an announcement, /batal drops it;
		// otherwise it is the participants' /batal.
		return b.cancelAwaited(b.newOrgReq(ctx, u, ev))
	case "bantuan":
		// Organisers see their own commands under the participants'.
		r := b.newOrgReq(ctx, u, ev)
		b.finish(ctx, u.ID, ev.chatID, []reply{{Text: r.pm.Help + "\n\n" + organiserHelp(r.pm)}})
		return true
	}
	for _, c := range organiserCommands {
		if cmd == c.id {
			c.run(b, b.newOrgReq(ctx, u, ev))
			return true
		}
	}
	return false
}

// organiserButton runs an organiser button press.
func (b *Bot) organiserButton(r *orgReq) {
	if !b.isAdmin(r.ev.userID) {
		b.answerCallback(r.ctx, r.ev.callbackID, r.pm.Stale)
		b.finish(r.ctx, r.update, 0, nil)
		return
	}
	cb := r.ev.in.button
	switch cb.Action {
	case actAudience:
		b.pressAudience(r, uint64(cb.Seq), cb.Arg)
	case actAnnSend:
		b.pressSend(r, uint64(cb.Seq))
	case actAnnCancel:
		b.pressCancelAnnouncement(r, uint64(cb.Seq))
	case actListPage:
		b.pressListPage(r, cb.Arg, int(cb.Seq))
	case actListShow:
		b.pressListShow(r, cb.Arg, cb.Seq)
	case actRollBatch:
		b.pressRollBatch(r, cb.Arg)
	case actRollDay:
		b.pressRollDay(r, cb.Arg, int(cb.Seq))
	case actRollToggle:
		b.pressRollToggle(r, cb.Seq, cb.Arg)
	case actRollPage:
		b.pressRollPage(r, cb.Arg, int(cb.Seq))
	case actOpenPick:
		b.pressOpenPick(r, cb.Arg, cb.Seq == 1)
	case actOpen, actClose:
		b.pressOpenClose(r, cb.Arg, cb.Action == actOpen)
	case actDismiss:
		b.orgDo(r, func(*store.Tx) (orgResult, error) {
			return orgResult{edit: &reply{Text: r.m.Dismissed}}, nil
		})
	default:
		b.orgDo(r, func(*store.Tx) (orgResult, error) { return r.stale(), nil })
	}
}

// stale is the answer to a press that no longer applies (or never did).
func (r *orgReq) stale() orgResult { return orgResult{toast: r.pm.Stale} }

// orgButton is an organiser button.
func orgButton(label string, seq int64, action, arg string) button {
	return button{Text: label, Data: callback{Seq: seq, Action: action, Arg: arg}.String()}
}

// orgDo runs an organiser action: fn in one transaction with the audit
// entry it writes, the replies it records and the update leaving the
// journal; then, after commit, the toast, the edit of the pressed message,
// a preview copy, the replies and whatever else the action sends. The
// bbolt write lock is never held across a request to Telegram.
func (b *Bot) orgDo(r *orgReq, fn func(*store.Tx) (orgResult, error)) {
	var (
		res  orgResult
		sent []store.Reply
	)
	err := b.db.Update(func(tx *store.Tx) error {
		var err error
		if res, err = fn(tx); err != nil {
			return err
		}
		if sent, err = record(tx, r.ev.chatID, res.replies); err != nil {
			return err
		}
		return tx.DoneUpdate(r.update)
	})
	if err != nil {
		b.log.Error("organiser action", "update_id", r.update, "chat_id", r.ev.chatID, "err", err)
		if r.ev.callbackID != "" {
			b.answerCallback(r.ctx, r.ev.callbackID, "")
		}
		b.finish(r.ctx, r.update, r.ev.chatID, []reply{{Text: r.pm.Apology}})
		return
	}
	if r.ev.callbackID != "" {
		b.answerCallback(r.ctx, r.ev.callbackID, res.toast)
	}
	if res.edit != nil && r.ev.callbackMsg != 0 {
		b.editMessage(r.ctx, r.ev.chatID, r.ev.callbackMsg, *res.edit)
	}
	if res.copyOf[1] != 0 {
		if _, err := b.send.Copy(r.ctx, r.ev.chatID, res.copyOf[0], int(res.copyOf[1])); err != nil {
			b.log.Warn("announcement preview", "chat_id", r.ev.chatID, "err", err)
		}
	}
	for _, rep := range sent {
		b.tg.Deliver(r.ctx, rep)
	}
	if res.after != nil {
		res.after(r.ctx)
	}
	if res.sent {
		b.disp.Notify()
		b.progress.notify()
	}
}

// editMessage replaces a message's text and buttons. Not durable: the
// message on screen is the organiser's view, and the next press renders
// it again from the store.
func (b *Bot) editMessage(ctx context.Context, chat int64, msg int, r reply) {
	if err := b.send.Edit(ctx, chat, msg, r); err != nil {
		b.log.Warn("edit message", "chat_id", chat, "err", err)
	}
}

// batchArg finds the batch an organiser named: its id or its name,
// ignoring case.
func (b *Bot) batchArg(arg string) (store.Batch, bool) {
	arg = strings.TrimSpace(arg)
	if arg == "" {
		return store.Batch{}, false
	}
	for _, bt := range b.course.Batches {
		if strings.EqualFold(arg, bt.ID) || strings.EqualFold(arg, bt.Name) {
			return bt, true
		}
	}
	return store.Batch{}, false
}

// unknownBatch tells an organiser which batches there are.
func (b *Bot) unknownBatch(r *orgReq, arg string) string {
	ids := make([]string, len(b.course.Batches))
	for i, bt := range b.course.Batches {
		ids[i] = "<code>" + esc(bt.ID) + "</code>"
	}
	return fmt.Sprintf(r.m.UnknownBatch, esc(arg), strings.Join(ids, ", "))
}

// batchButtons is one button per batch, "name (n)", with n from count.
func (b *Bot) batchButtons(r *orgReq, tx *store.Tx, action string, seq int64, count func(string) (int, error)) ([][]button, error) {
	var rows [][]button
	for _, bt := range b.course.Batches {
		label := bt.Name
		if count != nil {
			n, err := count(bt.ID)
			if err != nil {
				return nil, err
			}
			label = fmt.Sprintf(r.m.BtnCount, bt.Name, n)
		}
		rows = append(rows, []button{orgButton(label, seq, action, bt.ID)})
	}
	return rows, nil
}

// schedule lists the reminders still to come per batch with how many
// people each goes to now, and the outbox backlog.
func (b *Bot) schedule(m *Messages) string {
	var up []store.Reminder
	if b.opt.Upcoming != nil {
		up = b.opt.Upcoming(b.now())
	}
	var out strings.Builder
	out.WriteString(m.Schedule + "\n")
	err := b.db.View(func(tx *store.Tx) error {
		shown := 0
		for _, bt := range b.course.Batches {
			var lines []string
			n, err := tx.RegisteredIn(bt.ID)
			if err != nil {
				return err
			}
			for _, u := range up {
				if u.Batch != bt.ID || len(lines) >= 4 {
					continue
				}
				at := u.At.In(b.course.Location)
				slot := m.SlotMorning
				if u.Slot == store.Evening {
					slot = m.SlotEvening
				}
				lines = append(lines, fmt.Sprintf(m.ScheduleLine, m.date(at)+" "+at.Format("15:04"), slot, u.Day, bt.Days, len(n)))
			}
			if len(lines) == 0 {
				continue
			}
			shown++
			fmt.Fprintf(&out, m.ScheduleBatch+"\n%s\n", esc(bt.Name), strings.Join(lines, "\n"))
		}
		if shown == 0 {
			out.WriteString("\n" + m.ScheduleNone + "\n")
		}
		return nil
	})
	if err != nil {
		b.log.Error("schedule", "err", err)
	}
	counts, err := b.db.OutboxCounts()
	if err != nil {
		b.log.Error("outbox counts", "err", err)
	}
	fmt.Fprintf(&out, m.ScheduleBacklog, counts[store.OutboxQueued], counts[store.OutboxFailed], counts[store.OutboxUndeliverable])
	return out.String()
}

// --- Participant list -------------------------------------------------

// listPageSize is how many participants one page of /peserta shows.
const listPageSize = 10

func (b *Bot) cmdParticipants(r *orgReq) {
	b.orgDo(r, func(tx *store.Tx) (orgResult, error) {
		arg := r.ev.in.arg
		bt, ok := b.batchArg(arg)
		switch {
		case ok:
		case arg != "":
			return orgResult{replies: []reply{{Text: b.unknownBatch(r, arg)}}}, nil
		case len(b.course.Batches) == 1:
			bt = b.course.Batches[0]
		default:
			rows, err := b.batchButtons(r, tx, actListPage, 0, func(id string) (int, error) {
				ps, err := batchParticipants(tx, id)
				return len(ps), err
			})
			if err != nil {
				return orgResult{}, err
			}
			return orgResult{replies: []reply{{Text: r.m.ListChooseBatch, Inline: rows}}}, nil
		}
		page, err := b.listPage(r, tx, bt, 0)
		return orgResult{replies: []reply{page}}, err
	})
}

func (b *Bot) pressListPage(r *orgReq, batch string, page int) {
	b.orgDo(r, func(tx *store.Tx) (orgResult, error) {
		bt, ok := b.course.Batch(batch)
		if !ok || page < 0 {
			return r.stale(), nil
		}
		p, err := b.listPage(r, tx, bt, page)
		return orgResult{edit: &p}, err
	})
}

// batchParticipants returns everyone of batch: registered by seat, then
// waiting, then cancelled.
func batchParticipants(tx *store.Tx, batch string) ([]store.Participant, error) {
	all, err := tx.Participants()
	if err != nil {
		return nil, err
	}
	var out []store.Participant
	for _, p := range all {
		if p.Batch == batch {
			out = append(out, p)
		}
	}
	return out, nil
}

// listPage renders page (from 0) of batch's participants: a line each,
// a button each to show all their answers, ◀ ▶ to turn pages.
func (b *Bot) listPage(r *orgReq, tx *store.Tx, bt store.Batch, page int) (reply, error) {
	ps, err := batchParticipants(tx, bt.ID)
	if err != nil {
		return reply{}, err
	}
	if len(ps) == 0 {
		return reply{Text: fmt.Sprintf(r.m.ListEmpty, esc(bt.Name))}, nil
	}
	pages := (len(ps) + listPageSize - 1) / listPageSize
	page = min(page, pages-1)
	counts := map[store.Status]int{}
	for _, p := range ps {
		counts[p.Status]++
	}
	var text strings.Builder
	fmt.Fprintf(&text, r.m.ListHead, esc(bt.Name), counts[store.StatusRegistered], bt.Capacity, counts[store.StatusWaiting], counts[store.StatusCancelled], page+1, pages)
	var rows [][]button
	var row []button
	for _, p := range ps[page*listPageSize : min(len(ps), (page+1)*listPageSize)] {
		num, err := b.number(tx, r, p)
		if err != nil {
			return reply{}, err
		}
		phone := b.phoneOf(p)
		if phone == "" {
			phone = "–"
		}
		fmt.Fprintf(&text, "\n"+r.m.ListLine, esc(num), esc(b.nameOf(p)), esc(phone), r.m.status(p.Status))
		row = append(row, orgButton(shorten(num+" "+b.nameOf(p), 24), p.UserID, actListShow, bt.ID))
		if len(row) == 2 {
			rows, row = append(rows, row), nil
		}
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	var nav []button
	if page > 0 {
		nav = append(nav, orgButton(r.m.BtnPrev, int64(page-1), actListPage, bt.ID))
	}
	if page+1 < pages {
		nav = append(nav, orgButton(r.m.BtnNext, int64(page+1), actListPage, bt.ID))
	}
	if len(nav) > 0 {
		rows = append(rows, nav)
	}
	text.WriteString("\n\n" + r.m.ListHint)
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
		return fmt.Sprintf(r.m.WaitingNumber, n), err
	}
	return "–", nil
}

// nameOf is a participant's name: the answer with key "name", else the
// first text answer, else their user id.
func (b *Bot) nameOf(p store.Participant) string {
	if n := strings.TrimSpace(p.Answers["name"]); n != "" {
		return n
	}
	for _, f := range b.course.Fields {
		if f.Kind == store.KindText && strings.TrimSpace(p.Answers[f.Key]) != "" {
			return strings.TrimSpace(p.Answers[f.Key])
		}
	}
	return "#" + strconv.FormatInt(p.UserID, 10)
}

// phoneOf is the answer to the first phone field.
func (b *Bot) phoneOf(p store.Participant) string {
	for _, f := range b.course.Fields {
		if f.Kind == store.KindPhone {
			return p.Answers[f.Key]
		}
	}
	return ""
}

func (b *Bot) pressListShow(r *orgReq, batch string, userID int64) {
	b.orgDo(r, func(tx *store.Tx) (orgResult, error) {
		bt, ok := b.course.Batch(batch)
		if !ok {
			return r.stale(), nil
		}
		p, err := tx.Participant(bt.ID, userID)
		if errors.Is(err, store.ErrNotFound) {
			return orgResult{toast: r.m.Gone}, nil
		}
		if err != nil {
			return orgResult{}, err
		}
		text, err := b.participantDetail(r, tx, bt, p)
		return orgResult{replies: []reply{{Text: text}}}, err
	})
}

// participantDetail is everything a participant answered, with their
// registration and attendance.
func (b *Bot) participantDetail(r *orgReq, tx *store.Tx, bt store.Batch, p store.Participant) (string, error) {
	num, err := b.number(tx, r, p)
	if err != nil {
		return "", err
	}
	var out strings.Builder
	fmt.Fprintf(&out, r.m.DetailHead, esc(b.nameOf(p)), esc(bt.Name), esc(num), r.m.status(p.Status))
	if !p.RegisteredAt.IsZero() {
		at := p.RegisteredAt.In(b.course.Location)
		fmt.Fprintf(&out, "\n"+r.m.DetailRegistered, r.pm.date(at)+" "+at.Format("15:04"))
	}
	if p.Status == store.StatusRegistered {
		days, err := tx.DaysPresent(bt.ID, p.UserID)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&out, "\n"+r.m.DetailAttendance, days, bt.Days)
		if b.course.CertificateEligible(p.Status, days) {
			out.WriteString(" " + r.m.Eligible)
		}
	}
	out.WriteString("\n")
	for _, f := range b.course.Fields {
		v := p.Answers[f.Key]
		if v == "" {
			v = "–"
		}
		fmt.Fprintf(&out, "\n<b>%s</b>: %s", esc(f.Question(r.lang)), esc(v))
	}
	if p.Lang != "" {
		fmt.Fprintf(&out, "\n\n"+r.m.DetailLang, esc(p.Lang))
	}
	return out.String(), nil
}

// --- Registration control ---------------------------------------------

func (b *Bot) cmdOpenClose(r *orgReq, open bool) {
	b.orgDo(r, func(tx *store.Tx) (orgResult, error) {
		arg := r.ev.in.arg
		bt, ok := b.batchArg(arg)
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
		course := tx.WithBatchOverrides(b.course)
		var rows [][]button
		for _, bt := range course.Batches {
			state := r.m.StateClosed
			if bt.Open {
				state = r.m.StateOpen
			}
			rows = append(rows, []button{orgButton(bt.Name+" · "+state, seq, actOpenPick, bt.ID)})
		}
		return orgResult{replies: []reply{{Text: ask, Inline: rows}}}, nil
	})
}

// openCloseAsk asks to confirm opening or closing bt.
func (b *Bot) openCloseAsk(r *orgReq, tx *store.Tx, bt store.Batch, open bool) reply {
	cur, _ := tx.WithBatchOverrides(b.course).Batch(bt.ID)
	state := r.m.StateClosed
	if cur.Open {
		state = r.m.StateOpen
	}
	text, label, action := r.m.CloseAsk, r.m.BtnClose, actClose
	if open {
		text, label, action = r.m.OpenAsk, r.m.BtnOpen, actOpen
	}
	return reply{
		Text:   fmt.Sprintf(text, esc(bt.Name), state),
		Inline: [][]button{{orgButton(label, 0, action, bt.ID), orgButton(r.m.BtnCancel, 0, actDismiss, "")}},
	}
}

func (b *Bot) pressOpenPick(r *orgReq, batch string, open bool) {
	b.orgDo(r, func(tx *store.Tx) (orgResult, error) {
		bt, ok := b.course.Batch(batch)
		if !ok {
			return r.stale(), nil
		}
		ask := b.openCloseAsk(r, tx, bt, open)
		return orgResult{edit: &ask}, nil
	})
}

func (b *Bot) pressOpenClose(r *orgReq, batch string, open bool) {
	b.orgDo(r, func(tx *store.Tx) (orgResult, error) {
		bt, ok := b.course.Batch(batch)
		if !ok {
			return r.stale(), nil
		}
		cur, _ := tx.WithBatchOverrides(b.course).Batch(bt.ID)
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
		err := tx.Audit(store.AuditEntry{At: r.now, By: r.ev.userID, ByName: r.name, Action: action, Batch: bt.ID})
		return orgResult{edit: &reply{Text: fmt.Sprintf(done, esc(bt.Name))}}, err
	})
}

// --- Export, statistics, log ------------------------------------------

func (b *Bot) cmdExport(r *orgReq) {
	arg := r.ev.in.arg
	batch := ""
	if arg != "" && !strings.EqualFold(arg, "semua") && !strings.EqualFold(arg, "all") {
		bt, ok := b.batchArg(arg)
		if !ok {
			b.finish(r.ctx, r.update, r.ev.chatID, []reply{{Text: b.unknownBatch(r, arg)}})
			return
		}
		batch = bt.ID
	}
	xlsx, csv, err := report.Export(b.db, b.course, batch, r.now)
	if err != nil {
		b.log.Error("export", "batch", batch, "err", err)
		b.finish(r.ctx, r.update, r.ev.chatID, []reply{{Text: r.m.ExportFailed}})
		return
	}
	b.orgDo(r, func(tx *store.Tx) (orgResult, error) {
		err := tx.Audit(store.AuditEntry{At: r.now, By: r.ev.userID, ByName: r.name, Action: store.AuditExport, Batch: batch, Detail: "xlsx,csv"})
		return orgResult{after: func(ctx context.Context) {
			b.sendDocument(ctx, r.ev.chatID, report.ExportFileName(batch, r.now, "xlsx"), xlsx)
			b.sendDocument(ctx, r.ev.chatID, report.ExportFileName(batch, r.now, "csv"), csv)
		}}, err
	})
}

func (b *Bot) sendDocument(ctx context.Context, chat int64, name string, data []byte) {
	if err := b.send.SendDocument(ctx, chat, name, data); err != nil {
		b.log.Error("send document", "chat_id", chat, "err", err)
	}
}

func (b *Bot) cmdStatistics(r *orgReq) {
	text, chart, err := report.Statistics(b.db, b.course, r.lang, r.now)
	if err != nil {
		b.log.Error("statistics", "err", err)
		b.finish(r.ctx, r.update, r.ev.chatID, []reply{{Text: r.m.StatisticsFailed}})
		return
	}
	b.orgDo(r, func(*store.Tx) (orgResult, error) {
		res := orgResult{replies: []reply{{Text: text}}}
		if len(chart) > 0 {
			res.after = func(ctx context.Context) {
				if err := b.send.SendPhoto(ctx, r.ev.chatID, "statistik.png", chart); err != nil {
					b.log.Error("send chart", "chat_id", r.ev.chatID, "err", err)
				}
			}
		}
		return res, nil
	})
}

// logSize is how many audit entries /log shows.
const logSize = 20

func (b *Bot) cmdLog(r *orgReq) {
	b.orgDo(r, func(tx *store.Tx) (orgResult, error) {
		es, err := tx.AuditLog(logSize)
		if err != nil {
			return orgResult{}, err
		}
		if len(es) == 0 {
			return orgResult{replies: []reply{{Text: r.m.LogNone}}}, nil
		}
		var out strings.Builder
		fmt.Fprintf(&out, r.m.LogHead, len(es))
		for _, e := range es {
			at := e.At.In(b.course.Location)
			fmt.Fprintf(&out, "\n"+r.m.LogLine, at.Format("02-01 15:04"), esc(b.who(e)), b.auditText(r, tx, e))
		}
		return orgResult{replies: []reply{{Text: out.String()}}}, nil
	})
}

// who names who did what an audit entry records: the organiser's first
// name then, with the id the config lists.
func (b *Bot) who(e store.AuditEntry) string {
	switch {
	case e.By == 0:
		return "–"
	case e.ByName != "":
		return e.ByName + " (#" + strconv.FormatInt(e.By, 10) + ")"
	}
	return "#" + strconv.FormatInt(e.By, 10)
}

// auditText says what an audit entry records, in HTML.
func (b *Bot) auditText(r *orgReq, tx *store.Tx, e store.AuditEntry) string {
	batch := e.Batch
	if bt, ok := b.course.Batch(e.Batch); ok {
		batch = bt.Name
	}
	switch e.Action {
	case store.AuditAnnouncementSent:
		return fmt.Sprintf(r.m.LogAnnouncement, e.Ref, esc(b.audienceName(r, store.Audience(e.Detail))))
	case store.AuditBatchOpened:
		return fmt.Sprintf(r.m.LogOpened, esc(batch))
	case store.AuditBatchClosed:
		return fmt.Sprintf(r.m.LogClosed, esc(batch))
	case store.AuditAttendance:
		name := r.m.Someone
		if p, err := tx.Participant(e.Batch, e.Subject); err == nil {
			name = b.nameOf(p)
		}
		text := r.m.LogAbsent
		if e.Detail == "present" {
			text = r.m.LogPresent
		}
		return fmt.Sprintf(text, esc(name), e.Day, esc(batch))
	case store.AuditExport:
		if batch == "" {
			batch = r.m.AllBatches
		}
		return fmt.Sprintf(r.m.LogExport, esc(batch))
	case store.AuditDataDeleted:
		return r.m.LogDeleted
	}
	return esc(e.Action)
}

// OrganiserMessages is everything the bot says to organisers, in one
// language (and the few lines about attendance participants read in
// /status). As with Messages, a missing text is a compile error and
// TestOrganiserMessages checks that none is empty and that both languages
// use the same verbs. Texts are HTML; button labels and toasts are plain.
type OrganiserMessages struct {
	Lang string

	CmdAnnounce, CmdAnnounceStatus, CmdParticipants, CmdAttendance string
	CmdExport, CmdStatistics, CmdOpen, CmdClose, CmdLog            string

	// Buttons. The announcement's are a contract (issue 5): scripts press them.
	BtnAudienceAll      string // n
	BtnAudienceWaiting  string // n
	BtnAudienceEveryone string // n
	BtnCount            string // batch name, n
	BtnSend, BtnCancel  string
	BtnPrev, BtnNext    string
	BtnDay              string // day
	BtnOpen, BtnClose   string

	AnnounceAsk                                               string
	AnnounceChoose                                            string
	AnnounceAudience                                          string // audience, n
	AnnouncePreview                                           string // audience, n
	AnnounceQueued                                            string // id, audience, n
	AnnounceAlreadySent                                       string // toast
	AnnounceNoRecipients                                      string // toast
	AnnounceCancelled                                         string
	AudienceAll                                               string
	AudienceWaiting                                           string
	AudienceEveryone                                          string
	AnnounceStatusHead                                        string
	AnnounceStatusLine                                        string // id, date, audience, content
	AnnounceStatusNone                                        string
	ContentText, ContentPhoto, ContentDocument, ContentVoice  string
	ContentLocation, ContentVideo, ContentAudio, ContentOther string
	ProgressHead                                              string // id, audience
	Progress                                                  string // done, total, bar, percent
	ReportHead                                                string // id, audience
	ReportCounts                                              string // delivered, blocked, failed
	ReportSkipped                                             string // n
	ReportQueued                                              string // n
	ReportReason                                              string // reason, n

	UnknownBatch     string // what was typed, the batch ids
	Gone             string // toast: the participant is no longer there
	Dismissed        string
	ListChooseBatch  string
	ListEmpty        string // batch name
	ListHead         string // batch name, registered, capacity, waiting, cancelled, page, pages
	ListLine         string // number, name, phone, status
	ListHint         string
	WaitingNumber    string // position
	WordRegistered   string
	WordWaiting      string
	WordCancelled    string
	DetailHead       string // name, batch name, number, status
	DetailRegistered string // date
	DetailAttendance string // days present, days
	DetailLang       string // language code
	Eligible         string

	RollChooseBatch string
	RollChooseDay   string // batch name
	RollBadDay      string // days
	RollNone        string // batch name
	RollHead        string // batch name, day, days, date, present, registered
	Page            string // page, pages
	RollPresent     string // toast: name
	RollAbsent      string // toast: name
	OwnAttendance   string // days present, days
	OwnEligible     string
	OwnCertificate  string // days needed

	OpenChoose, CloseChoose string
	OpenAsk, CloseAsk       string // batch name, state
	StateOpen, StateClosed  string
	Opened, Closed          string // batch name

	ExportFailed     string
	StatisticsFailed string
	AllBatches       string

	LogHead         string // n
	LogLine         string // time, who, what
	LogNone         string
	LogAnnouncement string // id, audience
	LogOpened       string // batch name
	LogClosed       string // batch name
	LogPresent      string // name, day, batch name
	LogAbsent       string // name, day, batch name
	LogExport       string // batch name or AllBatches
	LogDeleted      string
	Someone         string
}

// status is a participant status as a word.
func (m *OrganiserMessages) status(s store.Status) string {
	switch s {
	case store.StatusRegistered:
		return m.WordRegistered
	case store.StatusWaiting:
		return m.WordWaiting
	}
	return m.WordCancelled
}

// content names the kind of an announcement's message.
func (m *OrganiserMessages) content(kind string) string {
	switch kind {
	case "text":
		return m.ContentText
	case "photo":
		return m.ContentPhoto
	case "document":
		return m.ContentDocument
	case "voice":
		return m.ContentVoice
	case "location":
		return m.ContentLocation
	case "video":
		return m.ContentVideo
	case "audio":
		return m.ContentAudio
	}
	return m.ContentOther
}
