package organiser

import (
	"context"
	"fmt"
	"html"
	"strings"
	"time"

	"github.com/daftar-bot/daftar/bot/callback"
	"github.com/daftar-bot/daftar/bot/locale"
	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram"
)

// Request is one organiser update being handled. Package bot makes it
// (newOrgReq), only for an organiser; what the update carries is copied
// into it, so that it does not depend on how bot classifies updates.
type Request struct {
	UserID int64  // the organiser, as Telegram vouches
	ChatID int64  // their private chat with the bot
	Name   string // the organiser's first name, for the audit log
	Now    time.Time
	Lang   string
	M      *locale.OrganiserMessages
	PM     *locale.Messages // the participants' catalogue in the same language: dates, Stale, Apology
	// Cat is the bot's courses; Courses are those the organiser acts on
	// (all of them when All: one of telegram.admins).
	Cat     store.Catalog
	Courses []store.Course
	All     bool
	// Arg is a command's argument; Text a message's text, when IsText
	// (a reason or an answer the bot waited for).
	Arg    string
	Text   string
	IsText bool
}

// Result is what an organiser action answers, sent after its
// transaction commits.
type Result struct {
	Toast   string                // the answer to a button press
	Edit    *telegram.Message     // the pressed message's new text and buttons
	CopyOf  [2]int64              // chat and message to copy to the organiser first (a preview); zero for none
	Replies []telegram.Message    // new messages, recorded in the transaction
	After   func(context.Context) // runs in the chat's turn once the rest went out (documents)
	Sent    bool                  // an announcement went into the outbox
}

// Say is a Result of one new message, text.
func Say(text string) Result { return Result{Replies: []telegram.Message{{Text: text}}} }

// Batch returns the batch with id when it is one of the organiser's
// courses'.
func (r *Request) Batch(id string) (store.Batch, bool) {
	bt, _, ok := r.Cat.Batch(id)
	return bt, ok && r.Cat.OrganisesBatch(r.UserID, id)
}

// Course returns the course with id when it is the organiser's.
func (r *Request) Course(id string) (store.Course, bool) {
	c, ok := r.Cat.Course(id)
	return c, ok && r.Cat.Organises(r.UserID, id)
}

// Batches are the batches of the organiser's courses, course by course.
func (r *Request) Batches() []store.Batch {
	var out []store.Batch
	for _, c := range r.Courses {
		out = append(out, c.Batches...)
	}
	return out
}

// Named is how an organiser reads a batch: with its course's title
// before it when the bot serves several courses.
func (r *Request) Named(bt store.Batch) string { return r.PM.Named(r.Cat, bt) }

// BatchArg finds the batch an organiser named among their courses': its
// id or its name, ignoring case (a name shared by several courses' batches
// is the first's; the id is unique).
func (r *Request) BatchArg(arg string) (store.Batch, bool) {
	arg = strings.TrimSpace(arg)
	if arg == "" {
		return store.Batch{}, false
	}
	if bt, ok := r.Batch(strings.ToLower(arg)); ok {
		return bt, true
	}
	for _, bt := range r.Batches() {
		if strings.EqualFold(arg, bt.ID) || strings.EqualFold(arg, bt.Name) {
			return bt, true
		}
	}
	return store.Batch{}, false
}

// UnknownBatch tells an organiser which batches there are.
func (r *Request) UnknownBatch(arg string) string {
	batches := r.Batches()
	ids := make([]string, len(batches))
	for i, bt := range batches {
		ids[i] = "<code>" + html.EscapeString(bt.ID) + "</code>"
	}
	return fmt.Sprintf(r.M.UnknownBatch, html.EscapeString(arg), strings.Join(ids, ", "))
}

// Stale is the answer to a press that no longer applies (or never did).
func (r *Request) Stale() Result { return Result{Toast: r.PM.Stale} }

// Audit writes what the organiser of r did now to the audit log.
func (r *Request) Audit(tx *store.Tx, e store.AuditEntry) error {
	e.At, e.By, e.ByName = r.Now, r.UserID, r.Name
	return tx.Audit(e)
}

// BatchWord is the batch word of courses when they agree on one, else
// "" (the language's own): an organiser of several courses reads one.
func BatchWord(courses []store.Course) string {
	if len(courses) == 0 {
		return ""
	}
	w := courses[0].BatchWord
	for _, c := range courses[1:] {
		if c.BatchWord != w {
			return ""
		}
	}
	return w
}

// Paper is the paperwork catalogue of the organiser's language, with the
// batch word of the courses they act on.
func (r *Request) Paper() *locale.PaperMessages {
	return locale.Worded(r.Lang, BatchWord(r.Courses)).Paper
}

// Desk is the desk catalogue of the organiser's language, with the batch
// word of the courses they act on.
func (r *Request) Desk() *locale.DeskMessages {
	return locale.Worded(r.Lang, BatchWord(r.Courses)).Desk
}

// Status is a participant status as an organiser reads it.
func (r *Request) Status(s store.Status) string {
	sm := locale.For(r.Lang).Selection
	switch s {
	case store.StatusApplied:
		return sm.WordApplied
	case store.StatusSelected:
		return sm.WordSelected
	case store.StatusReserve:
		return sm.BtnReserve
	case store.StatusNotSelected:
		return sm.WordNotSelected
	}
	return r.M.Status(s)
}

// Asker is a handler's request: a *Request, or a type that embeds one
// (package bot's, which adds what only bot uses).
type Asker interface {
	Batch(id string) (store.Batch, bool)
	Stale() Result
}

// BatchPress makes a press handler of h, a handler of a press on the
// batch the button's Arg names: the press is Stale when no course has
// such a batch or it is not one of the organiser's courses. D is what
// the handler is a method of (its dependencies).
func BatchPress[D any, R Asker](h func(D, R, *store.Tx, store.Batch, callback.Data) (Result, error)) func(D, R, *store.Tx, callback.Data) (Result, error) {
	return func(d D, r R, tx *store.Tx, cb callback.Data) (Result, error) {
		bt, ok := r.Batch(cb.Arg)
		if !ok {
			return r.Stale(), nil
		}
		return h(d, r, tx, bt, cb)
	}
}

// Button is an organiser button.
func Button(label string, seq int64, action, arg string) telegram.Button {
	return telegram.Button{Text: label, Data: callback.Data{Seq: seq, Action: action, Arg: arg}.String()}
}

// BatchPicker is one button per batch of bts, a row each, labelled by
// label, whose press is action with seq and the batch id.
func BatchPicker(bts []store.Batch, seq int64, action string, label func(store.Batch) (string, error)) ([][]telegram.Button, error) {
	var rows [][]telegram.Button
	for _, bt := range bts {
		text, err := label(bt)
		if err != nil {
			return nil, err
		}
		rows = append(rows, []telegram.Button{Button(text, seq, action, bt.ID)})
	}
	return rows, nil
}

// Paging cuts n items into pages of size: the bounds of page's items, page
// itself brought into range, and the number of pages (at least 1).
func Paging(n, size, page int) (from, to, at, pages int) {
	pages = max(1, (n+size-1)/size)
	at = max(0, min(page, pages-1))
	return at * size, min(n, (at+1)*size), at, pages
}

// PageNav is the ◀ ▶ row of page (from 0) of pages, pressing action with
// the page to go to and arg; nil when there is one page.
func (r *Request) PageNav(page, pages int, action, arg string) [][]telegram.Button {
	var nav []telegram.Button
	if page > 0 {
		nav = append(nav, Button(r.M.BtnPrev, int64(page-1), action, arg))
	}
	if page+1 < pages {
		nav = append(nav, Button(r.M.BtnNext, int64(page+1), action, arg))
	}
	if len(nav) == 0 {
		return nil
	}
	return [][]telegram.Button{nav}
}

// Organiser button actions that more than one package's screens press
// (the rest are their packages'). Persisted in messages already sent:
// only add.
const (
	ActListPage = "ap" // /peserta's list: Seq page, Arg batch
	ActDismiss  = "az" // Batal on a confirmation
)
