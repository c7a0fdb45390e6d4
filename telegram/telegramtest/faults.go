package telegramtest

import (
	"fmt"
	"net/http"
	"time"
)

// Fault is an error or delay injected into answers of the server.
type Fault struct {
	// Status is the HTTP status and error_code to answer with (429, 403,
	// 400, 409, 500, 502, ...); 0 answers normally after Delay.
	Status int
	// Description replaces the Telegram-like default for Status, such as
	// "Forbidden: bot was blocked by the user" or "Too Many Requests: retry
	// after N".
	Description string
	// RetryAfter is sent as parameters.retry_after with a 429; 1 when 0.
	RetryAfter int
	// Delay is waited before answering; a request cancelled meanwhile gets
	// no answer.
	Delay time.Duration
	// Drop closes the connection without answering (after Delay).
	Drop bool
	// Late carries the request out at once and answers only after Delay,
	// or never when the request is cancelled first: what a crash or a lost
	// connection looks like after Telegram took a message. Status and Drop
	// do not apply with it.
	Late bool
	// Times is how many requests the fault applies to; 0 means until
	// ClearFaults.
	Times int
	// ChatID restricts the fault to requests with that chat_id; 0 means any
	// request.
	ChatID int64
	// MigrateTo, with Status 400, answers as Telegram does for a group that
	// became a supergroup: parameters.migrate_to_chat_id is the new chat.
	MigrateTo int64
}

type pendingFault struct {
	method string
	fault  Fault
	left   int // requests left; 0 = unlimited
}

func (f Fault) apiError() *apiError {
	e := &apiError{Code: f.Status, Description: f.Description, MigrateTo: f.MigrateTo}
	if f.Status == http.StatusTooManyRequests {
		e.RetryAfter = max(f.RetryAfter, 1)
	}
	if e.Description != "" {
		return e
	}
	switch f.Status {
	case http.StatusBadRequest:
		e.Description = "Bad Request"
		if f.MigrateTo != 0 {
			e.Description = "Bad Request: group chat was upgraded to a supergroup chat"
		}
	case http.StatusForbidden:
		e.Description = "Forbidden: bot was blocked by the user"
	case http.StatusConflict:
		e.Description = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
	case http.StatusTooManyRequests:
		e.Description = fmt.Sprintf("Too Many Requests: retry after %d", e.RetryAfter)
	default:
		e.Description = http.StatusText(f.Status)
	}
	return e
}

// Inject queues a fault for method ("*" for every method). Faults apply in the
// order they were injected; each request consumes at most one.
func (s *Server) Inject(method string, f Fault) {
	if method != "*" {
		method, _ = lookupMethod(method)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &pendingFault{method: method, fault: f, left: f.Times})
}

// PendingFaults returns how many faults injected for method (as given to
// Inject) are not used up yet.
func (s *Server) PendingFaults(method string) int {
	if method != "*" {
		method, _ = lookupMethod(method)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, p := range s.faults {
		if p.method == method {
			n++
		}
	}
	return n
}

// ClearFaults removes every injected fault. Blocked chats and limits stay.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// takeFault returns the first fault that applies to a request and counts it.
func (s *Server) takeFault(method string, chatID int64) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, p := range s.faults {
		if p.method != "*" && p.method != method || p.fault.ChatID != 0 && p.fault.ChatID != chatID {
			continue
		}
		if p.left > 0 {
			p.left--
			if p.left == 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		return p.fault, true
	}
	return Fault{}, false
}

// Block makes every request that writes to chatID answer 403 "Forbidden: bot
// was blocked by the user", until Unblock.
func (s *Server) Block(chatID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.blocked[chatID] = true
}

// Unblock undoes Block.
func (s *Server) Unblock(chatID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.blocked, chatID)
}

// limiter enforces rates over a rolling second, and a group's over a
// rolling minute.
type limiter struct {
	global, perChat int
	perGroup        int // per rolling minute, to chats with a negative id
	all             []time.Time
	perChatTimes    map[int64][]time.Time
	groupTimes      map[int64][]time.Time
	tooMany         int
	latency         time.Duration
}

// SetLimits makes sending methods answer 429 when the bot sends more than
// global requests per rolling second overall or more than perChat to one
// chat; 0 turns a limit off. Rejected requests do not count toward the rate.
func (s *Server) SetLimits(global, perChat int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limits.global, s.limits.perChat = global, perChat
}

// SetGroupLimit makes sending methods to a group (a chat with a negative
// id) answer 429 beyond perMinute per rolling minute, as Telegram does
// beyond about 20; 0 turns the limit off.
func (s *Server) SetGroupLimit(perMinute int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limits.perGroup = perMinute
}

// SetLatency makes every request take the round trip d, as over a real
// network: a request arrives d/2 after it left, and only then is it
// carried out (counted by Requests and the limits, stamped in Sent); its
// answer, an error too, arrives d/2 after that. A long poll waiting for
// updates answers when one comes, so the bot has it d/2 after it came. A
// request that left arrives even when the bot gives up on it meanwhile; it
// is then carried out and never answered. Faults' delays come on top. 0
// turns it off.
//
// Seen from the server, which is where the benchmarks measure (a step
// lasts from the person's message reaching the server to the bot's answer
// reaching it), this is the same as carrying a request out at once and
// holding its answer back for d: everything the server does is merely d/2
// later. The split keeps the fake's clock where Telegram's is.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limits.latency = d
}

func (s *Server) latency() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.limits.latency
}

// TooMany reports how many 429 answers the limits of SetLimits gave.
func (s *Server) TooMany() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.limits.tooMany
}

// isSend reports whether method counts toward the rate limits.
func isSend(method string) bool {
	switch method {
	case "sendMessage", "copyMessage", "sendDocument", "sendPhoto", "editMessageText", "editMessageReplyMarkup":
		return true
	}
	return false
}

// checkBlockedAndLimits applies Block and SetLimits to a request.
func (s *Server) checkBlockedAndLimits(method string, chatID int64) *apiError {
	writes := isSend(method) || method == "sendChatAction" || method == "deleteMessage"
	if !writes || chatID == 0 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.blocked[chatID] {
		return &apiError{Code: http.StatusForbidden, Description: "Forbidden: bot was blocked by the user"}
	}
	if !isSend(method) {
		return nil
	}
	l := &s.limits
	if l.global <= 0 && l.perChat <= 0 && (l.perGroup <= 0 || chatID > 0) {
		return nil
	}
	now := time.Now()
	if l.perGroup > 0 && chatID < 0 {
		g := recentWithin(l.groupTimes[chatID], now, time.Minute)
		l.groupTimes[chatID] = g
		if len(g) >= l.perGroup {
			l.tooMany++
			retry := max(int((g[len(g)-l.perGroup].Add(time.Minute).Sub(now)+time.Second-1)/time.Second), 1)
			return &apiError{
				Code:        http.StatusTooManyRequests,
				Description: fmt.Sprintf("Too Many Requests: retry after %d", retry),
				RetryAfter:  retry,
			}
		}
	}
	l.all = recent(l.all, now)
	l.perChatTimes[chatID] = recent(l.perChatTimes[chatID], now)
	var wait time.Duration
	if l.global > 0 && len(l.all) >= l.global {
		wait = l.all[len(l.all)-l.global].Add(time.Second).Sub(now)
	}
	if c := l.perChatTimes[chatID]; l.perChat > 0 && len(c) >= l.perChat {
		wait = max(wait, c[len(c)-l.perChat].Add(time.Second).Sub(now))
	}
	if l.global > 0 && len(l.all) >= l.global || l.perChat > 0 && len(l.perChatTimes[chatID]) >= l.perChat {
		l.tooMany++
		retry := max(int((wait+time.Second-1)/time.Second), 1)
		return &apiError{
			Code:        http.StatusTooManyRequests,
			Description: fmt.Sprintf("Too Many Requests: retry after %d", retry),
			RetryAfter:  retry,
		}
	}
	l.all = append(l.all, now)
	l.perChatTimes[chatID] = append(l.perChatTimes[chatID], now)
	if l.perGroup > 0 && chatID < 0 {
		l.groupTimes[chatID] = append(l.groupTimes[chatID], now)
	}
	return nil
}

// recent drops the times older than a second before now.
func recent(ts []time.Time, now time.Time) []time.Time { return recentWithin(ts, now, time.Second) }

func recentWithin(ts []time.Time, now time.Time, d time.Duration) []time.Time {
	i := 0
	for i < len(ts) && now.Sub(ts[i]) >= d {
		i++
	}
	return ts[i:]
}
