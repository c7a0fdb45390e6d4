package bot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/daftar-bot/daftar/store"
)

// ErrUnauthorized is returned by Run when Telegram rejects the token.
var ErrUnauthorized = errors.New("telegram rejected the bot token (401 Unauthorized): check TELEGRAM_BOT_TOKEN or telegram.token_file")

// Options configure a Bot. Token is required; the rest have defaults.
type Options struct {
	Token  string
	APIURL string // default https://api.telegram.org
	Admins []int64
	// RetentionDays is how long personal data is kept after a batch ends;
	// the consent text states it.
	RetentionDays int
	// PollTimeout is the long-poll timeout of getUpdates; default 25 s.
	PollTimeout time.Duration
	// Concurrency bounds how many chats are handled at once; default 64.
	Concurrency int
	Logger      *slog.Logger
	// Now is the clock; default time.Now.
	Now func() time.Time
	// ClaimWindow is how long a person from the waiting list has to take
	// a freed seat (shorter when the batch starts sooner); default 24 h.
	ClaimWindow time.Duration
	// SendRate is how many outbox messages a second the dispatcher sends
	// at most (default 28, at most 30).
	SendRate int
	// Upcoming, when set, lists the reminders still to come at now, for
	// the organisers' /jadwal. (The scheduler knows them; the bot does not
	// import it.)
	Upcoming func(now time.Time) []Upcoming
	// OnHandled, when set, is called after an update has been handled and
	// its replies sent (or given up on). The demo and tests wait on it.
	OnHandled func(updateID int64)
}

// Bot runs the Telegram side of daftar: it polls updates into the store's
// journal, handles them, and sends the replies the store records.
type Bot struct {
	db     *store.DB
	course store.Course
	opt    Options
	log    *slog.Logger
	admins map[int64]bool

	api      *tgbot.Bot
	username string

	queues   *chatQueues
	disp     *dispatcher
	progress *progress // announcements' progress messages

	maintainKick chan struct{}
	// stopping is closed when Run is asked to stop: replies that fail
	// then are left for the next start instead of retried.
	stopping <-chan struct{}
}

// Upcoming is a reminder still to come.
type Upcoming struct {
	Batch string
	Day   int
	Slot  string // "evening" | "morning"
	At    time.Time
}

// New returns a Bot that keeps its state in db. It does no I/O: Run does.
func New(db *store.DB, course store.Course, opt Options) *Bot {
	if opt.APIURL == "" {
		opt.APIURL = "https://api.telegram.org"
	}
	if opt.PollTimeout <= 0 {
		opt.PollTimeout = 25 * time.Second
	}
	if opt.Concurrency <= 0 {
		opt.Concurrency = 64
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.ClaimWindow <= 0 {
		opt.ClaimWindow = 24 * time.Hour
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if course.Location == nil {
		course.Location = time.UTC
	}
	b := &Bot{db: db, course: course, opt: opt, log: opt.Logger, admins: map[int64]bool{}}
	for _, id := range opt.Admins {
		b.admins[id] = true
	}
	b.disp = newDispatcher(b, opt.SendRate)
	b.progress = newProgress(b)
	b.maintainKick = make(chan struct{}, 1)
	return b
}

// Notify tells the bot that outbox entries were enqueued (by the
// scheduler), so that they go out without waiting for the next look.
func (b *Bot) Notify() { b.disp.notify() }

func (b *Bot) now() time.Time { return b.opt.Now().In(b.course.Location) }

// Run connects to Telegram and serves until ctx is cancelled. It returns
// nil after a clean shutdown and ErrUnauthorized when the token is
// rejected; an unreachable Telegram is retried, never fatal.
func (b *Bot) Run(ctx context.Context) error {
	if strings.TrimSpace(b.opt.Token) == "" {
		return errors.New("no bot token")
	}
	// Up to Concurrency handlers and the dispatcher send at once. The
	// default transport keeps 2 idle connections per host, so nearly every
	// request would dial (and against Telegram, handshake TLS) anew.
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = b.opt.Concurrency + 8
	defer transport.CloseIdleConnections()
	client := &http.Client{Timeout: 30 * time.Second, Transport: wholeBody{transport}}
	api, err := tgbot.New(b.opt.Token,
		tgbot.WithServerURL(strings.TrimRight(b.opt.APIURL, "/")),
		tgbot.WithSkipGetMe(),
		tgbot.WithNotAsyncHandlers(),
		tgbot.WithHTTPClient(b.opt.PollTimeout, client),
		tgbot.WithDefaultHandler(b.onUpdate),
		tgbot.WithMiddlewares(b.recoverer),
		// The library's default handlers print whole updates and errors
		// with request details: ours log neither personal data nor token.
		tgbot.WithErrorsHandler(func(err error) {
			b.log.Debug("telegram client", "err", redact(err, b.opt.Token))
		}),
		tgbot.WithDebugHandler(func(string, ...any) {}),
	)
	if err != nil {
		return fmt.Errorf("telegram client: %w", redact(err, b.opt.Token))
	}
	b.api = api

	if err := b.connect(ctx); err != nil {
		return err
	}
	if ctx.Err() != nil {
		return nil
	}

	// Handlers finish their work after ctx ends, up to a grace period, so
	// that a shutdown does not cut a reply in half.
	work, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWork()
	b.stopping = ctx.Done()
	b.queues = newChatQueues(b.opt.Concurrency, func(j job) { b.process(work, j) })

	// The dispatcher stops taking entries when polling ends, also when it
	// ends with an error while ctx is still alive.
	dispatchCtx, stopDispatch := context.WithCancel(ctx)
	defer stopDispatch()
	var wg sync.WaitGroup
	wg.Go(func() { b.setCommands(work) })
	// The sends in flight finish before work ends: cutting one off after
	// Telegram took it would leave it queued, and send it again.
	dispatched := make(chan struct{})
	wg.Go(func() { defer close(dispatched); b.disp.run(dispatchCtx, work) })
	wg.Go(func() { b.progress.run(dispatchCtx) })
	wg.Go(func() { b.maintain(dispatchCtx) })

	pollErr := b.resume(ctx)
	if pollErr == nil {
		pollErr = b.poll(ctx)
	}
	stopDispatch()

	drained := make(chan struct{})
	go func() { b.queues.close(); <-dispatched; close(drained) }()
	select {
	case <-drained:
	case <-time.After(8 * time.Second):
		b.log.Warn("shutdown: handlers or sends still running, cancelling them")
		stopWork()
		<-drained
	}
	stopWork()
	wg.Wait()
	return pollErr
}

// connect calls getMe until Telegram answers: a network that is down is
// waited out, a rejected token is fatal.
func (b *Bot) connect(ctx context.Context) error {
	for attempt := 0; ; attempt++ {
		me, err := b.api.GetMe(ctx)
		if err == nil {
			b.username = me.Username
			b.log.Info("connected to telegram", "bot", me.Username)
			return nil
		}
		if errors.Is(err, tgbot.ErrorUnauthorized) {
			return ErrUnauthorized
		}
		if ctx.Err() != nil {
			return nil
		}
		d := backoff(attempt, 30*time.Second)
		b.log.Warn("telegram unreachable, retrying", "err", redact(err, b.opt.Token), "retry_in", d.Round(time.Millisecond))
		if !sleep(ctx, d) {
			return nil
		}
	}
}

// resume sends the replies a crash left unsent, then queues the updates it
// left unhandled, before anything new is polled.
func (b *Bot) resume(ctx context.Context) error {
	pending, err := b.db.PendingReplies()
	if err != nil {
		return fmt.Errorf("load pending replies: %w", err)
	}
	if len(pending) > 0 {
		b.log.Info("resending replies left by a restart", "count", len(pending))
	}
	for _, r := range pending {
		b.deliver(ctx, r)
	}
	journaled, err := b.db.Journaled()
	if err != nil {
		return fmt.Errorf("load journal: %w", err)
	}
	if len(journaled) > 0 {
		b.log.Info("handling updates left by a restart", "count", len(journaled))
	}
	for _, u := range journaled {
		b.enqueue(ctx, u)
	}
	return nil
}

// setCommands publishes the command menus: the participants' in each
// language, and for every organiser their own, with the organiser
// commands. A failure is logged, never fatal.
func (b *Bot) setCommands(ctx context.Context) {
	set := func(cmds []models.BotCommand, scope models.BotCommandScope, lang string) {
		_, err := b.api.SetMyCommands(ctx, &tgbot.SetMyCommandsParams{Commands: cmds, Scope: scope, LanguageCode: lang})
		if err != nil {
			b.log.Warn("set commands failed", "lang", lang, "err", redact(err, b.opt.Token))
		}
	}
	for _, lang := range append([]string{""}, Languages()...) {
		m := messages(lang)
		if lang == "" {
			m = messages(b.course.Language)
		}
		set(commands(m, false), &models.BotCommandScopeAllPrivateChats{}, lang)
		for _, id := range b.opt.Admins {
			set(commands(m, true), &models.BotCommandScopeChat{ChatID: id}, lang)
		}
	}
}

// commands is the command menu in m's language.
func commands(m *Messages, organiser bool) []models.BotCommand {
	c := catalogue(m.Lang)
	cmds := []models.BotCommand{
		{Command: "start", Description: m.CmdStart},
		{Command: "status", Description: m.CmdStatus},
		{Command: c.command("batal"), Description: m.CmdCancel},
		{Command: c.command("bahasa"), Description: m.CmdLanguage},
		{Command: c.command("dataku"), Description: m.CmdMyData},
		{Command: c.command("hapusdata"), Description: m.CmdDelete},
		{Command: c.command("bantuan"), Description: m.CmdHelp},
	}
	if organiser {
		cmds = append(cmds, models.BotCommand{Command: c.command("jadwal"), Description: m.CmdSchedule})
		for _, oc := range organiserCommands {
			cmds = append(cmds, models.BotCommand{Command: c.command(oc.id), Description: oc.desc(c.Organiser)})
		}
	}
	return cmds
}

// backoff returns an exponential delay with full jitter: 100 ms doubling
// up to max.
func backoff(attempt int, max time.Duration) time.Duration {
	d := 100 * time.Millisecond
	for i := 0; i < attempt && d < max; i++ {
		d *= 2
	}
	d = min(d, max)
	return d/2 + rand.N(d/2+1)
}

// sleep waits for d or until ctx ends; it reports whether d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// redact removes the token from an error's text.
func redact(err error, token string) error {
	if err == nil || token == "" || !strings.Contains(err.Error(), token) {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), token, "<token>"))
}

// wholeBody sends request bodies of unknown length read to the end, with
// a Content-Length. The Telegram library streams its multipart forms
// through a pipe, which net/http would send chunked: one chunk, and one
// write to the socket, per form part (BenchmarkConversation: about a
// tenth of the CPU time of a conversation step).
type wholeBody struct{ next http.RoundTripper }

func (t wholeBody) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body == nil || r.Body == http.NoBody || r.ContentLength > 0 {
		return t.next.RoundTrip(r)
	}
	data, err := io.ReadAll(r.Body)
	r.Body.Close()
	if err != nil {
		return nil, err
	}
	r = r.Clone(r.Context())
	r.ContentLength = int64(len(data))
	r.Body = io.NopCloser(bytes.NewReader(data))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
	return t.next.RoundTrip(r)
}
