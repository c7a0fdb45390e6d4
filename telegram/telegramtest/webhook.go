package telegramtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Telegram's defaults, except for the retries: Telegram waits far longer
// between attempts, which would make a test of a failing webhook slow.
const (
	defaultMaxConnections  = 40
	defaultRetryFirst      = 100 * time.Millisecond
	defaultRetryMax        = 2 * time.Second
	defaultDeliveryTimeout = 10 * time.Second
)

const webhookConflict = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"

// webhookConfig is what setWebhook was given.
type webhookConfig struct {
	url      string
	secret   string   // "" sends no X-Telegram-Bot-Api-Secret-Token
	maxConns int      // deliveries in flight at most
	allowed  []string // nil when allowed_updates was not given
}

// same reports whether setWebhook was called again with the same
// parameters, which Telegram takes as no change: deliveries in flight go on.
func (c webhookConfig) same(o webhookConfig) bool {
	return c.url == o.url && c.secret == o.secret && c.maxConns == o.maxConns &&
		(c.allowed == nil) == (o.allowed == nil) && slices.Equal(c.allowed, o.allowed)
}

// webhook is a URL set with setWebhook and the goroutines delivering to it:
// one dispatcher, which starts a goroutine per delivery attempt. The
// fields below wg are guarded by Server.mu.
type webhook struct {
	webhookConfig

	ctx       context.Context // cancelled by stop, which cuts deliveries short
	cancel    context.CancelFunc
	transport *http.Transport
	client    *http.Client
	wg        sync.WaitGroup // the dispatcher and every delivery

	lastErrorDate    int64 // unix time; 0 when no delivery failed
	lastErrorMessage string
	inFlight         map[int64]bool    // ids of the updates being delivered
	retries          map[int64]retry   // ids of the updates whose last delivery failed
	chats            map[int64]chatKey // the chat of each queued update, parsed once
}

// retry is when a failed update may be sent again and the wait after its
// next failure.
type retry struct {
	at      time.Time
	backoff time.Duration
}

// chatKey is the queue an update waits in: its chat's, or its own (chat 0,
// which no Telegram chat has) when it belongs to no chat.
type chatKey struct{ chat, update int64 }

func newWebhook(c webhookConfig) *webhook {
	return &webhook{
		webhookConfig: c,
		inFlight:      make(map[int64]bool),
		retries:       make(map[int64]retry),
		chats:         make(map[int64]chatKey),
	}
}

// start launches the dispatcher. Its HTTP client is the webhook's own, so
// that stop can close the connections it kept open.
func (h *webhook) start(s *Server) {
	h.ctx, h.cancel = context.WithCancel(context.Background())
	h.transport = &http.Transport{
		// A test's webhook listens on loopback: an HTTP_PROXY of the
		// environment must not reroute it.
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: defaultDeliveryTimeout}).DialContext,
		MaxConnsPerHost:     h.maxConns,
		MaxIdleConnsPerHost: h.maxConns,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
	h.client = &http.Client{
		Transport: h.transport,
		// Telegram follows no redirect: a 3xx is a wrong response.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	h.wg.Add(1)
	go s.dispatch(h)
}

// stop cancels the deliveries in flight, waits until the dispatcher and
// every delivery have returned, and closes the idle connections, whose
// goroutines belong to net/http and end with them.
func (h *webhook) stop() {
	h.cancel()
	h.wg.Wait()
	h.transport.CloseIdleConnections()
}

// setWebhook sets the URL the server pushes updates to, or removes it when
// url is empty, as Telegram does. The fake accepts http:// URLs too, so
// that a test's receiver can listen on 127.0.0.1, and knows no
// certificate: has_custom_certificate is always false. allowed_updates is
// kept for getWebhookInfo but filters nothing, as getUpdates filters
// nothing either. drop_pending_updates forgets every queued update.
// Setting the same parameters again changes nothing; other parameters end
// the deliveries in flight, which are sent again under the new ones.
func setWebhook(s *Server, r *request) (any, *apiError) {
	drop := r.bool("drop_pending_updates")
	raw := strings.TrimSpace(r.str("url"))
	if raw == "" {
		s.setHook(nil, drop)
		return true, nil
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, badRequest("bad webhook: An HTTP or HTTPS URL must be provided for webhook")
	}
	c := webhookConfig{url: raw, secret: r.str("secret_token"), maxConns: defaultMaxConnections}
	if c.secret != "" && !validSecret(c.secret) {
		return nil, badRequest("secret token contains unallowed characters")
	}
	if strings.TrimSpace(r.str("max_connections")) != "" {
		n, e := r.int("max_connections")
		if e != nil {
			return nil, e
		}
		if n < 1 || n > 100 {
			return nil, badRequest("bad webhook: max_connections must be between 1 and 100")
		}
		c.maxConns = int(n)
	}
	if v := strings.TrimSpace(r.str("allowed_updates")); v != "" {
		if err := json.Unmarshal([]byte(v), &c.allowed); err != nil {
			return nil, badRequest("can't parse allowed updates JSON array")
		}
		if c.allowed == nil {
			c.allowed = []string{} // "null" was given: set, and empty
		}
	}
	s.setHook(newWebhook(c), drop)
	return true, nil
}

// validSecret follows Telegram: 1-256 characters A-Z, a-z, 0-9, _ and -.
func validSecret(v string) bool {
	if len(v) < 1 || len(v) > 256 {
		return false
	}
	for _, r := range v {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// deleteWebhook removes the webhook. The deliveries in flight end
// unanswered; queued updates stay for getUpdates unless
// drop_pending_updates is true. Without a webhook it succeeds all the same.
func deleteWebhook(s *Server, r *request) (any, *apiError) {
	s.setHook(nil, r.bool("drop_pending_updates"))
	return true, nil
}

// getWebhookInfo answers as Telegram does: with no webhook only url (""),
// has_custom_certificate and pending_update_count; with one, also
// max_connections and, when set, allowed_updates and the last failed
// delivery's date and reason.
func getWebhookInfo(s *Server, _ *request) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	info := map[string]any{"url": "", "has_custom_certificate": false, "pending_update_count": len(s.queue)}
	h := s.hook
	if h == nil {
		return info, nil
	}
	info["url"] = h.url
	info["max_connections"] = h.maxConns
	if h.allowed != nil {
		allowed := make([]any, len(h.allowed))
		for i, a := range h.allowed {
			allowed[i] = a
		}
		info["allowed_updates"] = allowed
	}
	if h.lastErrorDate != 0 {
		info["last_error_date"] = h.lastErrorDate
		info["last_error_message"] = h.lastErrorMessage
	}
	return info, nil
}

// setHook replaces the webhook with h (nil removes it), first forgetting
// the queue when drop is set. The old webhook's goroutines have all
// returned when it returns, so that no two webhooks ever deliver the same
// chat at once. hookMu makes concurrent calls, and Close, take turns;
// s.mu is not held while the old deliveries end, since they need it to
// finish.
func (s *Server) setHook(h *webhook, drop bool) {
	s.hookMu.Lock()
	defer s.hookMu.Unlock()
	s.mu.Lock()
	if drop {
		s.dropPendingLocked()
	}
	old := s.hook
	if h != nil && (s.closed || old != nil && old.same(h.webhookConfig)) {
		s.notifyLocked()
		s.mu.Unlock()
		return
	}
	// From here getUpdates answers 409 (or works again), and the long
	// polls waiting now wake to answer so.
	s.hook = h
	s.notifyLocked()
	s.mu.Unlock()
	if old != nil {
		old.stop()
	}
	if h == nil {
		return
	}
	s.mu.Lock()
	if old != nil && old.url == h.url {
		h.lastErrorDate, h.lastErrorMessage = old.lastErrorDate, old.lastErrorMessage
	}
	s.mu.Unlock()
	h.start(s)
}

// dropPendingLocked forgets every queued update, as drop_pending_updates
// does; they count as confirmed. s.mu must be held.
func (s *Server) dropPendingLocked() {
	s.queue = nil
	s.confirmedTo = max(s.confirmedTo, s.nextUpdateID)
	clear(s.delivered)
	if h := s.hook; h != nil {
		clear(h.chats)
		clear(h.retries)
	}
	s.notifyLocked()
}

// forgetLocked removes update id, delivered, from the queue. Deliveries
// confirm updates out of order (chats go in parallel), so those above
// confirmedTo are remembered one by one until confirmedTo passes them:
// every update below the lowest queued id has been confirmed one way or
// another. s.mu must be held.
func (s *Server) forgetLocked(id int64) {
	i := slices.IndexFunc(s.queue, func(u queuedUpdate) bool { return u.id == id })
	if i < 0 {
		return // dropped meanwhile
	}
	s.queue = slices.Delete(s.queue, i, i+1)
	if id >= s.confirmedTo {
		s.delivered[id] = true
	}
	low := s.nextUpdateID
	for _, u := range s.queue {
		low = min(low, u.id)
	}
	if low > s.confirmedTo {
		s.confirmedTo = low
		maps.DeleteFunc(s.delivered, func(k int64, _ bool) bool { return k < low })
	}
}

// dispatch starts the deliveries that may start, then waits for a change
// (a new update, an answered delivery) or for the earliest retry.
func (s *Server) dispatch(h *webhook) {
	defer h.wg.Done()
	for {
		s.mu.Lock()
		next := s.startDeliveriesLocked(h, time.Now())
		changed := s.changed
		s.mu.Unlock()
		var retryAt <-chan time.Time
		var t *time.Timer
		if !next.IsZero() {
			t = time.NewTimer(time.Until(next))
			retryAt = t.C
		}
		select {
		case <-changed:
		case <-retryAt:
		case <-h.ctx.Done():
		}
		if t != nil {
			t.Stop()
		}
		if h.ctx.Err() != nil {
			return
		}
	}
}

// startDeliveriesLocked starts a delivery of every chat's first queued
// update that is neither in flight nor waiting to be retried, as long as
// fewer than maxConns are in flight. It returns when the earliest waiting
// retry is due, zero when none waits. s.mu must be held.
func (s *Server) startDeliveriesLocked(h *webhook, now time.Time) (next time.Time) {
	if h.ctx.Err() != nil || s.closed {
		// Close cuts the deliveries' waits before it stops the webhook:
		// they are not to start again meanwhile.
		return time.Time{}
	}
	first := make(map[chatKey]bool)
	for _, u := range s.queue {
		k, ok := h.chats[u.id]
		if !ok {
			k = chatOf(u)
			h.chats[u.id] = k
		}
		if first[k] {
			continue // the chat's earlier update goes first
		}
		first[k] = true
		if h.inFlight[u.id] {
			continue
		}
		if r, ok := h.retries[u.id]; ok && now.Before(r.at) {
			if next.IsZero() || r.at.Before(next) {
				next = r.at
			}
			continue
		}
		if len(h.inFlight) >= h.maxConns {
			// A delivery ending is a change, which brings the
			// dispatcher back here before any retry is due.
			return time.Time{}
		}
		h.inFlight[u.id] = true
		h.wg.Add(1)
		go s.deliver(h, u)
	}
	return next
}

// chatOf returns the queue of an update: its chat's for messages, channel
// posts, callback queries (the chat of the message, else the user's
// private chat) and chat member changes; its own for the rest.
func chatOf(u queuedUpdate) chatKey {
	type withChat struct {
		Chat struct {
			ID int64 `json:"id"`
		} `json:"chat"`
	}
	var w struct {
		Message           *withChat `json:"message"`
		EditedMessage     *withChat `json:"edited_message"`
		ChannelPost       *withChat `json:"channel_post"`
		EditedChannelPost *withChat `json:"edited_channel_post"`
		MyChatMember      *withChat `json:"my_chat_member"`
		ChatMember        *withChat `json:"chat_member"`
		CallbackQuery     *struct {
			Message *withChat `json:"message"`
			From    struct {
				ID int64 `json:"id"`
			} `json:"from"`
		} `json:"callback_query"`
	}
	if json.Unmarshal(u.raw, &w) != nil {
		return chatKey{update: u.id}
	}
	for _, c := range []*withChat{w.Message, w.EditedMessage, w.ChannelPost, w.EditedChannelPost, w.MyChatMember, w.ChatMember} {
		if c != nil && c.Chat.ID != 0 {
			return chatKey{chat: c.Chat.ID}
		}
	}
	if cq := w.CallbackQuery; cq != nil {
		if cq.Message != nil && cq.Message.Chat.ID != 0 {
			return chatKey{chat: cq.Message.Chat.ID}
		}
		if cq.From.ID != 0 {
			return chatKey{chat: cq.From.ID}
		}
	}
	return chatKey{update: u.id}
}

// deliver makes one delivery attempt of u and records its outcome. With
// SetLatency the update is on its way for half the round trip before the
// request is sent, and the answer on its way back for the other half
// before it counts; until then the chat's next update waits. An attempt
// cut short by stop or Close counts as nothing: the update stays queued.
func (s *Server) deliver(h *webhook, u queuedUpdate) {
	defer h.wg.Done()
	s.mu.Lock()
	d, timeout := s.limits.latency, s.deliveryTimeout
	s.mu.Unlock()

	ok, problem, cut := false, "", false
	if d > 0 && !s.sleep(h.ctx, d/2) {
		cut = true
	} else {
		var answered bool
		ok, problem, answered = h.post(u.raw, timeout)
		cut = h.ctx.Err() != nil || answered && d > 0 && !s.sleep(h.ctx, d-d/2)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	delete(h.inFlight, u.id)
	switch {
	case cut:
	case ok:
		s.deliveredOK++
		delete(h.retries, u.id)
		delete(h.chats, u.id)
		s.forgetLocked(u.id)
	default:
		s.deliveredFailed++
		now := time.Now()
		h.lastErrorDate, h.lastErrorMessage = now.Unix(), problem
		r := h.retries[u.id]
		if r.backoff == 0 {
			r.backoff = s.retryFirst
		}
		r.at = now.Add(r.backoff)
		r.backoff = min(2*r.backoff, s.retryMax)
		h.retries[u.id] = r
	}
	s.notifyLocked()
}

// post sends raw to the webhook and reports whether it was answered 2xx,
// else why not in Telegram's words, and whether any answer came.
func (h *webhook) post(raw []byte, timeout time.Duration) (ok bool, problem string, answered bool) {
	ctx, cancel := context.WithTimeout(h.ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.url, bytes.NewReader(raw))
	if err != nil {
		return false, "Failed to create the request: " + err.Error(), false
	}
	req.Header.Set("Content-Type", "application/json")
	if h.secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", h.secret)
	}
	resp, err := h.client.Do(req)
	if err != nil {
		return false, deliveryProblem(err), false
	}
	// The body is read to its end so that the connection can carry the
	// next delivery. A bot may answer with a method call; the fake
	// ignores it.
	_, err = io.Copy(io.Discard, io.LimitReader(resp.Body, maxBody))
	_ = resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return false, "Wrong response from the webhook: " + resp.Status, true
	}
	if err != nil {
		return false, deliveryProblem(err), true
	}
	return true, "", true
}

// deliveryProblem words a failed request as getWebhookInfo's
// last_error_message does.
func deliveryProblem(err error) string {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "Read timeout expired"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "Connection refused"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "Connection reset by peer"
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return "Connection failed: " + err.Error()
}

// SetWebhookRetry sets how deliveries to a webhook are retried: the first
// retry of an update comes first after its failed delivery, each next one
// twice as late up to maxBackoff; a delivery not answered within timeout
// fails. A value of 0 or less restores its default: 100 ms, 2 s (Telegram
// waits far longer; tests should not) and 10 s. The new values apply to
// the failures and attempts that come after the call.
func (s *Server) SetWebhookRetry(first, maxBackoff, timeout time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.retryFirst, s.retryMax, s.deliveryTimeout = defaultRetryFirst, defaultRetryMax, defaultDeliveryTimeout
	if first > 0 {
		s.retryFirst = first
	}
	if maxBackoff > 0 {
		s.retryMax = maxBackoff
	}
	if timeout > 0 {
		s.deliveryTimeout = timeout
	}
	s.retryMax = max(s.retryMax, s.retryFirst)
}

// Deliveries reports how many delivery attempts to a webhook were answered
// 2xx (ok) and how many failed: another status, a connection error or no
// answer within the timeout. Attempts cut short by deleteWebhook, a new
// setWebhook or Close count as neither.
func (s *Server) Deliveries() (ok, failed int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.deliveredOK, s.deliveredFailed
}

// WaitDeliveries waits until at least ok deliveries succeeded and at least
// failed failed (see Deliveries). It returns ctx.Err() when ctx ends first
// and ErrClosed when the server is closed.
func (s *Server) WaitDeliveries(ctx context.Context, ok, failed int) error {
	return s.waitFor(ctx, func() bool { return s.deliveredOK >= ok && s.deliveredFailed >= failed })
}

// WaitConfirmed waits until updateID is confirmed (see Confirmed). It
// returns ctx.Err() when ctx ends first and ErrClosed when the server is
// closed.
func (s *Server) WaitConfirmed(ctx context.Context, updateID int64) error {
	return s.waitFor(ctx, func() bool { return s.confirmedLocked(updateID) })
}

// waitFor waits until done, called with s.mu held, reports true.
func (s *Server) waitFor(ctx context.Context, done func() bool) error {
	for {
		s.mu.Lock()
		ok, changed, closed := done(), s.changed, s.closed
		s.mu.Unlock()
		switch {
		case ok:
			return nil
		case closed:
			return ErrClosed
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// FreeAddr returns a loopback address ("127.0.0.1:port") that nothing
// listens on at the moment, for a bot's webhook in a test: the webhook's
// URL names its port before the bot listens on it.
func FreeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}
