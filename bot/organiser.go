package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/daftar-bot/daftar/bot/callback"
	"github.com/daftar-bot/daftar/bot/desk"
	"github.com/daftar-bot/daftar/bot/locale"
	"github.com/daftar-bot/daftar/bot/organiser"
	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram"
)

// The organisers' side of the bot: their commands and buttons, each a line
// of one of the two tables below, run as an orgReq by orgDo. Only
// organisers get an orgReq: telegram.admins for every course, a course's
// admins for theirs (store.Catalog decides). Everyone else's commands and
// presses go to the conversation, which answers them as unknown or stale.
// An orgReq carries the organiser's courses (its organiser.Request);
// every batch, course or audience a command names or a press carries is
// checked against them. Handlers in other packages (bot/desk) take the
// organiser.Request and a transaction and return an organiser.Result;
// desk.go adapts them to the tables.

// Organiser button actions. They share callback_data's "seq:action:arg"
// form with the participants' buttons (conversation/actions.go) but no
// action name (TestOrganiserActions checks it), so that a press is routed
// by its action alone: an organiser's to its handler in organiserActions,
// anyone else's to the conversation, where it is stale. Seq carries a
// number (an announcement id, a user id, a page or a day), Arg a token;
// batch ids are [a-z0-9-], so "_" separates the parts of an Arg. Nothing
// in them is trusted: every press is checked against the sender and the
// store. Persisted in messages already sent: only add.
const (
	actAudience   = "aa"                  // Seq announcement, Arg all | wait | ever | b_<batch> | p_<batch> | c_… | cw_… | k_…
	actAnnSend    = "as"                  // Kirim: Seq announcement
	actAnnCancel  = "ax"                  // Batal: Seq announcement
	actListPage   = organiser.ActListPage // Seq page, Arg batch
	actRollBatch  = "ab"                  // Arg batch: choose its day
	actRollDay    = "ad"                  // Seq day, Arg batch
	actRollToggle = "at"                  // Seq user, Arg <batch>_<day>_<page>
	actRollPage   = "ar"                  // Seq page, Arg <batch>_<day>
	actOpenPick   = "ak"                  // Seq 1 open | 0 close, Arg batch: ask to confirm
	actOpen       = "ao"                  // Arg batch: confirmed
	actClose      = "ac"                  // Arg batch: confirmed
	actDismiss    = organiser.ActDismiss  // Batal on a confirmation
	// actCertSend ("ae") is in certificate.go.
	actCourseFor = "au" // Seq a courseCommand, Arg course: that command for the course
)

// organiserActions is every organiser button: its action and the handler
// of a press. A press of an action not listed here is not the organisers'.
var organiserActions = map[string]orgPress{
	actAudience:   draftPress((*Bot).pressAudience),
	actAnnSend:    draftPress((*Bot).pressSend),
	actAnnCancel:  draftPress((*Bot).pressCancelAnnouncement),
	actListPage:   batchPress((*Bot).pressListPage),
	actRollBatch:  batchPress((*Bot).pressRollBatch),
	actRollDay:    batchPress((*Bot).pressRollDay),
	actRollToggle: (*Bot).pressRollToggle,
	actRollPage:   (*Bot).pressRollPage,
	actOpenPick:   batchPress((*Bot).pressOpenPick),
	actOpen:       batchPress((*Bot).pressOpenClose),
	actClose:      batchPress((*Bot).pressOpenClose),
	actDismiss:    (*Bot).pressDismiss,
	actCertSend:   batchPress((*Bot).pressCertSend),
	actCourseFor:  (*Bot).pressCourseFor,
	// The staff's work at the desk (bot/desk): the detail screen of
	// /peserta's list and the staff's actions on it, the walk-in form,
	// selection.
	desk.ActListShow:       deskPress(organiser.BatchPress((*desk.Desk).PressListShow)),
	desk.ActStaffShow:      deskPress(organiser.BatchPress((*desk.Desk).PressStaffShow)),
	desk.ActStaffCancel:    deskPress(desk.StampedPress((*desk.Desk).PressStaffCancel)),
	desk.ActStaffSkip:      deskPress(organiser.BatchPress((*desk.Desk).PressStaffSkip)),
	desk.ActStaffMove:      deskPress(desk.StampedPress((*desk.Desk).PressStaffMove)),
	desk.ActStaffMoveTo:    deskPress(organiser.BatchPress((*desk.Desk).PressStaffMoveTo)),
	desk.ActStaffDetail:    deskPress(organiser.BatchPress((*desk.Desk).PressStaffDetail)),
	desk.ActStaffErase:     deskPress(desk.StampedPress((*desk.Desk).PressStaffErase)),
	desk.ActStaffEraseOK:   deskPress(desk.StampedPress((*desk.Desk).PressStaffEraseOK)),
	desk.ActEnrolBatch:     deskPress(organiser.BatchPress((*desk.Desk).PressEnrolBatch)),
	desk.ActEnrolAgree:     deskPress((*desk.Desk).PressEnrol),
	desk.ActEnrolDecline:   deskPress((*desk.Desk).PressEnrol),
	desk.ActEnrolOption:    deskPress((*desk.Desk).PressEnrol),
	desk.ActEnrolSkip:      deskPress((*desk.Desk).PressEnrol),
	desk.ActEnrolBack:      deskPress((*desk.Desk).PressEnrol),
	desk.ActEnrolCancel:    deskPress((*desk.Desk).PressEnrol),
	desk.ActEnrolConfirm:   deskPress((*desk.Desk).PressEnrol),
	desk.ActSelSelected:    deskPress(desk.DecidePress(store.StatusSelected)),
	desk.ActSelReserve:     deskPress(desk.DecidePress(store.StatusReserve)),
	desk.ActSelNotSelected: deskPress(desk.DecidePress(store.StatusNotSelected)),
	desk.ActSelPage:        deskPress(organiser.BatchPress((*desk.Desk).PressSelPage)),
	desk.ActResultsSend:    deskPress(organiser.BatchPress((*desk.Desk).PressResultsSend)),
}

// orgPress handles an organiser's button press in one transaction (orgDo):
// it reads and changes the store in tx and says what to answer, which is
// sent after commit. cb is what the button says, to be checked.
type orgPress func(b *Bot, r *orgReq, tx *store.Tx, cb callback.Data) (organiser.Result, error)

// batchPress is a press on the batch Arg names (organiser.BatchPress):
// stale when no course has such a batch or it is not one of the
// organiser's courses.
func batchPress(h func(*Bot, *orgReq, *store.Tx, store.Batch, callback.Data) (organiser.Result, error)) orgPress {
	return organiser.BatchPress(h)
}

// organiserCommand is one command of the organisers, by its canonical
// name; the catalogues name it in their languages (Catalogue.Commands).
type organiserCommand struct {
	id   string
	desc func(*locale.Catalogue) string // its line in the command menu
	run  func(*Bot, *orgReq)
	// shared marks a participants' command that does more for
	// organisers: it is in the participants' menu, not again in theirs.
	shared bool
	// only, when set, says whether this use of a shared command is the
	// organisers'; when it is not, the command is the participants'.
	only func(*Bot, *orgReq) bool
	// listed, when set, says whether the menu and /bantuan of an
	// organiser of courses list the command (it works all the same).
	listed func(courses []store.Course) bool
}

// organiserCommands is every organiser command, in menu order. A new
// command is its handler, its catalogue texts and a line here. (A
// function, not a variable: /bantuan lists the table it is in.)
func organiserCommands() []organiserCommand {
	return []organiserCommand{
		{id: "jadwal", desc: func(c *locale.Catalogue) string { return c.Messages.CmdSchedule }, run: (*Bot).cmdSchedule},
		{id: "umumkan", desc: func(c *locale.Catalogue) string { return c.Organiser.CmdAnnounce }, run: (*Bot).cmdAnnounce},
		{id: "umumkan_status", desc: func(c *locale.Catalogue) string { return c.Organiser.CmdAnnounceStatus }, run: (*Bot).cmdAnnounceStatus},
		{id: "peserta", desc: func(c *locale.Catalogue) string { return c.Organiser.CmdParticipants }, run: (*Bot).cmdParticipants},
		{id: "absen", desc: func(c *locale.Catalogue) string { return c.Organiser.CmdAttendance }, run: (*Bot).cmdRollCall},
		{id: "ekspor", desc: func(c *locale.Catalogue) string { return c.Organiser.CmdExport }, run: (*Bot).cmdExport},
		{id: "statistik", desc: func(c *locale.Catalogue) string { return c.Organiser.CmdStatistics }, run: (*Bot).cmdStatistics},
		{id: "buka", desc: func(c *locale.Catalogue) string { return c.Organiser.CmdOpen }, run: (*Bot).cmdOpen},
		{id: "tutup", desc: func(c *locale.Catalogue) string { return c.Organiser.CmdClose }, run: (*Bot).cmdClose},
		{id: "daftarhadir", desc: func(c *locale.Catalogue) string { return c.Paper.CmdAttendanceSheet }, run: (*Bot).cmdAttendanceSheet},
		{id: "laporan", desc: func(c *locale.Catalogue) string { return c.Paper.CmdReport }, run: (*Bot).cmdReport},
		{id: "daftarkan", desc: func(c *locale.Catalogue) string { return c.Desk.CmdEnrol }, run: deskCommand((*desk.Desk).Enrol)},
		// Listed for organisers of a batch that admits by selection.
		{id: "seleksi", desc: func(c *locale.Catalogue) string { return locale.For(c.Code).Selection.CmdSelect }, run: deskCommand((*desk.Desk).Select), listed: desk.Selecting},
		{id: "hasil", desc: func(c *locale.Catalogue) string { return locale.For(c.Code).Selection.CmdResults }, run: deskCommand((*desk.Desk).Results), listed: desk.Selecting},
		{id: "log", desc: func(c *locale.Catalogue) string { return c.Organiser.CmdLog }, run: (*Bot).cmdLog},
		// With a batch, /sertifikat is the organisers' (send a batch's
		// certificates); without, anyone's own.
		{id: "sertifikat", desc: func(c *locale.Catalogue) string { return c.Paper.CmdCertificates }, run: (*Bot).cmdCertificates, shared: true, only: certificateArg},
		// Organisers see their own commands under the participants' help.
		{id: "bantuan", desc: func(c *locale.Catalogue) string { return c.Messages.CmdHelp }, run: (*Bot).cmdHelp, shared: true},
		// While the bot waits for an announcement, a desk action's reason
		// or a walk-in's answer (bot/desk), /batal drops it;
		// otherwise it is the participants' /batal.
		{id: "batal", desc: func(c *locale.Catalogue) string { return c.Messages.CmdCancel }, run: (*Bot).cmdCancelOrganiser, shared: true, only: (*Bot).awaitsOrganiser},
	}
}

// organiserMenu is the part of the command menu in c's language of an
// organiser of courses, below the participants' commands.
func organiserMenu(c *locale.Catalogue, courses []store.Course) []telegram.Command {
	var cmds []telegram.Command
	for _, oc := range organiserCommands() {
		if !oc.shared && (oc.listed == nil || oc.listed(courses)) {
			cmds = append(cmds, telegram.Command{Command: c.Command(oc.id), Description: oc.desc(c)})
		}
	}
	return cmds
}

// cmdHelp is the participants' help with the organiser commands under it.
func (b *Bot) cmdHelp(r *orgReq) {
	var out strings.Builder
	out.WriteString(r.PM.Help + locale.ContactLine(r.PM, r.Courses[0], "\n\n") + "\n\n" + r.PM.OrganiserHelp)
	for _, c := range organiserMenu(locale.Worded(r.PM.Lang, organiser.BatchWord(r.Courses)), r.Courses) {
		fmt.Fprintf(&out, "\n/%s — %s", c.Command, esc(c.Description))
	}
	if !b.cat.Single() || !r.All {
		// Which courses are theirs, by id, as the commands take them.
		names := make([]string, len(r.Courses))
		for i, c := range r.Courses {
			names[i] = fmt.Sprintf("%s (<code>%s</code>)", esc(c.Title), esc(c.ID))
		}
		out.WriteString("\n\n" + fmt.Sprintf(r.M.YourCourses, strings.Join(names, ", ")))
	}
	b.orgSay(r, out.String())
}

// orgReq is one organiser update being handled: the organiser.Request
// the handlers take, and what only bot uses to answer it. Only newOrgReq
// makes one, and only for an organiser.
type orgReq struct {
	*organiser.Request
	ctx    context.Context
	update int64
	ev     event
	msg    *telegram.Update // the message, for commands and announcements (nil for other updates)
}

// organiserUpdate handles an update when it is an organiser's to handle:
// an organiser command, an organiser button, or the message of an
// announcement they were asked for. It reports false for everything else,
// which goes to the conversation like anyone's, and for anyone who is not
// an organiser.
func (b *Bot) organiserUpdate(ctx context.Context, u *telegram.Update, ev event) bool {
	r, ok := b.newOrgReq(ctx, u, ev)
	if !ok {
		return false
	}
	switch ev.in.Kind {
	case telegram.InCommand:
		c, ok := findOrganiserCommand(locale.Canonical(ev.in.Command))
		if !ok || c.only != nil && !c.only(b, r) {
			return false
		}
		c.run(b, r)
		return true
	case telegram.InButton:
		h, ok := organiserActions[ev.in.Button.Action]
		if !ok {
			return false
		}
		b.orgDo(r, func(tx *store.Tx) (organiser.Result, error) { return h(b, r, tx, ev.in.Button) })
		return true
	case telegram.InEdited:
		return false
	}
	return b.captureAnnouncement(r) || b.captureDesk(r)
}

// findOrganiserCommand returns the organiser command of canonical name id.
func findOrganiserCommand(id string) (organiserCommand, bool) {
	for _, c := range organiserCommands() {
		if c.id == id {
			return c, true
		}
	}
	return organiserCommand{}, false
}

// newOrgReq makes the request of an organiser's update; it reports false
// when the sender organises no course. It is the one place the rights are
// built, for every command and every press: the courses the sender may
// see and act on, which every batch or course they name is checked
// against (orgReq.batch, orgReq.course). Telegram vouches for the
// sender's id; nothing else is trusted.
func (b *Bot) newOrgReq(ctx context.Context, u *telegram.Update, ev event) (*orgReq, bool) {
	courses := b.cat.Managed(ev.userID)
	if len(courses) == 0 {
		return nil, false
	}
	r := &orgReq{ctx: ctx, update: u.ID, ev: ev, Request: &organiser.Request{
		UserID: ev.userID, ChatID: ev.chatID, Name: u.FirstName, Now: b.now(), Lang: ev.lang,
		Cat: b.cat, Courses: courses, All: b.cat.OrganisesAll(ev.userID),
		Arg: ev.in.Arg, Text: ev.in.Text, IsText: ev.in.Kind == telegram.InText,
	}}
	if u.MessageID != 0 {
		r.msg = u
	}
	_ = b.db.View(func(tx *store.Tx) error {
		r.Lang = b.orgLang(tx, ev.userID, ev.lang)
		return nil
	})
	words := locale.Worded(r.Lang, organiser.BatchWord(courses))
	r.M, r.PM = words.Organiser, words.Messages
	return r, true
}

// orgLang is the language an organiser reads: the one they chose in
// their conversation, else their Telegram client's.
func (b *Bot) orgLang(tx *store.Tx, userID int64, fallback string) string {
	if c, found, err := tx.Conversation(userID); err == nil && found && c.Lang != "" {
		return c.Lang
	}
	if fallback == "" {
		return b.first().Language
	}
	return fallback
}

// orgSay answers the organiser's update with text, changing nothing else.
func (b *Bot) orgSay(r *orgReq, text string) {
	b.finish(r.ctx, r.update, r.ChatID, []reply{{Text: text}})
}

// orgDo runs an organiser action: fn in one transaction with the audit
// entry it writes, the replies it records and the update leaving the
// journal; then, after commit, it hands what goes back to the chat to
// telegram.Client.Answer, to be sent in the chat's turn without the
// handler waiting: the edit of the pressed message, a preview copy, the
// replies, the toast alongside, and then whatever else the action sends
// (after). The bbolt write lock is never held across a request to
// Telegram. It reports whether the action committed, and so whether its
// after runs.
func (b *Bot) orgDo(r *orgReq, fn func(*store.Tx) (organiser.Result, error)) bool {
	var (
		res  organiser.Result
		sent []store.Reply
	)
	err := b.db.Update(func(tx *store.Tx) error {
		var err error
		if res, err = fn(tx); err != nil {
			return err
		}
		sent, err = recordDone(tx, r.update, r.ChatID, res.Replies)
		return err
	})
	if err != nil {
		b.log.Error("organiser action", "update_id", r.update, "chat_id", r.ChatID, "err", err)
		b.apologise(r.ctx, r.update, r.ev, r.PM.Apology)
		return false
	}
	// Sent in the chat's turn, as a participant's replies are: the
	// handler does not wait for the network.
	a := telegram.Answer{Chat: r.ChatID, Replies: sent, CallbackID: r.ev.callbackID, Toast: res.Toast, Then: res.After}
	if res.Edit != nil && r.ev.callbackMsg != 0 {
		a.Edit, a.EditTo = r.ev.callbackMsg, *res.Edit
	}
	if res.CopyOf[1] != 0 {
		a.CopyFrom = res.CopyOf
	}
	b.tg.Answer(r.ctx, a)
	if res.Sent {
		b.disp.Notify()
		b.progress.Notify()
	}
	return true
}
