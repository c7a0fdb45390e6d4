package telegram

import (
	"context"
	"slices"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Telegram's limits as the gate keeps them. Telegram counts requests as
// they arrive; the gate sees when they start and when their answers
// come, and keeps each limit from what it sees so that arrival times
// cannot break it, whatever the network's delay:
//   - one chat: a bulk send starts chatGap after the answer to the
//     previous request to that chat (which arrived before its answer came);
//   - a group: at most groupPerMinute starts in any groupWindow;
//   - overall: at most rate requests, replies and bulk together, in any
//     window, bulk spaced evenly by a token bucket. A request counts from
//     its start while unanswered (up to lateLimit, then it is taken as
//     lost), and once answered until a window after its answer less the
//     smallest round trip seen lately: it arrived at most that long
//     before its answer came, and the next request arrives at least that
//     long after it starts, however the delay splits between the two
//     ways. With a steady round trip that is a window from its start; a
//     request that took longer (a slow network path, a server or a
//     process short of CPU) counts on for as long as it may have
//     arrived late, so that late arrivals cannot bunch with the next.
//
// window's margin over Telegram's second covers what the smallest round
// trip credits too much: the part of it spent neither on the way there
// nor back (being carried out), which the next request's way there and
// this one's way back need not have taken. On loopback the smallest of
// the last 64 round trips is 0.13–0.33 ms, and 2.9–3.4 ms only for the
// first requests (a connection being dialled), while little counts yet;
// 5 ms covers both. A larger margin costs rate: 29 sends per window is
// 28.86 a second with 5 ms, 28.71 with 10 ms.
const (
	chatGap        = time.Second + 10*time.Millisecond
	groupPerMinute = 20
	groupWindow    = time.Minute + time.Second
	window         = time.Second + 5*time.Millisecond // see above
	lateLimit      = 5 * time.Second
)

// class is who waits for a request: a person (a reply) or nobody (bulk).
type class int

const (
	classReply class = iota
	classBulk
	// classPaced is a message nobody waits for in a chat where replies go
	// too (an announcement's progress): it keeps the chat's gap, as bulk
	// does, but not the overall rate.
	classPaced
)

// gate decides when a request to Telegram may start. Replies go at once
// unless a 429 pause or their group's limit holds them; they count
// toward the overall rate, and bulk sends take what they leave of it, so
// replies go first and share the budget. A 429 pauses every request for
// its retry_after.
type gate struct {
	now     func() time.Time
	rate    int
	limiter *rate.Limiter // spaces bulk starts

	mu      sync.Mutex
	changed chan struct{}       // closed and replaced when a request ends
	paused  time.Time           // a 429: nothing starts before
	until   []time.Time         // until when each answered request counts, in order
	open    map[*time.Time]bool // the starts of the requests not answered yet
	chats   map[int64]*chatTurn
	rtt     time.Duration           // the round trip of requests, smoothed (roundTrip)
	recent  [minRTTOf]time.Duration // the last round trips, for minRTT
	nRecent int                     // answers so far (recent is a ring)
	minRTT  time.Duration           // the smallest of recent
}

// minRTTOf is how many of the last round trips the smallest is taken
// of: enough that a few slow answers do not raise it, few enough that it
// follows a network that became slower.
const minRTTOf = 64

// chatTurn is what the gate knows about one chat.
type chatTurn struct {
	inFlight   int
	lastAnswer time.Time
	group      []time.Time // starts within the last groupWindow (groups)
}

func newGate(perSecond int, now func() time.Time) *gate {
	return &gate{
		now: now, rate: perSecond,
		limiter: rate.NewLimiter(rate.Limit(perSecond), 1),
		changed: make(chan struct{}),
		open:    map[*time.Time]bool{},
		chats:   map[int64]*chatTurn{},
	}
}

// acquire waits until a request of class c to chat may start and counts
// its start; done must be called when its answer (or error) came. chat 0
// is a request of no chat (answerCallbackQuery), which no limit counts.
func (g *gate) acquire(ctx context.Context, c class, chat int64) (done func(), err error) {
	_, done, err = g.acquireWritten(ctx, c, chat)
	return done, err
}

// acquireWritten is acquire that also returns wrote, to be called when
// the request has been written to the network: its start counts from
// then. Between the gate's yes and the write the request is still in
// this process (its body being encoded, a connection being dialled, the
// goroutine waiting for a core), and a start counted too early would
// let requests that waited there arrive bunched, over the overall rate.
func (g *gate) acquireWritten(ctx context.Context, c class, chat int64) (wrote, done func(), err error) {
	if chat == 0 {
		return func() {}, func() {}, nil
	}
	// A bulk send takes its turn of the token bucket as a reservation,
	// when nothing else holds it, and keeps it through any later wait: a
	// send that wakes late loses no turn, and sends reserved one after the
	// other stay spaced however late each wakes.
	var turn *rate.Reservation
	for {
		g.mu.Lock()
		now := g.now()
		wait, onChange := g.waitLocked(c, chat, now)
		if turn != nil && g.paused.After(now) {
			turn.CancelAt(now) // after a 429 pause the sends are spaced anew
			turn = nil
		}
		if wait <= 0 && !onChange && c == classBulk && turn == nil {
			turn = g.limiter.ReserveN(now, 1)
			wait = turn.DelayFrom(now)
		}
		if wait <= 0 && !onChange {
			start := g.startLocked(c, chat, now)
			g.mu.Unlock()
			var wroteOnce, doneOnce sync.Once
			ended := false
			wrote = func() {
				wroteOnce.Do(func() { g.wrote(start, &ended) })
			}
			done = func() {
				doneOnce.Do(func() { g.end(chat, start, &ended) })
			}
			return wrote, done, nil
		}
		changed := g.changed
		g.mu.Unlock()
		if !onChange {
			changed = nil
		}
		if wait <= 0 {
			wait = time.Hour // until the chat's request ends
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			if turn != nil {
				turn.Cancel()
			}
			return nil, nil, ctx.Err()
		case <-t.C:
		case <-changed:
			t.Stop()
		}
	}
}

// waitLocked is how long a request must still wait, and whether it waits
// for a request to its chat to end.
func (g *gate) waitLocked(c class, chat int64, now time.Time) (time.Duration, bool) {
	wait := g.paused.Sub(now)
	t := g.chats[chat]
	if t != nil && chat < 0 {
		t.group = since(t.group, now, groupWindow)
		if len(t.group) >= groupPerMinute {
			wait = max(wait, t.group[len(t.group)-groupPerMinute].Add(groupWindow).Sub(now))
		}
	}
	if c == classReply {
		return wait, false
	}
	if t != nil {
		if t.inFlight > 0 {
			return wait, true
		}
		wait = max(wait, t.lastAnswer.Add(chatGap).Sub(now))
	}
	if c == classPaced {
		return wait, false
	}
	open := 0
	for start := range g.open {
		if now.Sub(*start) < lateLimit {
			open++
		}
	}
	g.expire(now)
	if n := open + len(g.until); n >= g.rate {
		if open >= g.rate {
			wait = max(wait, 10*time.Millisecond) // until an answer or a late one is taken as lost
		} else {
			// An answer does not lower the count (its request counts on
			// after it), so this is when the count first drops below rate.
			wait = max(wait, g.until[n-g.rate].Sub(now))
		}
	}
	return wait, false
}

func (g *gate) startLocked(c class, chat int64, now time.Time) *time.Time {
	start := &now
	g.open[start] = true
	t := g.chats[chat]
	if t == nil {
		t = &chatTurn{}
		g.chats[chat] = t
	}
	t.inFlight++
	if chat < 0 {
		t.group = append(t.group, now)
	}
	return start
}

// wrote moves the start of a request still in flight to now, the moment
// it was written to the network: its round trip is measured from then,
// and it is taken as lost lateLimit after.
func (g *gate) wrote(start *time.Time, ended *bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if now := g.now(); !*ended && now.After(*start) {
		*start = now
	}
}

// end records that a request to chat was answered (or failed).
func (g *gate) end(chat int64, start *time.Time, ended *bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	*ended = true
	delete(g.open, start)
	now := g.now()
	t := g.chats[chat]
	t.inFlight--
	t.lastAnswer = now
	took := max(now.Sub(*start), 0)
	g.smoothLocked(took)
	g.recent[g.nRecent%minRTTOf] = took
	g.nRecent++
	g.minRTT = took
	for _, d := range g.recent[:min(g.nRecent, minRTTOf)] {
		g.minRTT = min(g.minRTT, d)
	}
	// g.minRTT is at most took: the request counts at least a window
	// from its start.
	until := now.Add(window - g.minRTT)
	g.expire(now)
	i := len(g.until)
	for i > 0 && g.until[i-1].After(until) {
		i--
	}
	g.until = slices.Insert(g.until, i, until)
	close(g.changed)
	g.changed = make(chan struct{})
	if len(g.chats) > 4096 {
		// Forget the chats no limit remembers any more.
		for id, t := range g.chats {
			if t.inFlight == 0 && now.Sub(t.lastAnswer) > chatGap && len(since(t.group, now, groupWindow)) == 0 {
				delete(g.chats, id)
			}
		}
	}
}

// expire forgets the answered requests that no longer count at now.
func (g *gate) expire(now time.Time) {
	i := 0
	for i < len(g.until) && !g.until[i].After(now) {
		i++
	}
	g.until = g.until[i:]
}

// roundTrip is how long requests take from start to answer, smoothed
// over the last few; 0 before the first answer.
func (g *gate) roundTrip() time.Duration {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.rtt
}

// observe takes the round trip of a request the gate did not let through
// (getMe, setMyCommands: no limit counts them) into roundTrip, and into
// nothing else: the limits' credit (minRTT) stays with the requests they
// count.
func (g *gate) observe(took time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.smoothLocked(max(took, 0))
}

func (g *gate) smoothLocked(took time.Duration) {
	if g.rtt == 0 {
		g.rtt = took
	} else {
		g.rtt += (took - g.rtt) / 8
	}
}

// ready reports whether a bulk send to chat could start now as far as
// the chat's own limits go (the dispatcher looks for another chat
// meanwhile).
func (g *gate) ready(chat int64) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	t := g.chats[chat]
	if t == nil {
		return true
	}
	now := g.now()
	if t.inFlight > 0 || now.Sub(t.lastAnswer) < chatGap {
		return false
	}
	return chat > 0 || len(since(t.group, now, groupWindow)) < groupPerMinute
}

// pause stops every request for retryAfter seconds: Telegram's 429.
func (g *gate) pause(retryAfter int) {
	until := g.now().Add(time.Duration(max(retryAfter, 1)) * time.Second)
	g.mu.Lock()
	defer g.mu.Unlock()
	if until.After(g.paused) {
		g.paused = until
	}
}

// since drops the times of ts (oldest first) older than d before now.
func since(ts []time.Time, now time.Time, d time.Duration) []time.Time {
	i := 0
	for i < len(ts) && now.Sub(ts[i]) >= d {
		i++
	}
	if i == len(ts) {
		return ts[:0]
	}
	return ts[i:]
}
