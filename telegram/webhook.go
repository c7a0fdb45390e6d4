package telegram

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"

	"github.com/daftar-bot/daftar/store"
)

// With a webhook Telegram pushes every update to the bot as it comes, up
// to MaxConnections at once, instead of handing them out to long polls.
// Over a real network that saves what polling costs a busy bot: an update
// that arrives while the poll is on its way waits at Telegram for the
// next one, half a poll cycle on average, and a chat that floods holds up
// everyone behind it in the one queue getUpdates reads from. Telegram
// pushes each chat's updates one at a time and the next only once the
// bot answered the one before, so a chat's updates still come in order.
//
// Nothing is lost: a push is answered 200, which confirms it to Telegram,
// only once its update is journaled; any other answer, or none (a crash),
// makes Telegram push it again, and the journal skips what it already
// holds or handled (store.JournalPushedThen).

// Webhook configures updates pushed by Telegram. The zero value means long
// polling.
type Webhook struct {
	// URL is the public HTTPS address Telegram posts updates to; its path
	// is the one the bot serves.
	URL string
	// Listen is the address the bot listens on: behind a reverse proxy
	// that ends TLS, a loopback one; with CertFile and KeyFile, a public
	// one on a port Telegram posts to (443, 80, 88 or 8443).
	Listen string
	// CertFile and KeyFile, when both set, make the bot serve TLS itself.
	CertFile, KeyFile string
	// MaxConnections is how many pushes Telegram makes at once, 1–100
	// (default 100, as many updates as one getUpdates answer holds).
	MaxConnections int
}

// defaultWebhookConnections is the default of max_connections: each
// connection carries one push at a time, for a round trip and the
// journal, so Telegram's own default of 40 delivers at most 40 ÷ 0.15 s ≈
// 270 updates a second over a 150 ms round trip, and 100 people answering
// at once would wait for each other (BenchmarkConversation: p50 383 ms
// with 40, 161 ms with 100).
const defaultWebhookConnections = 100

// maxPushBody bounds a pushed update: Telegram's are a few kilobytes.
const maxPushBody = 1 << 20

// webhookSecret is the secret_token Telegram sends with every push, made
// from the bot token so that it needs no configuring, is the same after a
// restart, and tells nobody the token: only Telegram and the bot know it.
func webhookSecret(token string) string {
	sum := sha256.Sum256([]byte("daftar webhook\x00" + token))
	return hex.EncodeToString(sum[:])
}

// push is one update Telegram pushed, waiting for the journal.
type push struct {
	t    triaged
	done chan error // the journal's outcome: nil once the update is safe
}

// serveWebhook has Telegram push updates to the webhook until ctx ends:
// it listens, registers the webhook with Telegram and journals what comes.
// The webhook stays registered when the bot stops, so that Telegram keeps
// the updates meanwhile and pushes them once it is back.
func (c *Client) serveWebhook(ctx context.Context) error {
	wh := c.opt.Webhook
	u, err := url.Parse(wh.URL)
	if err != nil {
		return fmt.Errorf("webhook url: %w", err)
	}
	path := u.Path
	if path == "" {
		path = "/"
	}
	// The certificate is read before anything is registered: a bot that
	// cannot serve TLS stops before Telegram is told to push to it.
	var tlsConfig *tls.Config
	if wh.CertFile != "" && wh.KeyFile != "" {
		cert, err := tls.LoadX509KeyPair(wh.CertFile, wh.KeyFile)
		if err != nil {
			return fmt.Errorf("webhook certificate: %w", err)
		}
		tlsConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	ln, err := net.Listen("tcp", wh.Listen)
	if err != nil {
		return fmt.Errorf("webhook: %w", err)
	}
	pushes := make(chan *push)
	stop := make(chan struct{})
	srv := &http.Server{
		Handler:           c.webhookHandler(path, webhookSecret(c.opt.Token), pushes, stop),
		TLSConfig:         tlsConfig,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		// Telegram keeps its connections open between pushes and opens
		// new ones only at a limited pace (tdlib/telegram-bot-api,
		// WebhookActor.cpp, active_new_connection_flood_): closing idle
		// ones soon would leave a burst after a quiet spell few of them.
		IdleTimeout: 15 * time.Minute,
		// net/http's own messages name no person, but they go through
		// the bot's logger like everything else.
		ErrorLog: log.New(slogWriter{c}, "", 0),
	}
	served := make(chan error, 1)
	go func() {
		if tlsConfig != nil {
			served <- srv.ServeTLS(ln, "", "")
		} else {
			served <- srv.Serve(ln)
		}
	}()
	var journal sync.WaitGroup
	journal.Go(func() { c.journalPushes(ctx, pushes, stop) })
	c.log.Info("listening for telegram's pushes", "listen", ln.Addr().String(), "path", path, "tls", tlsConfig != nil)

	var runErr error
	registered := make(chan error, 1)
	// The registration stops retrying when the server ends first.
	regCtx, stopReg := context.WithCancel(ctx)
	defer stopReg()
	go func() { registered <- c.setWebhook(regCtx) }()
	select {
	case runErr = <-registered:
		if runErr == nil {
			select {
			case <-ctx.Done():
			case runErr = <-served:
			}
		}
	case runErr = <-served:
		stopReg()
		<-registered
	}
	if errors.Is(runErr, http.ErrServerClosed) {
		runErr = nil
	}
	// Pushes in progress get their answers, within 2 s so that the stop
	// stays within its 10 (the handlers get 8 more); Telegram pushes
	// again what is cut off, and the journal skips what it already holds.
	shut, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil {
		_ = srv.Close()
	}
	close(stop)
	journal.Wait()
	if runErr != nil {
		return fmt.Errorf("webhook: %w", runErr)
	}
	return nil
}

// setWebhook registers the webhook with Telegram, retrying until it is
// reachable. A webhook Telegram refuses (not HTTPS, a port it does not
// post to, a name it cannot resolve) is an error to fix in the config.
func (c *Client) setWebhook(ctx context.Context) error {
	wh := c.opt.Webhook
	maxConns := wh.MaxConnections
	if maxConns <= 0 {
		maxConns = defaultWebhookConnections
	}
	for attempt := 0; ; attempt++ {
		_, err := c.api.SetWebhook(c.timed(ctx), &tgbot.SetWebhookParams{
			URL:            wh.URL,
			MaxConnections: maxConns,
			AllowedUpdates: allowedUpdates,
			SecretToken:    webhookSecret(c.opt.Token),
		})
		if err == nil {
			c.log.Info("webhook registered with telegram", "max_connections", maxConns)
			return nil
		}
		if ctx.Err() != nil {
			return nil
		}
		if errors.Is(err, tgbot.ErrorBadRequest) {
			return fmt.Errorf("telegram refused the webhook %s: %w", wh.URL, redact(err, c.opt.Token))
		}
		if errors.Is(err, tgbot.ErrorUnauthorized) {
			return ErrUnauthorized
		}
		d := backoff(attempt, 30*time.Second)
		c.log.Warn("setWebhook failed, retrying", "err", redact(err, c.opt.Token), "retry_in", d.Round(time.Millisecond))
		if !Sleep(ctx, d) {
			return nil
		}
	}
}

// deleteWebhook removes a webhook left by an earlier run, so that polling
// can start; the updates Telegram holds stay and come to the poll.
func (c *Client) deleteWebhook(ctx context.Context) error {
	_, err := c.api.DeleteWebhook(c.timed(ctx), &tgbot.DeleteWebhookParams{})
	return redact(err, c.opt.Token)
}

// isWebhookConflict tells the 409 Telegram answers getUpdates with while
// a webhook is set from the one of a second process polling.
func isWebhookConflict(ae *apiError) bool {
	return ae.Code == http.StatusConflict && strings.Contains(strings.ToLower(ae.Description), "webhook")
}

// webhookHandler answers Telegram's pushes to path: 200 once the update is
// journaled, 500 when the journal failed (Telegram pushes it again), and
// no update is taken from anybody without the secret.
func (c *Client) webhookHandler(path, secret string, pushes chan<- *push, stop <-chan struct{}) http.Handler {
	var refused everyMinute
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != path {
			http.NotFound(w, r)
			return
		}
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		got := r.Header.Get("X-Telegram-Bot-Api-Secret-Token")
		if subtle.ConstantTimeCompare([]byte(got), []byte(secret)) != 1 {
			// Anybody can find the address; the log says so once a
			// minute, not once a request.
			if n, ok := refused.tick(time.Now()); ok {
				c.log.Warn("webhook: requests without the right secret token refused", "count", n, "last_from", r.RemoteAddr)
			}
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxPushBody))
		if err != nil {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		t, ok := decodeFetched(raw, c.username)
		if !ok {
			// Telegram never pushes this; answering 200 keeps it
			// from pushing it again.
			c.log.Warn("webhook: skipping an update without update_id")
			return
		}
		p := &push{t: t, done: make(chan error, 1)}
		select {
		case pushes <- p:
		case <-stop:
			http.Error(w, "shutting down", http.StatusServiceUnavailable)
			return
		case <-r.Context().Done():
			return
		}
		if err := <-p.done; err != nil {
			http.Error(w, "not journaled", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
}

// maxPushBatch bounds how many pushes share one journal transaction, as
// one getUpdates answer holds at most 100 updates.
const maxPushBatch = 100

// journalPushes journals the pushes that come while the one before is
// being written in one transaction, and queues them for the handlers as
// poll does a batch: many pushes at once share a commit.
func (c *Client) journalPushes(ctx context.Context, pushes <-chan *push, stop <-chan struct{}) {
	for {
		var batch []*push
		select {
		case p := <-pushes:
			batch = append(batch, p)
		case <-stop:
			return
		}
	more:
		for len(batch) < maxPushBatch {
			select {
			case p := <-pushes:
				batch = append(batch, p)
			default:
				break more
			}
		}
		err := c.journalPushed(ctx, batch)
		for _, p := range batch {
			p.done <- err
		}
	}
}

// journalPushed journals one batch of pushes and queues its new updates.
// The updates of a chat whose backlog is full are not journaled but taken
// as handled, and its person told once to wait, as poll does.
func (c *Client) journalPushed(ctx context.Context, batch []*push) error {
	ts := make([]triaged, len(batch))
	for i, p := range batch {
		ts[i] = p.t
	}
	keep, over := c.triage(ts)
	var dropped []int64
	for _, o := range over {
		for _, u := range o.us {
			dropped = append(dropped, u.ID)
		}
	}
	_, err := c.journalThenEnqueue(ctx, keep, func(kept []store.Update, applied func([]store.Update)) error {
		_, err := c.db.JournalPushedThen(kept, dropped, time.Now().Add(-store.PushedKeep), applied)
		return err
	})
	if err != nil {
		c.log.Error("journal pushed updates", "err", err)
		return err
	}
	c.drop(ctx, over)
	return nil
}

// everyMinute counts events and lets one in a minute through, with the
// count since the last.
type everyMinute struct {
	mu   sync.Mutex
	last time.Time
	n    int
}

// tick counts an event at now and reports whether it is the one to tell
// of, with the events since the last one told (it included).
func (e *everyMinute) tick(now time.Time) (int, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.n++
	if !e.last.IsZero() && now.Sub(e.last) < time.Minute {
		return 0, false
	}
	n := e.n
	e.last, e.n = now, 0
	return n, true
}

// slogWriter passes the lines of a log.Logger to the Client's logger.
type slogWriter struct{ c *Client }

func (w slogWriter) Write(b []byte) (int, error) {
	w.c.log.Warn("webhook server", "err", strings.TrimSpace(string(b)))
	return len(b), nil
}
