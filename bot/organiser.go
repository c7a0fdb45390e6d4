package bot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/daftar-bot/daftar/bot/callback"
	"github.com/daftar-bot/daftar/bot/locale"
	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram"
)

// The organisers' side of the bot: their commands and buttons, each a line
// of one of the two tables below, run as an orgReq by orgDo. Only
// organisers get an orgReq: telegram.admins for every course, a course's
// admins for theirs (store.Catalog decides). Everyone else's commands and
// presses go to the conversation, which answers them as unknown or stale.
// An orgReq carries the organiser's courses; every batch, course or
// audience a command names or a press carries is checked against them.

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
	actAudience   = "aa" // Seq announcement, Arg all | wait | ever | b_<batch> | p_<batch> | c_… | cw_… | k_…
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
	actListShow:   batchPress((*Bot).pressListShow),
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
	// The staff's actions (staff.go) and the walk-in form (enrol.go).
	actStaffShow:    batchPress((*Bot).pressStaffShow),
	actStaffCancel:  stampedPress((*Bot).pressStaffCancel),
	actStaffSkip:    batchPress((*Bot).pressStaffSkip),
	actStaffMove:    stampedPress((*Bot).pressStaffMove),
	actStaffMoveTo:  batchPress((*Bot).pressStaffMoveTo),
	actStaffDetail:  batchPress((*Bot).pressStaffDetail),
	actStaffErase:   stampedPress((*Bot).pressStaffErase),
	actStaffEraseOK: stampedPress((*Bot).pressStaffEraseOK),
	actEnrolBatch:   batchPress((*Bot).pressEnrolBatch),
	actEnrolAgree:   (*Bot).pressEnrol,
	actEnrolDecline: (*Bot).pressEnrol,
	actEnrolOption:  (*Bot).pressEnrol,
	actEnrolSkip:    (*Bot).pressEnrol,
	actEnrolBack:    (*Bot).pressEnrol,
	actEnrolCancel:  (*Bot).pressEnrol,
	actEnrolConfirm: (*Bot).pressEnrol,
	// Selection (seleksi.go, hasil.go).
	actSelSelected:    decidePress(store.StatusSelected),
	actSelReserve:     decidePress(store.StatusReserve),
	actSelNotSelected: decidePress(store.StatusNotSelected),
	actSelPage:        batchPress((*Bot).pressSelPage),
	actResultsSend:    batchPress((*Bot).pressResultsSend),
}

// orgPress handles an organiser's button press in one transaction (orgDo):
// it reads and changes the store in tx and says what to answer, which is
// sent after commit. cb is what the button says, to be checked.
type orgPress func(b *Bot, r *orgReq, tx *store.Tx, cb callback.Data) (orgResult, error)

// batchPress is a press on the batch Arg names: stale when no course has
// such a batch or it is not one of the organiser's courses.
func batchPress(h func(*Bot, *orgReq, *store.Tx, store.Batch, callback.Data) (orgResult, error)) orgPress {
	return func(b *Bot, r *orgReq, tx *store.Tx, cb callback.Data) (orgResult, error) {
		bt, ok := r.batch(cb.Arg)
		if !ok {
			return r.stale(), nil
		}
		return h(b, r, tx, bt, cb)
	}
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
		{id: "daftarkan", desc: func(c *locale.Catalogue) string { return c.Desk.CmdEnrol }, run: (*Bot).cmdEnrol},
		// Listed for organisers of a batch that admits by selection.
		{id: "seleksi", desc: func(c *locale.Catalogue) string { return locale.For(c.Code).Selection.CmdSelect }, run: (*Bot).cmdSelect, listed: selecting},
		{id: "hasil", desc: func(c *locale.Catalogue) string { return locale.For(c.Code).Selection.CmdResults }, run: (*Bot).cmdResults, listed: selecting},
		{id: "log", desc: func(c *locale.Catalogue) string { return c.Organiser.CmdLog }, run: (*Bot).cmdLog},
		// With a batch, /sertifikat is the organisers' (send a batch's
		// certificates); without, anyone's own.
		{id: "sertifikat", desc: func(c *locale.Catalogue) string { return c.Paper.CmdCertificates }, run: (*Bot).cmdCertificates, shared: true, only: certificateArg},
		// Organisers see their own commands under the participants' help.
		{id: "bantuan", desc: func(c *locale.Catalogue) string { return c.Messages.CmdHelp }, run: (*Bot).cmdHelp, shared: true},
		// While the bot waits for an announcement, a desk action's reason
		// or a walk-in's answer (staff.go), /batal drops it;
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
	out.WriteString(r.pm.Help + locale.ContactLine(r.pm, r.courses[0], "\n\n") + "\n\n" + r.pm.OrganiserHelp)
	for _, c := range organiserMenu(locale.Worded(r.pm.Lang, batchWordOf(r.courses)), r.courses) {
		fmt.Fprintf(&out, "\n/%s — %s", c.Command, esc(c.Description))
	}
	if !b.cat.Single() || !r.all {
		// Which courses are theirs, by id, as the commands take them.
		names := make([]string, len(r.courses))
		for i, c := range r.courses {
			names[i] = fmt.Sprintf("%s (<code>%s</code>)", esc(c.Title), esc(c.ID))
		}
		out.WriteString("\n\n" + fmt.Sprintf(r.m.YourCourses, strings.Join(names, ", ")))
	}
	b.orgSay(r, out.String())
}

// orgReq is one organiser update being handled. Only newOrgReq makes
// one, and only for an organiser.
type orgReq struct {
	ctx    context.Context
	update int64
	ev     event
	msg    *telegram.Update // the message, for commands and announcements (nil for other updates)
	name   string           // the organiser's first name, for the audit log
	now    time.Time
	lang   string
	m      *locale.OrganiserMessages
	pm     *locale.Messages // the participants' catalogue in the same language: dates, Stale, Apology
	// cat is the bot's courses; courses are those the organiser acts on
	// (all of them when all: one of telegram.admins).
	cat     store.Catalog
	courses []store.Course
	all     bool
}

// batch returns the batch with id when it is one of the organiser's
// courses'.
func (r *orgReq) batch(id string) (store.Batch, bool) {
	bt, _, ok := r.cat.Batch(id)
	return bt, ok && r.cat.OrganisesBatch(r.ev.userID, id)
}

// course returns the course with id when it is the organiser's.
func (r *orgReq) course(id string) (store.Course, bool) {
	c, ok := r.cat.Course(id)
	return c, ok && r.cat.Organises(r.ev.userID, id)
}

// batches are the batches of the organiser's courses, course by course.
func (r *orgReq) batches() []store.Batch {
	var out []store.Batch
	for _, c := range r.courses {
		out = append(out, c.Batches...)
	}
	return out
}

// named is how an organiser reads a batch: with its course's title
// before it when the bot serves several courses.
func (r *orgReq) named(bt store.Batch) string {
	if c, ok := r.cat.CourseOf(bt.ID); ok && !r.cat.Single() {
		return fmt.Sprintf(r.pm.CourseBatch, c.Title, bt.Name)
	}
	return bt.Name
}

// orgResult is what an organiser action answers, sent after its
// transaction commits.
type orgResult struct {
	toast   string                // the answer to a button press
	edit    *reply                // the pressed message's new text and buttons
	copyOf  [2]int64              // chat and message to copy to the organiser first (a preview); zero for none
	replies []reply               // new messages, recorded in the transaction
	after   func(context.Context) // runs in the chat's turn once the rest went out (documents)
	sent    bool                  // an announcement went into the outbox
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
		b.orgDo(r, func(tx *store.Tx) (orgResult, error) { return h(b, r, tx, ev.in.Button) })
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
	r := &orgReq{ctx: ctx, update: u.ID, ev: ev, now: b.now(), lang: ev.lang, name: u.FirstName,
		cat: b.cat, courses: courses, all: b.cat.OrganisesAll(ev.userID)}
	if u.MessageID != 0 {
		r.msg = u
	}
	_ = b.db.View(func(tx *store.Tx) error {
		r.lang = b.orgLang(tx, ev.userID, ev.lang)
		return nil
	})
	words := locale.Worded(r.lang, batchWordOf(courses))
	r.m, r.pm = words.Organiser, words.Messages
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

// stale is the answer to a press that no longer applies (or never did).
func (r *orgReq) stale() orgResult { return orgResult{toast: r.pm.Stale} }

// audit writes what the organiser of r did now to the audit log.
func (r *orgReq) audit(tx *store.Tx, e store.AuditEntry) error {
	e.At, e.By, e.ByName = r.now, r.ev.userID, r.name
	return tx.Audit(e)
}

// orgButton is an organiser button.
func orgButton(label string, seq int64, action, arg string) button {
	return button{Text: label, Data: callback.Data{Seq: seq, Action: action, Arg: arg}.String()}
}

// orgSay answers the organiser's update with text, changing nothing else.
func (b *Bot) orgSay(r *orgReq, text string) {
	b.finish(r.ctx, r.update, r.ev.chatID, []reply{{Text: text}})
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
func (b *Bot) orgDo(r *orgReq, fn func(*store.Tx) (orgResult, error)) bool {
	var (
		res  orgResult
		sent []store.Reply
	)
	err := b.db.Update(func(tx *store.Tx) error {
		var err error
		if res, err = fn(tx); err != nil {
			return err
		}
		sent, err = recordDone(tx, r.update, r.ev.chatID, res.replies)
		return err
	})
	if err != nil {
		b.log.Error("organiser action", "update_id", r.update, "chat_id", r.ev.chatID, "err", err)
		b.apologise(r.ctx, r.update, r.ev, r.pm.Apology)
		return false
	}
	// Sent in the chat's turn, as a participant's replies are: the
	// handler does not wait for the network.
	a := telegram.Answer{Chat: r.ev.chatID, Replies: sent, CallbackID: r.ev.callbackID, Toast: res.toast, Then: res.after}
	if res.edit != nil && r.ev.callbackMsg != 0 {
		a.Edit, a.EditTo = r.ev.callbackMsg, *res.edit
	}
	if res.copyOf[1] != 0 {
		a.CopyFrom = res.copyOf
	}
	b.tg.Answer(r.ctx, a)
	if res.sent {
		b.disp.Notify()
		b.progress.Notify()
	}
	return true
}

// batchArg finds the batch an organiser named among their courses': its
// id or its name, ignoring case (a name shared by several courses' batches
// is the first's; the id is unique).
func (b *Bot) batchArg(r *orgReq, arg string) (store.Batch, bool) {
	arg = strings.TrimSpace(arg)
	if arg == "" {
		return store.Batch{}, false
	}
	if bt, ok := r.batch(strings.ToLower(arg)); ok {
		return bt, true
	}
	for _, bt := range r.batches() {
		if strings.EqualFold(arg, bt.ID) || strings.EqualFold(arg, bt.Name) {
			return bt, true
		}
	}
	return store.Batch{}, false
}

// unknownBatch tells an organiser which batches there are.
func (b *Bot) unknownBatch(r *orgReq, arg string) string {
	batches := r.batches()
	ids := make([]string, len(batches))
	for i, bt := range batches {
		ids[i] = "<code>" + esc(bt.ID) + "</code>"
	}
	return fmt.Sprintf(r.m.UnknownBatch, esc(arg), strings.Join(ids, ", "))
}

// batchPicker is one button per batch of bts, a row each, labelled by
// label, whose press is action with seq and the batch id.
func batchPicker(bts []store.Batch, seq int64, action string, label func(store.Batch) (string, error)) ([][]button, error) {
	var rows [][]button
	for _, bt := range bts {
		text, err := label(bt)
		if err != nil {
			return nil, err
		}
		rows = append(rows, []button{orgButton(text, seq, action, bt.ID)})
	}
	return rows, nil
}

// paging cuts n items into pages of size: the bounds of page's items, page
// itself brought into range, and the number of pages (at least 1).
func paging(n, size, page int) (from, to, at, pages int) {
	pages = max(1, (n+size-1)/size)
	at = max(0, min(page, pages-1))
	return at * size, min(n, (at+1)*size), at, pages
}

// pageNav is the ◀ ▶ row of page (from 0) of pages, pressing action with
// the page to go to and arg; nil when there is one page.
func pageNav(r *orgReq, page, pages int, action, arg string) [][]button {
	var nav []button
	if page > 0 {
		nav = append(nav, orgButton(r.m.BtnPrev, int64(page-1), action, arg))
	}
	if page+1 < pages {
		nav = append(nav, orgButton(r.m.BtnNext, int64(page+1), action, arg))
	}
	if len(nav) == 0 {
		return nil
	}
	return [][]button{nav}
}
