package telegram

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/daftar-bot/daftar/store"
)

// Errors Run returns when it cannot go on.
var (
	// ErrUnauthorized is returned when Telegram rejects the token.
	ErrUnauthorized = errors.New("telegram rejected the bot token (401 Unauthorized): check TELEGRAM_BOT_TOKEN or telegram.token_file")
	// ErrBadToken is returned when Telegram does not know the token's
	// form at all (404 on getMe): usually a token copied in part.
	ErrBadToken = errors.New("telegram does not recognise the bot token (404 Not Found): copy the whole token from @BotFather into TELEGRAM_BOT_TOKEN or telegram.token_file")
	// ErrConflict is returned when another process polls with the same
	// token: two bots on two databases would split the people between them.
	ErrConflict = errors.New("another daftar process polls with this token (409 Conflict): stop the other one, or remove the bot's webhook, then start again")
)

// Options configure a Client. Token is required; the rest have defaults.
type Options struct {
	Token  string
	APIURL string // default https://api.telegram.org
	// PollTimeout is the long-poll timeout of getUpdates; default 25 s.
	PollTimeout time.Duration
	// Concurrency bounds how many chats are handled at once; default
	// 100, a whole getUpdates answer, so that its updates share the
	// commits of their handlers and none waits for another's.
	Concurrency int
	// SendRate is how many bulk messages a second the Sender starts at
	// most (default 28, at most 30).
	SendRate int
	// Backlog bounds how many updates of one chat wait or are being
	// answered at once; the rest go to Service.Overflow. Default 10.
	Backlog int
	// Webhook, when its URL is set, has Telegram push the updates
	// instead of the bot polling for them.
	Webhook Webhook
	Logger  *slog.Logger
}

// defaultConcurrency is Options.Concurrency's default: as many updates as
// one getUpdates answer holds.
const defaultConcurrency = 100

// idleConns is how many idle connections to Telegram the client keeps
// for concurrency handlers: three requests for each answer in flight
// (the reply, a press's answer, the clearing of its buttons) and the
// dispatcher's sends (MaxInFlight).
func idleConns(concurrency int) int { return 3*concurrency + MaxInFlight }

// Client is the bot's connection to the Bot API: the poller, the per-chat
// queues and the Sender.
type Client struct {
	db        *store.DB
	opt       Options
	log       *slog.Logger
	api       *tgbot.Bot // nil without a token: Run refuses to start
	transport *http.Transport
	send      *Sender

	username    string // set by connect, before any update is handled
	queues      *chatQueues
	out         *chatOut       // what handlers answer, per chat in order
	overflow    sync.WaitGroup // Service.Overflow calls running
	svcOverflow func(ctx context.Context, chat int64, us []*Update, first bool)
	handling    sync.WaitGroup // updates whose answers are not all done
	unwritten   countdown      // answers whose first request is not on the wire yet (settle)

	sideMu sync.Mutex
	sides  map[int64]chan struct{} // per chat: the last answer's side requests (Answer)
	// stopping is closed when Run is asked to stop: replies that fail
	// then are left for the next start instead of retried.
	stopping <-chan struct{}
}

// Service is what the application plugs into Run.
type Service struct {
	Handle Handler // one update; it takes the update out of the journal
	// OnPanic answers for an update whose Handle panicked (Guard logged
	// it) and takes it out of the journal.
	OnPanic Handler
	Menus   []Menu      // the command menus, published at start
	Outbox  *Dispatcher // sends the outbox while polling; may be nil
	// Loops run while polling, each until its context ends.
	Loops []func(ctx context.Context)
	// OnHandled, when set, is called after an update has been handled and
	// its replies sent (or given up on).
	OnHandled func(updateID int64)
	// Overflow, when set, is told of the updates of a chat whose backlog
	// is full (Options.Backlog), all of one poll together: they are
	// dropped unhandled (confirmed to Telegram, never journaled, or taken
	// out of the journal). first is true for the first since the chat's
	// backlog was last empty, so that the person is told once to wait.
	// Without it, backlogs are not bounded.
	Overflow func(ctx context.Context, chat int64, us []*Update, first bool)
}

// New returns a Client keeping its journal and replies in db. It does no
// I/O: Run does.
func New(db *store.DB, opt Options) *Client {
	if opt.APIURL == "" {
		opt.APIURL = "https://api.telegram.org"
	}
	if opt.PollTimeout <= 0 {
		opt.PollTimeout = 25 * time.Second
	}
	if opt.Concurrency <= 0 {
		opt.Concurrency = defaultConcurrency
	}
	if opt.Backlog <= 0 {
		opt.Backlog = 10
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	c := &Client{db: db, opt: opt, log: opt.Logger}
	// Up to Concurrency answers send at once, each its reply and then,
	// alongside the next replies, a press's answer and the clearing of
	// old buttons, and the dispatcher its sends in flight. The default
	// transport keeps 2 idle connections per host and 100 in all, so a
	// burst would dial (and against Telegram, handshake TLS) anew every
	// connection beyond them, each time.
	c.transport = http.DefaultTransport.(*http.Transport).Clone()
	c.transport.MaxIdleConnsPerHost = idleConns(opt.Concurrency)
	c.transport.MaxIdleConns = c.transport.MaxIdleConnsPerHost
	if strings.TrimSpace(opt.Token) != "" {
		client := &http.Client{Timeout: 30 * time.Second, Transport: wholeBody{c.transport}}
		// With WithSkipGetMe, New makes no request; it fails only
		// without a token.
		c.api, _ = tgbot.New(opt.Token,
			tgbot.WithServerURL(strings.TrimRight(opt.APIURL, "/")),
			tgbot.WithSkipGetMe(),
			tgbot.WithHTTPClient(opt.PollTimeout, client),
			// The library's default handlers print whole updates and
			// errors with request details: ours log neither personal data
			// nor token.
			tgbot.WithErrorsHandler(func(err error) {
				c.log.Debug("telegram client", "err", redact(err, opt.Token))
			}),
			tgbot.WithDebugHandler(func(string, ...any) {}),
		)
	}
	c.send = newSender(c.api, opt.Token, opt.SendRate, c.log, time.Now)
	return c
}

// Sender returns the one Sender of the bot.
func (c *Client) Sender() *Sender { return c.send }

// Username is the bot's username, known once Run has connected.
func (c *Client) Username() string { return c.username }

// Run connects to Telegram and serves svc until ctx is cancelled. It
// returns nil after a clean shutdown and ErrUnauthorized when the token is
// rejected; an unreachable Telegram is retried, never fatal.
func (c *Client) Run(ctx context.Context, svc Service) error {
	if c.api == nil {
		return errors.New("no bot token")
	}
	defer c.transport.CloseIdleConnections()
	if err := c.connect(ctx); err != nil {
		return err
	}
	if ctx.Err() != nil {
		return nil
	}

	// Handlers finish their work after ctx ends, up to a grace period, so
	// that a shutdown does not cut a reply in half.
	work, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWork()
	c.stopping = ctx.Done()
	handle := Guard(c.log, svc.Handle, svc.OnPanic)
	c.out = newChatOut(work)
	c.queues = newChatQueues(c.opt.Concurrency, func(j job, done func()) { c.process(work, j, handle, svc.OnHandled, done) })
	if svc.Overflow != nil {
		c.queues.backlog = c.opt.Backlog
	}
	c.svcOverflow = svc.Overflow

	// The dispatcher stops taking entries when polling ends, also when it
	// ends with an error while ctx is still alive.
	dispatchCtx, stopDispatch := context.WithCancel(ctx)
	defer stopDispatch()
	var wg sync.WaitGroup
	wg.Go(func() { c.setCommands(work, svc.Menus) })
	// The sends in flight finish before work ends: cutting one off after
	// Telegram took it would leave it queued, and send it again.
	dispatched := make(chan struct{})
	if svc.Outbox != nil {
		wg.Go(func() { defer close(dispatched); svc.Outbox.Run(dispatchCtx, work) })
	} else {
		close(dispatched)
	}
	for _, loop := range svc.Loops {
		wg.Go(func() { loop(dispatchCtx) })
	}

	pollErr := c.resume(ctx)
	if pollErr == nil {
		if c.opt.Webhook.URL != "" {
			pollErr = c.serveWebhook(ctx)
		} else {
			pollErr = c.poll(ctx)
		}
	}
	stopDispatch()

	drained := make(chan struct{})
	go func() {
		c.queues.close()
		c.overflow.Wait()
		c.out.wait()
		c.handling.Wait()
		<-dispatched
		close(drained)
	}()
	select {
	case <-drained:
	case <-time.After(8 * time.Second):
		c.log.Warn("shutdown: handlers or sends still running, cancelling them")
		stopWork()
		<-drained
	}
	stopWork()
	wg.Wait()
	return pollErr
}

// connect calls getMe until Telegram answers: a network that is down is
// waited out, a rejected token is fatal.
func (c *Client) connect(ctx context.Context) error {
	for attempt := 0; ; attempt++ {
		me, err := c.api.GetMe(c.timed(ctx))
		if err == nil {
			c.username = me.Username
			c.log.Info("connected to telegram", "bot", me.Username)
			return nil
		}
		if errors.Is(err, tgbot.ErrorUnauthorized) {
			return ErrUnauthorized
		}
		if errors.Is(err, tgbot.ErrorNotFound) {
			// Telegram answers 404 for a token that is no token at all.
			return ErrBadToken
		}
		if ctx.Err() != nil {
			return nil
		}
		d := backoff(attempt, 30*time.Second)
		c.log.Warn("telegram unreachable, retrying", "err", redact(err, c.opt.Token), "retry_in", d.Round(time.Millisecond))
		if !Sleep(ctx, d) {
			return nil
		}
	}
}

// timed returns ctx carrying a hook that gives the round trip of the
// request made with it, from written to the first byte of its answer, to
// the gate's estimate: the calls before polling (getMe) seed it, so that
// the first poll settles too (settle) before any reply has been answered.
// A connection's dialling and handshake come before the write and do not
// count.
func (c *Client) timed(ctx context.Context) context.Context {
	// The hooks run on the connection's writing and reading goroutines.
	var wrote atomic.Pointer[time.Time]
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteRequest: func(httptrace.WroteRequestInfo) { now := time.Now(); wrote.Store(&now) },
		GotFirstResponseByte: func() {
			if at := wrote.Load(); at != nil {
				c.send.gate.observe(time.Since(*at))
			}
		},
	})
}

// resume queues the replies a crash left unsent and then the updates it
// left unhandled, each behind its chat's earlier work, so that a chat gets
// its old replies before anything new and no chat waits for another's.
func (c *Client) resume(ctx context.Context) error {
	pending, err := c.db.PendingReplies()
	if err != nil {
		return fmt.Errorf("load pending replies: %w", err)
	}
	if len(pending) > 0 {
		c.log.Info("resending replies left by a restart", "count", len(pending))
	}
	for _, r := range pending {
		c.out.post(r.ChatID, func(ctx context.Context) { c.Deliver(ctx, r) })
	}
	journaled, err := c.db.Journaled()
	if err != nil {
		return fmt.Errorf("load journal: %w", err)
	}
	if len(journaled) > 0 {
		c.log.Info("handling updates left by a restart", "count", len(journaled))
	}
	keep, over := c.triage(c.decodeAll(journaled))
	for _, o := range over {
		for _, u := range o.us {
			c.done(u.ID)
		}
	}
	c.enqueue(ctx, keep)
	c.drop(ctx, over)
	return nil
}

// setCommands publishes the command menus. A failure is logged, never
// fatal.
func (c *Client) setCommands(ctx context.Context, menus []Menu) {
	for _, m := range menus {
		cmds := make([]models.BotCommand, len(m.Commands))
		for i, cmd := range m.Commands {
			cmds[i] = models.BotCommand{Command: cmd.Command, Description: cmd.Description}
		}
		var scope models.BotCommandScope = &models.BotCommandScopeAllPrivateChats{}
		if m.Chat != 0 {
			scope = &models.BotCommandScopeChat{ChatID: m.Chat}
		}
		_, err := c.api.SetMyCommands(c.timed(ctx), &tgbot.SetMyCommandsParams{Commands: cmds, Scope: scope, LanguageCode: m.Lang})
		if err != nil {
			c.log.Warn("set commands failed", "lang", m.Lang, "err", redact(err, c.opt.Token))
		}
	}
}

// triaged is an update sorted by triage.
type triaged struct {
	u    store.Update
	upd  *Update // nil when it does not decode
	chat int64
}

// overflowed is what triage drops for one chat.
type overflowed struct {
	us    []*Update
	first bool
}

// decodeAll decodes journaled updates for triage; one that does not
// decode keeps a nil upd.
func (c *Client) decodeAll(us []store.Update) []triaged {
	out := make([]triaged, len(us))
	for i, u := range us {
		out[i].u = u
		if upd, chat, err := decode(u.ID, u.Raw, c.username); err == nil {
			out[i].upd, out[i].chat = upd, chat
		}
	}
	return out
}

// triage sorts out the decoded updates of chats whose backlog
// (Options.Backlog) is full, counting the ones kept before them.
func (c *Client) triage(ts []triaged) (keep []triaged, over map[int64]*overflowed) {
	taken := map[int64]int{}
	for _, t := range ts {
		if t.upd == nil {
			keep = append(keep, t)
			continue
		}
		chat := t.chat
		if c.queues.room(chat) <= taken[chat] {
			if over == nil {
				over = map[int64]*overflowed{}
			}
			o := over[chat]
			if o == nil {
				o = &overflowed{first: c.queues.tell(chat)}
				over[chat] = o
			}
			o.us = append(o.us, t.upd)
			continue
		}
		taken[chat]++
		keep = append(keep, t)
	}
	return keep, over
}

// enqueue queues each journaled update behind its chat's earlier ones.
func (c *Client) enqueue(ctx context.Context, ts []triaged) {
	for _, t := range ts {
		if t.upd == nil {
			c.log.Warn("dropping an update that does not decode", "update_id", t.u.ID)
			c.done(t.u.ID)
			continue
		}
		c.queues.submit(ctx.Done(), t.chat, job{update: t.u, decoded: t.upd})
	}
}

// drop hands the updates of chats that write faster than they are
// answered to Service.Overflow, in the background, so that neither the
// poller nor other chats wait for them.
func (c *Client) drop(ctx context.Context, over map[int64]*overflowed) {
	for chat, o := range over {
		c.log.Warn("a chat sends faster than it is answered: updates dropped", "chat_id", chat, "count", len(o.us))
		c.overflow.Go(func() { c.svcOverflow(context.WithoutCancel(ctx), chat, o.us, o.first) })
	}
}

// process handles one journaled update; done is called when its answers
// have gone out too.
func (c *Client) process(ctx context.Context, j job, handle Handler, onHandled func(int64), done func()) {
	upd := j.decoded
	if upd == nil {
		var err error
		if upd, _, err = decode(j.update.ID, j.update.Raw, c.username); err != nil {
			c.done(j.update.ID)
			done()
			return
		}
	}
	t := &tracker{}
	handle(context.WithValue(ctx, trackerKey{}, t), upd)
	c.handling.Add(1)
	go func() {
		defer c.handling.Done()
		t.Wait()
		if onHandled != nil {
			onHandled(upd.ID)
		}
		done()
	}()
}

// done takes an update nobody handles out of the journal.
func (c *Client) done(updateID int64) {
	if err := c.db.Batch(func(tx *store.Tx) error { return tx.DoneUpdate(updateID) }); err != nil {
		c.log.Error("finish update", "update_id", updateID, "err", err)
	}
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

// Sleep waits for d or until ctx ends; it reports whether d passed.
func Sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// redact hides the token in an error's text, in every form it can take
// there: as it is and URL-escaped (a request URL holds it). The error's
// chain stays, so errors.Is and errors.As see through it.
func redact(err error, token string) error {
	if err == nil || token == "" {
		return err
	}
	msg := err.Error()
	masked := msg
	for _, form := range []string{token, url.PathEscape(token), url.QueryEscape(token)} {
		masked = strings.ReplaceAll(masked, form, "<token>")
	}
	if masked == msg {
		return err
	}
	return &redacted{err: err, msg: masked}
}

// redacted is an error whose text has the token masked.
type redacted struct {
	err error
	msg string
}

func (e *redacted) Error() string { return e.msg }
func (e *redacted) Unwrap() error { return e.err }

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
	buf := bodyBuffers.Get().(*bytes.Buffer)
	_, err := buf.ReadFrom(r.Body)
	r.Body.Close()
	// The body is read into a buffer kept for the next request and
	// copied out at its size: growing a new one for every request cost
	// several allocations each.
	data := bytes.Clone(buf.Bytes())
	if buf.Cap() <= maxPooledBody {
		buf.Reset()
		bodyBuffers.Put(buf)
	}
	if err != nil {
		return nil, err
	}
	// Only the body changes: a shallow copy keeps the caller's request
	// as it was (Clone would copy the headers too).
	out := *r
	out.ContentLength = int64(len(data))
	out.Body = io.NopCloser(bytes.NewReader(data))
	out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
	return t.next.RoundTrip(&out)
}

// bodyBuffers are wholeBody's buffers for reading request bodies; one
// grown beyond maxPooledBody (a document) is not kept.
var bodyBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

const maxPooledBody = 64 << 10
