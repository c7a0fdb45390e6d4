package telegram

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram/telegramtest"
)

// queueNotices enqueues n outbox entries, one to each of the chats from
// first on.
func queueNotices(t *testing.T, db *store.DB, first int64, n int) {
	t.Helper()
	err := db.Update(func(tx *store.Tx) error {
		for i := range int64(n) {
			e := store.OutboxEntry{Key: fmt.Sprintf("test/%d", first+i), Kind: store.KindNotice, ChatID: first + i, UserID: first + i}
			if _, err := tx.Enqueue(e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// waitOutbox waits until nothing is queued and returns the counts.
func waitOutbox(t *testing.T, db *store.DB, srv *telegramtest.Server) map[store.OutboxStatus]int {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		counts, err := db.OutboxCounts()
		if err != nil {
			t.Fatal(err)
		}
		if counts[store.OutboxQueued] == 0 {
			return counts
		}
		if time.Now().After(deadline) {
			t.Fatalf("outbox not drained: %v", counts)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		srv.WaitSent(ctx, srv.LastSeq(), nil)
		cancel()
	}
}

// Ensure that over a network with a round trip, several outbox messages
// are in flight at once while the fake server, which enforces Telegram's
// limits (30 a second overall, one a second per chat), answers no 429;
// every entry arrives once and none is left marked as being sent.
func TestDispatcher_Pipelined(t *testing.T) {
	c, srv, db := newTestClient(t, nil)
	c.send = newSender(c.api, senderToken, 29, c.log, time.Now)
	srv.SetLatency(150 * time.Millisecond)
	srv.SetLimits(30, 1)
	const n = 60
	queueNotices(t, db, 1, n)
	// Five chats get a second message: one a second to them.
	err := db.Update(func(tx *store.Tx) error {
		for i := range int64(5) {
			if _, err := tx.Enqueue(store.OutboxEntry{Key: fmt.Sprintf("again/%d", i+1), Kind: store.KindNotice, ChatID: i + 1, UserID: i + 1}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var maxInFlight int
	d := NewDispatcher(db, c.send, bulk("bulk"), func(store.OutboxEntry) {}, c.log, time.Now)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); d.Run(ctx, context.Background()) }()
	sub, unsubscribe := srv.Subscribe()
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		for range sub {
			if k, err := db.InFlight(); err == nil {
				maxInFlight = max(maxInFlight, k)
			}
		}
	}()
	counts := waitOutbox(t, db, srv)
	unsubscribe()
	<-watched
	cancel()
	<-done
	if counts[store.OutboxSent] != n+5 {
		t.Fatalf("counts %v, want %d sent", counts, n+5)
	}
	if got := srv.TooMany(); got != 0 {
		t.Errorf("the server answered 429 %d times", got)
	}
	for chat := int64(1); chat <= n; chat++ {
		want := 1
		if chat <= 5 {
			want = 2
		}
		if got := len(srv.SentTo(chat)); got != want {
			t.Errorf("chat %d got %d messages, want %d", chat, got, want)
		}
	}
	if k, err := db.InFlight(); err != nil || k != 0 {
		t.Errorf("%d entries left marked as being sent (%v)", k, err)
	}
	if maxInFlight < 2 || maxInFlight > MaxInFlight {
		t.Errorf("at most %d entries were being sent at once, want several and at most %d", maxInFlight, MaxInFlight)
	}
}

// Ensure that a text split into several messages records each part
// Telegram took, so that after a stop between parts the resend goes on
// from the first part not sent: no part arrives twice.
func TestDispatcher_PartsResume(t *testing.T) {
	c, srv, db := newTestClient(t, nil)
	long := strings.Repeat("Baris pengumuman yang panjang sekali.\n", 300) // about 3 messages
	parts := len(Split(Message{Text: long}))
	if parts < 3 {
		t.Fatalf("the text splits into %d parts, want at least 3", parts)
	}
	d := NewDispatcher(db, c.send, bulk(long), nil, c.log, time.Now)
	e := queueNotice(t, db, 9)

	// Stop once the first part is recorded: the second waits a second
	// for the chat meanwhile.
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		defer cancel()
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
			if got, err := db.Outbox(e.ID); err == nil && got.PartsSent > 0 {
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
	}()
	d.dispatch(ctx, e)
	got, err := db.Outbox(e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != store.OutboxQueued || got.PartsSent != 1 || got.SendingAt.IsZero() {
		t.Fatalf("after a stop between parts: %+v, want queued with 1 part sent and marked as being sent", got)
	}
	d.dispatch(context.Background(), got)
	if got, _ = db.Outbox(e.ID); got.Status != store.OutboxSent || !got.SendingAt.IsZero() {
		t.Fatalf("after the resend: %+v, want sent", got)
	}
	sent := srv.SentTo(9)
	if len(sent) != parts {
		t.Fatalf("%d messages arrived, want the %d parts once each", len(sent), parts)
	}
	for i, m := range sent {
		if want := Split(Message{Text: long})[i].Text; m.RawText != want {
			t.Errorf("message %d is not part %d", i+1, i+1)
		}
	}
}
