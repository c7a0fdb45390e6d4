package bot

import (
	"context"
	"html"
	"log/slog"
	"slices"
	"time"

	"github.com/daftar-bot/daftar/bot/desk"
	"github.com/daftar-bot/daftar/bot/locale"
	"github.com/daftar-bot/daftar/bot/organiser"
	"github.com/daftar-bot/daftar/report"
	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram"
)

// ErrUnauthorized is returned by Run when Telegram rejects the token.
var ErrUnauthorized = telegram.ErrUnauthorized

// Options configure a Bot. Token is required; the rest have defaults.
type Options struct {
	Token  string
	APIURL string // default https://api.telegram.org
	// Admins organise every course, with the catalog's own Admins.
	Admins []int64
	// RetentionDays is how long personal data is kept after a batch ends,
	// for a course whose RetentionDays is 0; the consent text states it.
	RetentionDays int
	// PollTimeout is the long-poll timeout of getUpdates; default 25 s.
	PollTimeout time.Duration
	// Concurrency bounds how many chats are handled at once; default 100.
	Concurrency int
	// Webhook, when its URL is set, has Telegram push the updates instead
	// of the bot polling for them.
	Webhook telegram.Webhook
	Logger  *slog.Logger
	// Now is the clock; default time.Now.
	Now func() time.Time
	// ClaimWindow is how long a person from the waiting list has to take
	// a freed seat (shorter when the batch starts sooner), for a course
	// whose ClaimWindow is 0; default 24 h.
	ClaimWindow time.Duration
	// SendRate is how many outbox messages a second the dispatcher sends
	// at most (default 28, at most 30).
	SendRate int
	// Upcoming, when set, lists the reminders still to come at now, for
	// the organisers' /jadwal. (The scheduler knows them; the bot does not
	// import it.)
	Upcoming func(now time.Time) []store.Reminder
	// OnHandled, when set, is called after an update has been handled and
	// its replies sent (or given up on). The demo and tests wait on it.
	OnHandled func(updateID int64)
	// Paper is what certificates and attendance sheets print besides the
	// course (the config's [certificate]); Paper.Bot empty is the bot's
	// own username.
	Paper report.Paper
	// Papers are the courses' own ([courses.certificate] over
	// [certificate]), by course id; a course not in it prints Paper.
	Papers map[string]report.Paper
}

// Bot runs the Telegram side of daftar: it polls updates into the store's
// journal, handles them, and sends the replies the store records.
type Bot struct {
	db  *store.DB
	cat store.Catalog // the courses, as the config has them; never empty
	// batches are every course's, computed once: every seat transaction
	// checks overlaps against them.
	batches []store.Batch
	opt     Options
	log     *slog.Logger

	tg       *telegram.Client
	send     *telegram.Sender // every request to Telegram
	disp     *telegram.Dispatcher
	progress *telegram.Progress // announcements' progress messages
	groups   groupPointers

	scrub *store.Scrubber // rewrites of the file after erasures
	desk  *desk.Desk      // the staff's work at the desk (desk.go)
}

// New returns a Bot of cat's courses (at least one) that keeps its state
// in db. It does no I/O: Run does.
func New(db *store.DB, cat store.Catalog, opt Options) *Bot {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.ClaimWindow <= 0 {
		opt.ClaimWindow = 24 * time.Hour
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if len(cat.Courses) == 0 {
		cat.Courses = []store.Course{{}}
	}
	cat.Courses = slices.Clone(cat.Courses)
	for i := range cat.Courses {
		c := &cat.Courses[i]
		if c.Location == nil {
			c.Location = time.UTC
		}
		if c.ClaimWindow <= 0 {
			c.ClaimWindow = opt.ClaimWindow
		}
		if c.RetentionDays <= 0 {
			c.RetentionDays = opt.RetentionDays
		}
	}
	cat.Admins = append(slices.Clone(cat.Admins), opt.Admins...)
	b := &Bot{db: db, cat: cat, batches: cat.Batches(), opt: opt, log: opt.Logger}
	b.tg = telegram.New(db, telegram.Options{
		Token: opt.Token, APIURL: opt.APIURL, PollTimeout: opt.PollTimeout,
		Concurrency: opt.Concurrency, SendRate: opt.SendRate, Webhook: opt.Webhook, Logger: opt.Logger,
	})
	b.send = b.tg.Sender()
	b.progress = telegram.NewProgress(db, b.send, b.progressTexts, opt.Logger, b.now)
	// What is due in the outbox, and when it went, follow the bot's clock
	// (the demo's with -now); the Sender paces on the machine's.
	b.disp = telegram.NewDispatcher(db, b.send, b.prepare, b.sentOne, opt.Logger, opt.Now)
	b.scrub = store.NewScrubber(db, store.ScrubInterval)
	b.desk = b.newDesk()
	return b
}

// Notify tells the bot that outbox entries were enqueued (by the
// scheduler), so that they go out without waiting for the next look.
func (b *Bot) Notify() { b.disp.Notify() }

// now is the clock in the first course's time zone: the bot's own, for
// what belongs to no course.
func (b *Bot) now() time.Time { return b.opt.Now().In(b.first().Location) }

// first is the config's first course: the only one of a one-course bot,
// whose language and time zone are the bot's.
func (b *Bot) first() store.Course { return b.cat.Courses[0] }

// Run connects to Telegram and serves until ctx is cancelled. It returns
// nil after a clean shutdown and ErrUnauthorized when the token is
// rejected; an unreachable Telegram is retried, never fatal.
func (b *Bot) Run(ctx context.Context) error {
	b.settleOffers()
	if err := b.db.RecordBatchCourses(b.cat); err != nil {
		b.log.Error("record the courses of the batches", "err", err)
	}
	return b.tg.Run(ctx, telegram.Service{
		Handle:    b.onUpdate,
		OnPanic:   b.onPanic,
		Menus:     b.menus(),
		Outbox:    b.disp,
		Loops:     []func(context.Context){b.progress.Run, b.maintain, b.scrubber},
		OnHandled: b.opt.OnHandled,
		Overflow:  b.onOverflow,
	})
}

// menus are the command menus: the participants' in each language, and
// for every organiser their own, with the organiser commands. Each names
// a batch by the courses' word when the courses it is for share one (the
// bot's for the participants', the organiser's own for theirs).
func (b *Bot) menus() []telegram.Menu {
	var out []telegram.Menu
	for _, lang := range append([]string{""}, locale.Codes()...) {
		code := lang
		if lang == "" {
			code = b.first().Language
		}
		out = append(out, telegram.Menu{Lang: lang, Commands: commands(locale.Worded(code, organiser.BatchWord(b.cat.Courses)), nil)})
		for _, id := range b.organisers() {
			c := locale.Worded(code, organiser.BatchWord(b.cat.Managed(id)))
			out = append(out, telegram.Menu{Lang: lang, Chat: id, Commands: commands(c, b.cat.Managed(id))})
		}
	}
	return out
}

// commands is the command menu of catalogue c, with the organisers'
// commands when organised (the courses of an organiser) is not empty.
func commands(c *locale.Catalogue, organised []store.Course) []telegram.Command {
	m := c.Messages
	cmds := []telegram.Command{
		{Command: "start", Description: m.CmdStart},
		{Command: "status", Description: m.CmdStatus},
		{Command: c.Command("batal"), Description: m.CmdCancel},
		{Command: c.Command("bahasa"), Description: m.CmdLanguage},
		{Command: c.Command("dataku"), Description: m.CmdMyData},
		{Command: c.Command("hapusdata"), Description: m.CmdDelete},
		{Command: c.Command("sertifikat"), Description: c.Paper.CmdCertificate},
		{Command: "cek", Description: c.Paper.CmdVerify},
		{Command: c.Command("bantuan"), Description: m.CmdHelp},
		{Command: "id", Description: m.CmdID},
	}
	if len(organised) > 0 {
		cmds = append(cmds, organiserMenu(c, organised)...)
	}
	return cmds
}

// organisers are the user ids of everyone who organises a course, each
// once, in config order.
func (b *Bot) organisers() []int64 {
	var out []int64
	add := func(ids []int64) {
		for _, id := range ids {
			if !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	add(b.cat.Admins)
	for _, c := range b.cat.Courses {
		add(c.Admins)
	}
	return out
}

// courseFor is the course batch belongs to: the first for a batch no
// course lists (removed from the config), which keeps its people.
func (b *Bot) courseFor(batch string) store.Course { return b.cat.CourseFor(batch) }

// esc escapes s for the HTML of Telegram's messages.
func esc(s string) string { return html.EscapeString(s) }
