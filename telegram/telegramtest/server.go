package telegramtest

import (
	"bufio"
	"context"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ErrClosed is returned by WaitSent and WaitRequests when the server is
// closed while waiting.
var ErrClosed = errors.New("telegramtest: server closed")

// ErrNoButton is returned by PressButton and PressButtonIn when no bot message
// in the user's chat has an inline button with the given label and callback
// data.
var ErrNoButton = errors.New("telegramtest: no such inline button")

// Server is a fake Telegram Bot API server listening on a loopback address.
// All methods are safe for concurrent use.
type Server struct {
	token string
	botID int64
	url   string

	ln       net.Listener
	srv      *http.Server
	served   chan struct{} // closed when srv.Serve returns
	done     chan struct{} // closed by Close
	conns    sync.WaitGroup
	tracked  map[net.Conn]bool // guarded by mu
	subs     sync.WaitGroup
	closeOne sync.Once

	mu      sync.Mutex
	closed  bool
	changed chan struct{} // closed and replaced on every state change

	// Updates (see updates.go).
	nextUpdateID int64
	queue        []queuedUpdate
	confirmedTo  int64 // every update_id below this has been confirmed
	nextCallback int64
	callbacks    map[string]callbackState

	// Chats and what the bot did (see store.go).
	chats    map[int64]*chat
	sent     []Message
	requests map[string]int
	commands map[CommandScope][]Command

	// Faults and limits (see faults.go).
	faults  []*pendingFault
	blocked map[int64]bool
	limits  limiter

	// Webhook (see webhook.go). hookMu is taken before mu, never after.
	hookMu          sync.Mutex
	hook            *webhook       // nil while the bot is to use getUpdates
	delivered       map[int64]bool // ids at or above confirmedTo delivered to a webhook
	deliveredOK     int
	deliveredFailed int
	retryFirst      time.Duration
	retryMax        time.Duration
	deliveryTimeout time.Duration
}

// NewServer starts a fake Bot API server for token on 127.0.0.1 with a random
// port. The bot user's id is the part of token before ':' (1 when that is not
// a number). It panics if it cannot listen, like httptest.NewServer. Call Close
// when done.
func NewServer(token string) *Server {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic("telegramtest: listen: " + err.Error())
	}
	botID, err := strconv.ParseInt(strings.SplitN(token, ":", 2)[0], 10, 64)
	if err != nil || botID <= 0 {
		botID = 1
	}
	s := &Server{
		token:        token,
		botID:        botID,
		url:          "http://" + ln.Addr().String(),
		ln:           ln,
		served:       make(chan struct{}),
		done:         make(chan struct{}),
		changed:      make(chan struct{}),
		tracked:      make(map[net.Conn]bool),
		nextUpdateID: 1,
		callbacks:    make(map[string]callbackState),
		chats:        make(map[int64]*chat),
		requests:     make(map[string]int),
		commands:     make(map[CommandScope][]Command),
		blocked:      make(map[int64]bool),
		limits:       limiter{perChatTimes: make(map[int64][]time.Time), groupTimes: make(map[int64][]time.Time)},

		delivered:       make(map[int64]bool),
		retryFirst:      defaultRetryFirst,
		retryMax:        defaultRetryMax,
		deliveryTimeout: defaultDeliveryTimeout,
	}
	s.srv = &http.Server{
		Handler:           http.HandlerFunc(s.serveHTTP),
		ConnState:         s.connState,
		ReadHeaderTimeout: 10 * time.Second,
	}
	go func() {
		defer close(s.served)
		_ = s.srv.Serve(ln)
	}()
	return s
}

// URL returns the base URL of the server, "http://127.0.0.1:port", suitable
// for the client library's server URL option.
func (s *Server) URL() string { return s.url }

// Close wakes every long poll and waiter, cuts the deliveries to a webhook
// short, closes all connections and returns once no handler, delivery or
// subscription goroutine of the server is left running. It is safe to call
// more than once.
func (s *Server) Close() {
	s.closeOne.Do(func() {
		s.mu.Lock()
		s.closed = true
		close(s.done)
		s.notifyLocked()
		s.mu.Unlock()
		// Closed, the server starts no webhook any more: this one is the last.
		s.setHook(nil, false)
		_ = s.srv.Close()
		<-s.served
		s.conns.Wait()
		s.subs.Wait()
	})
}

// connState tracks connections so that Close can wait for their goroutines,
// as httptest.Server does.
func (s *Server) connState(c net.Conn, state http.ConnState) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch state {
	case http.StateNew:
		if s.closed {
			_ = c.Close()
			return
		}
		s.tracked[c] = true
		s.conns.Add(1)
	case http.StateHijacked, http.StateClosed:
		if s.tracked[c] {
			delete(s.tracked, c)
			s.conns.Done()
		}
	}
}

// notifyLocked wakes everybody waiting for a change. s.mu must be held.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// apiError is a Telegram error answer.
type apiError struct {
	Code        int
	Description string
	RetryAfter  int
	MigrateTo   int64 // parameters.migrate_to_chat_id: the group became a supergroup
}

func badRequest(desc string) *apiError {
	return &apiError{Code: http.StatusBadRequest, Description: "Bad Request: " + desc}
}

// handler answers one Bot API method; a nil error means {"ok":true,"result":result}.
type handler func(s *Server, r *request) (any, *apiError)

func (s *Server) serveHTTP(w http.ResponseWriter, hr *http.Request) {
	rest, ok := strings.CutPrefix(hr.URL.Path, "/bot")
	if !ok {
		writeError(w, &apiError{Code: http.StatusNotFound, Description: "Not Found"})
		return
	}
	token, name, _ := strings.Cut(rest, "/")
	name = strings.TrimPrefix(name, "test/")
	if token != s.token {
		writeError(w, &apiError{Code: http.StatusUnauthorized, Description: "Unauthorized"})
		return
	}
	// With SetLatency every request is on its way here for half the round
	// trip before anything happens, and every answer, an error too, on its
	// way back for the other half. A request that left arrives even when
	// its sender gives up meanwhile: only Close stops the wait.
	if d := s.latency(); d > 0 {
		if !s.sleep(context.Background(), d/2) {
			return
		}
		w = &delayedWriter{ResponseWriter: w, s: s, ctx: hr.Context(), d: d - d/2}
	}
	method, h := lookupMethod(name)
	if h == nil {
		writeError(w, &apiError{Code: http.StatusNotFound, Description: "Not Found"})
		return
	}
	s.mu.Lock()
	s.requests[method]++
	s.notifyLocked()
	s.mu.Unlock()

	r, err := parseRequest(hr)
	if err != nil {
		writeError(w, badRequest(err.Error()))
		return
	}
	r.ctx = hr.Context()
	r.method = method

	late := Fault{}
	if f, ok := s.takeFault(method, r.chatID()); ok && f.Late {
		late = f
	} else if ok {
		if f.Delay > 0 && !s.sleep(hr.Context(), f.Delay) {
			return
		}
		if f.Drop {
			if hj, ok := w.(http.Hijacker); ok {
				if c, _, err := hj.Hijack(); err == nil {
					_ = c.Close()
					return
				}
			}
			panic(http.ErrAbortHandler)
		}
		if f.Status != 0 {
			writeError(w, f.apiError())
			return
		}
	}
	if e := s.checkBlockedAndLimits(method, r.chatID()); e != nil {
		writeError(w, e)
		return
	}
	result, e := h(s, r)
	if late.Late && !s.sleep(hr.Context(), late.Delay) {
		return // carried out, never answered
	}
	if e != nil {
		writeError(w, e)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "result": result})
}

// delayedWriter holds an answer back for d before it writes it: the
// answer's way back over a network (SetLatency). A request cancelled
// meanwhile gets no answer (it was carried out all the same).
type delayedWriter struct {
	http.ResponseWriter
	s     *Server
	ctx   context.Context
	d     time.Duration
	ended bool // the wait was cut: nothing more is written
	held  bool // the wait is over
}

func (w *delayedWriter) WriteHeader(status int) {
	if w.wait() {
		w.ResponseWriter.WriteHeader(status)
	}
}

func (w *delayedWriter) Write(b []byte) (int, error) {
	if !w.wait() {
		return len(b), nil
	}
	return w.ResponseWriter.Write(b)
}

// Hijack lets Drop faults close the connection at once.
func (w *delayedWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := w.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("telegramtest: cannot hijack")
	}
	return hj.Hijack()
}

func (w *delayedWriter) wait() bool {
	if !w.held && !w.ended {
		w.held = true
		if !w.s.sleep(w.ctx, w.d) {
			w.ended = true
		}
	}
	return !w.ended
}

// sleep waits for d and reports false when the request or the server ended first.
func (s *Server) sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	case <-s.done:
		return false
	}
}

func writeError(w http.ResponseWriter, e *apiError) {
	body := map[string]any{"ok": false, "error_code": e.Code, "description": e.Description}
	switch {
	case e.RetryAfter > 0:
		body["parameters"] = map[string]any{"retry_after": e.RetryAfter}
	case e.MigrateTo != 0:
		body["parameters"] = map[string]any{"migrate_to_chat_id": e.MigrateTo}
	}
	writeJSON(w, e.Code, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := appendJSON(make([]byte, 0, 1024), v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"ok":false,"error_code":500,"description":"Internal Server Error"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// Requests reports how many requests for method (case-insensitive) arrived
// with the right token, including those that failed.
func (s *Server) Requests(method string) int {
	name, _ := lookupMethod(method)
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[name]
}

// WaitRequests waits until at least n requests for method have arrived (see
// Requests), for instance to know that the bot is in a long poll. It returns
// ctx.Err() when ctx ends first and ErrClosed when the server is closed.
func (s *Server) WaitRequests(ctx context.Context, method string, n int) error {
	name, _ := lookupMethod(method)
	return s.waitFor(ctx, func() bool { return s.requests[name] >= n })
}
